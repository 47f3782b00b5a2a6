import Foundation
import Hummingbird
import IdentityModel
import IdentityProvider
import Logging

/// Asks the handler, logs one line, counts the metrics, and turns the outcome into the HTTP answer:
/// 200 with the answer object (or `{}`), or 500 with a fixed body when the store could not be read (the
/// store's own message goes to the log only: it may quote AWS or SQLite).
struct DecisionEndpoint: Sendable {
    let handler: IdentityProviderHandler
    let metrics: DecisionMetrics

    /// The body of every 500: fixed, so nothing of the store's error reaches the caller.
    static let storeFailureBody = #"{"error":{"message":"the secret store could not be read"}}"#

    func respond(to read: ReadLoginRequest, logger: Logger) async -> Response {
        let loginRequest = read.request
        if let problem = read.problem {
            let decision = LoginDecision(response: .object([:]), denialCategory: .invalidRequest, reason: problem, checks: [], authentication: loginRequest.authentication, duration: .zero)
            return answer(decision, to: loginRequest, logger: logger)
        }
        switch await handler.decide(loginRequest) {
        case .decided(let decision):
            return answer(decision, to: loginRequest, logger: logger)
        case .storeFailure(let failure):
            metrics.record(failure)
            logger.error("login decision", metadata: metadata(loginRequest, duration: failure.duration).merging([
                "result": "error",
                "reason": .string(loggable(failure.message, maxLength: 512)),
            ]) { $1 })
            return Self.json(status: .internalServerError, text: Self.storeFailureBody)
        }
    }

    private func answer(_ decision: LoginDecision, to loginRequest: LoginRequest, logger: Logger) -> Response {
        metrics.record(decision)
        logger.info("login decision", metadata: metadata(loginRequest, duration: decision.duration).merging([
            "result": .string(decision.isAllowed ? "allowed" : "denied"),
            "reason": .string(loggable(decision.reason, maxLength: 512)),
        ]) { $1 })
        return Self.json(status: .ok, text: decision.response.jsonText)
    }

    private func metadata(_ request: LoginRequest, duration: Duration) -> Logger.Metadata {
        [
            "server": .string(loggable(request.serverID)),
            "user": .string(loggable(request.username)),
            "protocol": .string(loggable(request.protocolName)),
            "sourceIp": .string(loggable(request.sourceIP)),
            "auth": .string(request.authentication.rawValue),
            "latencyMs": .string(String(format: "%.3f", Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)),
        ]
    }

    static func json(status: HTTPResponse.Status, text: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}

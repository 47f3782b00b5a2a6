import Foundation
import Hummingbird
import IdentityModel
import IdentityProvider
import Logging

/// Asks the handler, logs one line, counts the metrics, and turns the outcome into the HTTP answer:
/// 200 with the answer object (or `{}`), or 500 when the store could not be read.
struct DecisionEndpoint: Sendable {
    let handler: IdentityProviderHandler
    let metrics: DecisionMetrics

    func respond(to loginRequest: LoginRequest, logger: Logger) async -> Response {
        switch await handler.decide(loginRequest) {
        case .decided(let decision):
            metrics.record(decision)
            logger.info("login decision", metadata: metadata(loginRequest, duration: decision.duration).merging([
                "result": .string(decision.isAllowed ? "allowed" : "denied"),
                "reason": .string(loggable(decision.reason, maxLength: 512)),
            ]) { $1 })
            return Self.json(status: .ok, text: decision.response.jsonText)
        case .storeFailure(let failure):
            metrics.record(failure)
            logger.error("login decision", metadata: metadata(loginRequest, duration: failure.duration).merging([
                "result": "error",
                "reason": .string(loggable(failure.message, maxLength: 512)),
            ]) { $1 })
            let body = JSONValue.object(["error": .object(["message": .string("the secret store could not be read: \(failure.message)")])])
            return Self.json(status: .internalServerError, text: body.jsonText)
        }
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

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

    func respond(to read: ReadLoginRequest, logger: Logger) async -> Response {
        let loginRequest = read.request
        let outcome: LoginOutcome = if let problem = read.problem {
            .decided(LoginDecision(response: .object([:]), denialCategory: .invalidRequest, reason: problem, checks: [],
                                   authentication: loginRequest.authentication, duration: .zero))
        } else {
            await handler.decide(loginRequest, recordingChecks: false)
        }
        logger.log(level: outcome.logLevel, "login decision", metadata: outcome.logMetadata(for: loginRequest))
        switch outcome {
        case .decided(let decision):
            metrics.record(decision)
            return Self.json(status: .ok, text: decision.responseText)
        case .storeFailure(let failure):
            metrics.record(failure)
            return Self.json(status: .internalServerError, text: LoginStoreFailure.responseBody)
        }
    }

    static func json(status: HTTPResponse.Status, text: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}

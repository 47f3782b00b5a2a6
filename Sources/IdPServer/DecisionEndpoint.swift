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
        let outcome = await handler.decide(loginRequest)
        logger.log(level: outcome.logLevel, "login decision", metadata: outcome.logMetadata(for: loginRequest))
        switch outcome {
        case .decided(let decision):
            metrics.record(decision)
            return Self.json(status: .ok, text: decision.response.jsonText)
        case .storeFailure(let failure):
            metrics.record(failure)
            let body = JSONValue.object(["error": .object(["message": .string("the secret store could not be read: \(failure.message)")])])
            return Self.json(status: .internalServerError, text: body.jsonText)
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

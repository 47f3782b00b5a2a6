import Foundation
import IdentityModel
import IdentityProvider
import Logging

/// The identity provider as a Lambda function: reads the event, asks the same ``IdentityProviderHandler`` as
/// `sftpidp serve`, logs one line per decision and answers in the shape the event came in.
///
/// A store failure is never an allow: for the flat event it is an invocation error (the Transfer server then fails
/// the login), for an API Gateway proxy request a status 500 with a fixed body.
public struct IdentityProviderFunction: LambdaFunction {
    public let handler: IdentityProviderHandler
    public let logger: Logger
    /// The one server id logins may name (`SFTPIDP_SERVER_ID`); `nil` answers for any server.
    public let serverID: String?

    public init(handler: IdentityProviderHandler, logger: Logger, serverID: String? = nil) {
        self.handler = handler
        self.logger = logger
        self.serverID = serverID
    }

    public func handle(_ invocation: LambdaInvocation) async -> LambdaInvocationResult {
        var logger = logger
        logger[metadataKey: "requestId"] = .string(invocation.requestID)
        let event: IdentityProviderEvent
        do {
            event = try IdentityProviderEvent(json: invocation.body)
        } catch {
            logger.warning("invalid event", metadata: ["reason": .string(error.message)])
            return .error(LambdaFunctionError(type: "InvalidEvent", message: error.message))
        }
        switch event {
        case .invalidAPIGatewayProxy(let error):
            // A login whose fields cannot be read is a denial like any other, as `sftpidp serve` answers it.
            logger.notice("login decision", metadata: [
                "event": "api-gateway-proxy", "result": "denied", "category": "invalid_request", "reason": .string(loggable(error.message, maxLength: 512)),
            ])
            return .response(Self.proxyAnswer(statusCode: 200, body: "{}"))
        case .transfer(let request):
            switch await decide(request, shape: "transfer", logger: logger) {
            case .decided(let decision):
                return .response(decision.responseText)
            case .storeFailure(let failure):
                return .error(LambdaFunctionError(type: "StoreUnavailable", message: "the secret store could not be read: \(failure.message)"))
            }
        case .apiGatewayProxy(let request):
            switch await decide(request, shape: "api-gateway-proxy", logger: logger) {
            case .decided(let decision):
                return .response(Self.proxyAnswer(statusCode: 200, body: decision.responseText))
            case .storeFailure:
                return .response(Self.proxyAnswer(statusCode: 500, body: LoginStoreFailure.responseBody))
            }
        }
    }

    private func decide(_ request: LoginRequest, shape: String, logger: Logger) async -> LoginOutcome {
        if let serverID, request.serverID != serverID {
            // Another server's login is never looked up: its secrets may not even be this server's.
            logger.notice("login decision", metadata: [
                "event": .string(shape), "result": "denied", "category": "server_not_allowed",
                "reason": "the login names another server than SFTPIDP_SERVER_ID",
            ])
            return .decided(LoginDecision(response: .object([:]), denialCategory: .serverNotAllowed,
                                          reason: "this function serves only \(serverID)", checks: [],
                                          authentication: request.authentication, duration: .zero))
        }
        let outcome = await handler.decide(request, recordingChecks: false)
        var metadata = outcome.logMetadata(for: request)
        metadata["event"] = .string(shape)
        logger.log(level: outcome.logLevel, "login decision", metadata: metadata)
        return outcome
    }

    /// `{"statusCode": N, "headers": {"Content-Type": "application/json"}, "body": "<JSON text>"}`.
    static func proxyAnswer(statusCode: Int, body: String) -> String {
        JSONValue.object([
            "statusCode": .integer(Int64(statusCode)),
            "headers": .object(["Content-Type": .string("application/json")]),
            "body": .string(body),
        ]).jsonText
    }
}

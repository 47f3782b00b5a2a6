import Foundation
import IdentityModel
import IdentityProvider

/// An identity-provider question as a Lambda event, in one of the two shapes of CONTRACT.md section 7.
public enum IdentityProviderEvent: Sendable {
    /// The flat event a Transfer server with an `AWS_LAMBDA` identity provider sends (and the seeds' API Gateway
    /// mapping template produces): answered with the answer object itself.
    case transfer(LoginRequest)
    /// An API Gateway REST proxy-integration request for `GET /servers/{serverId}/users/{username}/config`:
    /// answered `{"statusCode": 200, "body": "<answer as a JSON string>"}`.
    case apiGatewayProxy(LoginRequest)
    /// A proxy request whose fields break a rule (bad `PasswordBase64`, bad URL escapes): answered status 200 `{}`
    /// with the reason logged, as `sftpidp serve` does.
    case invalidAPIGatewayProxy(LoginRequestFormError)

    /// Reads an event. A proxy request is recognised by `httpMethod` or `pathParameters`; everything else must be the
    /// flat event. Throws when the event is not a JSON object or a flat field is not a string.
    public init(json data: Data) throws(LoginRequestFormError) {
        let event = try LoginRequest.eventObject(data, shape: "a JSON object")
        guard event["httpMethod"] != nil || event["pathParameters"] != nil else {
            self = .transfer(try LoginRequest(event: event))
            return
        }
        do {
            self = .apiGatewayProxy(try Self.proxyRequest(event))
        } catch {
            self = .invalidAPIGatewayProxy(error)
        }
    }

    /// The login request of either shape, when the event could be read.
    public var loginRequest: LoginRequest? {
        switch self {
        case .transfer(let request), .apiGatewayProxy(let request): request
        case .invalidAPIGatewayProxy: nil
        }
    }

    /// `pathParameters.serverId/username` (URL-decoded), the password from the `PasswordBase64` or `Password` header
    /// (names in any case), `protocol` and `sourceIp` from `queryStringParameters`.
    private static func proxyRequest(_ event: [String: JSONValue]) throws(LoginRequestFormError) -> LoginRequest {
        let path = try stringMap(event["pathParameters"], name: "pathParameters")
        let query = try stringMap(event["queryStringParameters"], name: "queryStringParameters")
        var headers: [String: String] = [:]
        for (name, value) in try stringMap(event["headers"], name: "headers") {
            headers[name.lowercased()] = value
        }
        return try LoginRequest(
            configRouteServerID: path["serverId"],
            username: path["username"],
            header: { headers[$0.lowercased()] },
            query: { query[$0] }
        )
    }

    /// A proxy event's map of strings (`null` or absent is empty, as API Gateway sends for no parameters).
    private static func stringMap(_ value: JSONValue?, name: String) throws(LoginRequestFormError) -> [String: String] {
        switch value {
        case nil, .null?:
            return [:]
        case .object(let members)?:
            var strings: [String: String] = [:]
            for (key, member) in members {
                switch member {
                case .string(let text): strings[key] = text
                case .null: continue
                default: throw LoginRequestFormError("the event's \(name).\(key) must be a string, not a \(member.typeName)")
                }
            }
            return strings
        case let other?:
            throw LoginRequestFormError("the event's \(name) must be an object, not a \(other.typeName)")
        }
    }
}

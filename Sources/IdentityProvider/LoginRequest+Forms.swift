import Foundation
import IdentityModel

/// A login question that arrived in a shape the contract does not allow; the message names the field and the rule.
public struct LoginRequestFormError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The two forms of CONTRACT.md section 1 and 7, read the same way by every front (`serve`, the Lambda function).
extension LoginRequest {
    /// The header that carries the password as sent.
    public static let passwordHeaderName = "Password"
    /// The header that carries base64 of the UTF-8 password; preferred over `Password` when both are sent.
    public static let passwordBase64HeaderName = "PasswordBase64"

    /// The function-style event `{"username", "password", "protocol", "serverId", "sourceIp"}` as JSON text.
    public init(eventJSON data: Data) throws(LoginRequestFormError) {
        try self.init(event: Self.eventObject(data, shape: "a JSON object with username, password, protocol, serverId and sourceIp"))
    }

    /// An event's JSON text as an object; otherwise an error saying the event must be `shape`.
    public static func eventObject(_ data: Data, shape: String) throws(LoginRequestFormError) -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: String(decoding: data, as: UTF8.self))
        } catch {
            throw LoginRequestFormError("the event is not valid JSON")
        }
        guard let event = value.objectValue else {
            throw LoginRequestFormError("the event must be \(shape), not a \(value.typeName)")
        }
        return event
    }

    /// The function-style event as a parsed object. A missing or `null` field is missing; any other non-string is refused.
    public init(event: [String: JSONValue]) throws(LoginRequestFormError) {
        func field(_ name: String) throws(LoginRequestFormError) -> String? {
            switch event[name] {
            case nil, .null?: return nil
            case .string(let text)?: return text
            case let other?: throw LoginRequestFormError("the event field \(name) must be a string, not a \(other.typeName)")
            }
        }
        self.init(
            serverID: try field("serverId"),
            username: try field("username"),
            password: try field("password"),
            protocolName: try field("protocol"),
            sourceIP: try field("sourceIp")
        )
    }

    /// The API Gateway form `GET /servers/{serverId}/users/{username}/config`.
    ///
    /// - Parameters:
    ///   - serverID: the path's server id as it arrived (URL-encoded); decoded here.
    ///   - username: the path's user name as it arrived (URL-encoded); decoded here.
    ///   - header: looks a header up by name (callers match names case-insensitively, as HTTP does).
    ///   - query: looks a query parameter up by name (`protocol`, `sourceIp`).
    public init(configRouteServerID serverID: String?, username: String?, header: (String) -> String?, query: (String) -> String?) throws(LoginRequestFormError) {
        self.init(
            serverID: try serverID.map { raw throws(LoginRequestFormError) in try Self.decodedPathParameter(raw, name: "serverId") },
            username: try username.map { raw throws(LoginRequestFormError) in try Self.decodedPathParameter(raw, name: "username") },
            password: try Self.password(base64: header(Self.passwordBase64HeaderName), plain: header(Self.passwordHeaderName)),
            protocolName: query("protocol"),
            sourceIP: query("sourceIp")
        )
    }

    /// The password from `PasswordBase64` (base64 of UTF-8, preferred) or `Password`; `nil` when neither is sent.
    public static func password(base64: String?, plain: String?) throws(LoginRequestFormError) -> String? {
        guard let base64 else { return plain }
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespaces)) else {
            throw LoginRequestFormError("the \(passwordBase64HeaderName) header is not valid base64")
        }
        guard let password = String(data: data, encoding: .utf8) else {
            throw LoginRequestFormError("the \(passwordBase64HeaderName) header does not decode to UTF-8 text")
        }
        return password
    }

    /// A path parameter URL-decoded, or an error naming it when its escapes are not UTF-8.
    public static func decodedPathParameter(_ raw: String, name: String) throws(LoginRequestFormError) -> String {
        // Without a `%` there is nothing to decode (Foundation's decoding costs more than the rest of reading the request).
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return raw }
        guard let decoded = raw.removingPercentEncoding else {
            throw LoginRequestFormError("the \(name) in the path is not valid URL encoding of UTF-8 text")
        }
        return decoded
    }
}

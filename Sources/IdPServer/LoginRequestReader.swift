import Foundation
import HTTPTypes
import Hummingbird
import IdentityProvider

/// Reads a ``LoginRequest`` from the two request forms the endpoint accepts, or throws a 400 naming what is wrong.
enum LoginRequestReader {
    /// `GET /servers/{serverId}/users/{username}/config`: names from the path (URL-decoded), the password from
    /// `PasswordBase64` (preferred) or `Password`, `protocol` and `sourceIp` from the query.
    static func fromConfigRoute(_ request: Request, context: some RequestContext) throws -> LoginRequest {
        let serverID = try pathParameter("serverId", context: context)
        let username = try pathParameter("username", context: context)
        let query = request.uri.queryParameters
        return LoginRequest(
            serverID: serverID,
            username: username,
            password: try password(from: request.headers),
            protocolName: query["protocol"].map(String.init),
            sourceIP: query["sourceIp"].map(String.init)
        )
    }

    /// `POST /` with the function-style event: `{"username", "password", "protocol", "serverId", "sourceIp"}`.
    static func fromEvent(_ body: ByteBuffer) throws -> LoginRequest {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        } catch {
            throw HTTPError(.badRequest, message: "the request body is not valid JSON")
        }
        guard let event = value as? [String: Any] else {
            throw HTTPError(.badRequest, message: "the request body must be a JSON object with username, password, protocol, serverId and sourceIp")
        }
        func field(_ name: String) throws -> String? {
            switch event[name] {
            case nil, is NSNull: return nil
            case let text as String: return text
            default: throw HTTPError(.badRequest, message: "the event field \(name) must be a string")
            }
        }
        return LoginRequest(
            serverID: try field("serverId"),
            username: try field("username"),
            password: try field("password"),
            protocolName: try field("protocol"),
            sourceIP: try field("sourceIp")
        )
    }

    /// The password from `PasswordBase64` (base64 of UTF-8) or `Password`; `nil` when neither is sent.
    static func password(from headers: HTTPFields) throws -> String? {
        if let encoded = headers[passwordBase64Header] {
            guard let data = Data(base64Encoded: encoded.trimmingCharacters(in: .whitespaces)) else {
                throw HTTPError(.badRequest, message: "the PasswordBase64 header is not valid base64")
            }
            guard let password = String(data: data, encoding: .utf8) else {
                throw HTTPError(.badRequest, message: "the PasswordBase64 header does not decode to UTF-8 text")
            }
            return password
        }
        return headers[passwordHeader]
    }

    private static func pathParameter(_ name: String, context: some RequestContext) throws -> String {
        let raw = try context.parameters.require(name)
        guard let decoded = raw.removingPercentEncoding else {
            throw HTTPError(.badRequest, message: "the \(name) in the path is not valid URL encoding of UTF-8 text")
        }
        return decoded
    }

    static let passwordHeader = HTTPField.Name("Password")!
    static let passwordBase64Header = HTTPField.Name("PasswordBase64")!
}

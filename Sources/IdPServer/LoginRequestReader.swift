import Foundation
import HTTPTypes
import Hummingbird
import IdentityProvider

/// A login request as read from HTTP: the request, or why it cannot be asked (then answered 200 `{}`).
struct ReadLoginRequest {
    /// What was read; on a problem, the password is left out.
    var request: LoginRequest
    /// Why this login is denied before asking the handler (bad base64, bad URL encoding), for the log.
    var problem: String?
}

/// Reads a ``LoginRequest`` from the two request forms the endpoint accepts.
///
/// A login whose fields cannot be read (a `PasswordBase64` that is not base64 of UTF-8, a path name that is
/// not URL encoding of UTF-8) is a denial like any other, 200 `{}` with the reason logged: the contract keeps
/// other statuses for a broken API. Only a POST body that is not a JSON object is a 400.
enum LoginRequestReader {
    /// `GET /servers/{serverId}/users/{username}/config`: names from the path (URL-decoded), the password from
    /// `PasswordBase64` (preferred) or `Password`, `protocol` and `sourceIp` from the query.
    static func fromConfigRoute(_ request: Request, context: some RequestContext) throws -> ReadLoginRequest {
        let query = request.uri.queryParameters
        var loginRequest = LoginRequest(
            serverID: nil,
            username: nil,
            password: nil,
            protocolName: query["protocol"].map(String.init),
            sourceIP: query["sourceIp"].map(String.init)
        )
        var problems: [String] = []
        for (name, keyPath) in [("serverId", \LoginRequest.serverID), ("username", \LoginRequest.username)] {
            let raw = try context.parameters.require(name)
            if let decoded = raw.removingPercentEncoding {
                loginRequest[keyPath: keyPath] = decoded
            } else {
                loginRequest[keyPath: keyPath] = raw
                problems.append("the \(name) in the path is not valid URL encoding of UTF-8 text")
            }
        }
        switch password(from: request.headers) {
        case .success(let password): loginRequest.password = password
        case .failure(let problem): problems.append(problem.message)
        }
        return ReadLoginRequest(request: loginRequest, problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }

    /// `POST /` with the function-style event: `{"username", "password", "protocol", "serverId", "sourceIp"}`.
    static func fromEvent(_ body: ByteBuffer) throws -> ReadLoginRequest {
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
        return ReadLoginRequest(request: LoginRequest(
            serverID: try field("serverId"),
            username: try field("username"),
            password: try field("password"),
            protocolName: try field("protocol"),
            sourceIP: try field("sourceIp")
        ))
    }

    /// Why a header could not be read.
    struct HeaderProblem: Error {
        var message: String
    }

    /// The password from `PasswordBase64` (base64 of UTF-8) or `Password`; `nil` when neither is sent.
    static func password(from headers: HTTPFields) -> Result<String?, HeaderProblem> {
        if let encoded = headers[passwordBase64Header] {
            guard let data = Data(base64Encoded: encoded.trimmingCharacters(in: .whitespaces)) else {
                return .failure(HeaderProblem(message: "the PasswordBase64 header is not valid base64"))
            }
            guard let password = String(data: data, encoding: .utf8) else {
                return .failure(HeaderProblem(message: "the PasswordBase64 header does not decode to UTF-8 text"))
            }
            return .success(password)
        }
        return .success(headers[passwordHeader])
    }

    static let passwordHeader = HTTPField.Name("Password")!
    static let passwordBase64Header = HTTPField.Name("PasswordBase64")!
}

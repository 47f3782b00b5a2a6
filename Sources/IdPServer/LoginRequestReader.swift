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
/// The mapping rules live in `IdentityProvider` (`LoginRequest+Forms`), shared with the Lambda function. A login
/// whose fields cannot be read (a `PasswordBase64` that is not base64 of UTF-8, a path name that is not URL encoding
/// of UTF-8) is a denial like any other, 200 `{}` with the reason logged: the contract keeps other statuses for a
/// broken API. Only a POST body that is not a JSON object of strings is a 400.
enum LoginRequestReader {
    /// `GET /servers/{serverId}/users/{username}/config`: names from the path (URL-decoded), the password from
    /// `PasswordBase64` (preferred) or `Password`, `protocol` and `sourceIp` from the query.
    static func fromConfigRoute(_ request: Request, context: some RequestContext) throws -> ReadLoginRequest {
        let query = request.uri.queryParameters
        let serverID = try context.parameters.require("serverId")
        let username = try context.parameters.require("username")
        let queryValue = { (name: String) in query[name[...]].map(String.init) }
        do {
            let loginRequest = try LoginRequest(
                configRouteServerID: serverID,
                username: username,
                header: { name in HTTPField.Name(name).flatMap { request.headers[$0] } },
                query: queryValue
            )
            return ReadLoginRequest(request: loginRequest, problem: nil)
        } catch {
            let unread = LoginRequest(
                serverID: serverID.removingPercentEncoding ?? serverID, username: username.removingPercentEncoding ?? username,
                password: nil, protocolName: queryValue("protocol"), sourceIP: queryValue("sourceIp"))
            return ReadLoginRequest(request: unread, problem: error.message)
        }
    }

    /// `POST /` with the function-style event: `{"username", "password", "protocol", "serverId", "sourceIp"}`.
    static func fromEvent(_ body: ByteBuffer) throws -> ReadLoginRequest {
        do {
            return ReadLoginRequest(request: try LoginRequest(eventJSON: Data(body.readableBytesView)), problem: nil)
        } catch {
            throw HTTPError(.badRequest, message: error.message)
        }
    }
}

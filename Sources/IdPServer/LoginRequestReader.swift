import Foundation
import HTTPTypes
import Hummingbird
import IdentityProvider

/// Reads a ``LoginRequest`` from the two request forms the endpoint accepts, or throws a 400 naming what is wrong.
///
/// The mapping rules themselves live in `IdentityProvider` (`LoginRequest+Forms`), shared with the Lambda function.
enum LoginRequestReader {
    /// `GET /servers/{serverId}/users/{username}/config`: names from the path (URL-decoded), the password from
    /// `PasswordBase64` (preferred) or `Password`, `protocol` and `sourceIp` from the query.
    static func fromConfigRoute(_ request: Request, context: some RequestContext) throws -> LoginRequest {
        let query = request.uri.queryParameters
        return try badRequestOnFormError {
            try LoginRequest(
                configRouteServerID: try context.parameters.require("serverId"),
                username: try context.parameters.require("username"),
                header: { name in HTTPField.Name(name).flatMap { request.headers[$0] } },
                query: { name in query[name[...]].map(String.init) }
            )
        }
    }

    /// `POST /` with the function-style event: `{"username", "password", "protocol", "serverId", "sourceIp"}`.
    static func fromEvent(_ body: ByteBuffer) throws -> LoginRequest {
        try badRequestOnFormError { try LoginRequest(eventJSON: Data(body.readableBytesView)) }
    }

    private static func badRequestOnFormError(_ read: () throws -> LoginRequest) throws -> LoginRequest {
        do {
            return try read()
        } catch let error as LoginRequestFormError {
            throw HTTPError(.badRequest, message: error.message)
        }
    }
}

import Hummingbird

/// How callers of the endpoint prove they may ask.
public enum CallerAuthentication: Sendable {
    /// `Authorization: Bearer <token>` must carry this token.
    case bearerToken(String)
    /// Anyone may ask: only allowed when bound to a loopback address.
    case none
}

/// Refuses requests without the right bearer token with 401; `/healthz` stays open for probes.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let expectedToken: [UInt8]
    let openPaths: Set<String>

    init(token: String, openPaths: Set<String>) {
        self.expectedToken = Array(token.utf8)
        self.openPaths = openPaths
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openPaths.contains(request.uri.path) {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization] else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "missing Authorization: Bearer token")
        }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix.lowercased() else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "the Authorization header must be: Bearer <token>")
        }
        let presented = Array(header.utf8.dropFirst(prefix.utf8.count))
        guard ConstantTime.equal(presented, expectedToken) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""], message: "wrong bearer token")
        }
        return try await next(request, context)
    }
}

/// Byte comparison whose time depends only on the lengths, never on where the bytes differ.
enum ConstantTime {
    static func equal(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = presented.count == expected.count ? 0 : 1
        for index in presented.indices {
            difference |= presented[index] ^ (index < expected.count ? expected[index] : 0)
        }
        return difference == 0
    }
}

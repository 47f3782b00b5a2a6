import Foundation

/// Reads the bearer token that callers of `sftpidp serve` must present.
///
/// The file is read as an ``OwnerOnlyFile`` (no symbolic link, a regular file owned by the running user, mode
/// 600 or stricter) and must hold one non-empty token (surrounding white space and the final newline are ignored).
public enum AuthTokenFile {
    /// The token in the file at `path`. Throws ``IdPServerError`` naming the file and the rule it breaks.
    public static func readToken(at path: String) throws -> String {
        let bytes = try OwnerOnlyFile.contents(of: path, what: "auth token file", maxBytes: 64 * 1024)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw IdPServerError("auth token file \(path) is not UTF-8 text")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw IdPServerError("auth token file \(path) is empty: put a long random token in it (e.g. openssl rand -hex 32)")
        }
        guard !token.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw IdPServerError("auth token file \(path) must hold one token on one line, without spaces")
        }
        return token
    }
}

/// A configuration or start-up problem of the HTTP server, with a message for people.
public struct IdPServerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

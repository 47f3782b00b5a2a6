import Foundation

/// Reads the bearer token that callers of `sftpidp serve` must present.
///
/// The file must be a regular file that neither group nor others can read or write, and must hold a
/// non-empty token (surrounding white space and the final newline are ignored).
public enum AuthTokenFile {
    /// The token in the file at `path`. Throws ``IdPServerError`` naming the file and the rule it breaks.
    public static func readToken(at path: String) throws -> String {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw IdPServerError("auth token file \(path) cannot be read: it does not exist or is not accessible")
        }
        guard (attributes[.type] as? FileAttributeType) == .typeRegular else {
            throw IdPServerError("auth token file \(path) must be a regular file")
        }
        let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
        guard permissions & 0o066 == 0 else {
            throw IdPServerError("auth token file \(path) must not be readable or writable by group or others (mode is \(String(permissions, radix: 8)); run chmod 600 \(path))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IdPServerError("auth token file \(path) cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
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

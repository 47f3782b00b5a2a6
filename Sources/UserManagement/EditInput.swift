import Foundation
import IdentityModel

/// Text typed by an administrator (a CLI option, a console field) read as the typed values of ``UserEdit``.
///
/// One reading per field, one wording per error: the CLI and the console call these and show what they throw.
/// Errors name the secret key the value is for (`sftpidp:ExpiresAt: ...`) and never echo a password.
public enum EditInput {
    /// An expiry: empty or `never` (any case) mean none; else `YYYY-MM-DD` (00:00 UTC) or an ISO-8601 date-time.
    public static func expiry(_ text: String) throws(FieldError) -> Date? {
        let trimmed = text.trimmingWhitespace
        if trimmed.isEmpty || trimmed.lowercased() == "never" { return nil }
        guard let date = ISODate.parse(trimmed) else {
            throw FieldError(field: SecretKey.expiresAt, rule: "\"\(trimmed.prefix(40))\" is not a date: use YYYY-MM-DD, an ISO-8601 date-time like 2026-12-31T18:00:00Z, or never (empty also means never)")
        }
        return date
    }

    /// A POSIX profile from its three parts; all three empty means none.
    public static func posixProfile(uid: String, gid: String, secondaryGids: String) throws(FieldError) -> PosixProfile? {
        let parts = [uid, gid, secondaryGids].map(\.trimmingWhitespace)
        if parts.allSatisfy(\.isEmpty) { return nil }
        func id(_ text: Substring, _ what: String) throws(FieldError) -> UInt32 {
            guard let value = UInt32(text.trimmingWhitespace) else {
                throw FieldError(field: SecretKey.posixProfile, rule: "the \(what) \"\(text.prefix(20))\" is not a whole number from 0 to 4294967295")
            }
            return value
        }
        let secondary = parts[2].isEmpty ? [] : parts[2].split(separator: ",", omittingEmptySubsequences: false)
        var gids: [UInt32] = []
        for text in secondary { gids.append(try id(text, "secondary gid")) }
        return PosixProfile(uid: try id(Substring(parts[0]), "uid"), gid: try id(Substring(parts[1]), "gid"), secondaryGids: gids)
    }

    /// A POSIX profile written `UID:GID[:GID,GID...]` (the CLI's form); empty means none.
    public static func posixProfile(_ text: String) throws(FieldError) -> PosixProfile? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if text.trimmingWhitespace.isEmpty { return nil }
        guard (2...3).contains(parts.count) else {
            throw FieldError(field: SecretKey.posixProfile, rule: "must be UID:GID or UID:GID:GID,GID,... (whole numbers from 0 to 4294967295)")
        }
        return try posixProfile(uid: parts[0], gid: parts[1], secondaryGids: parts.count == 3 ? parts[2] : "")
    }

    /// Networks separated by commas (IPv4 or IPv6 CIDR); empty means every address.
    public static func networks(_ text: String) throws(FieldError) -> [IPNetwork] {
        try IPNetwork.parseList(text)
    }

    /// A `LOGICAL` home mapping written `ENTRY=TARGET`.
    public static func homeMapping(_ text: String) throws(FieldError) -> HomeMapping {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw FieldError(field: SecretKey.homeDirectoryDetails, rule: "\"\(text.prefix(60))\" must be ENTRY=TARGET, e.g. /=/bucket/home/jess")
        }
        return HomeMapping(entry: String(parts[0]), target: String(parts[1]))
    }

    /// One or more public key lines (line breaks separate keys; blank lines and `#` comments are skipped).
    public static func publicKeys(_ text: String) throws(FieldError) -> [SSHPublicKey] {
        let lines = text.split(whereSeparator: \.isNewline).map(\.trimmingWhitespace).filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !lines.isEmpty else {
            throw FieldError(field: SecretKey.publicKey, rule: "no key found: give a line like ssh-ed25519 AAAA… comment, or a .pub file")
        }
        var keys: [SSHPublicKey] = []
        for (index, line) in lines.enumerated() {
            do {
                keys.append(try SSHPublicKey(parsing: line))
            } catch {
                throw FieldError(field: SecretKey.publicKey, rule: lines.count == 1 ? "\(error)" : "line \(index + 1): \(error)")
            }
        }
        return keys
    }

    /// The largest file read as a list of public keys.
    public static let maximumKeyFileBytes = 256 * 1024

    /// The text of a public key file, `~` expanded; refuses private keys and files too large to be a key list.
    public static func keyFileText(_ path: String, home: String? = ProcessInfo.processInfo.environment["HOME"]) throws(FieldError) -> String {
        let field = SecretKey.publicKey
        let expanded = expandingTilde(in: path, home: home)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: expanded) else {
            throw FieldError(field: field, rule: "\(path): no such file")
        }
        if let size = (attributes[.size] as? NSNumber)?.intValue, size > maximumKeyFileBytes {
            throw FieldError(field: field, rule: "\(path): \(size) bytes is too large for a public key file")
        }
        guard let data = FileManager.default.contents(atPath: expanded), let text = String(data: data, encoding: .utf8) else {
            throw FieldError(field: field, rule: "\(path): cannot be read as UTF-8 text")
        }
        if text.contains("PRIVATE KEY") {
            throw FieldError(field: field, rule: "\(path) is a PRIVATE key: give the .pub file, and never share the private key")
        }
        return text
    }

    /// The keys in a public key file (see ``keyFileText(_:home:)`` and ``publicKeys(_:)``).
    public static func publicKeys(inFile path: String, home: String? = ProcessInfo.processInfo.environment["HOME"]) throws(FieldError) -> [SSHPublicKey] {
        try publicKeys(try keyFileText(path, home: home))
    }

    /// `~` and `~/…` with the home directory; every other path unchanged. The one place paths are expanded.
    public static func expandingTilde(in path: String, home: String? = ProcessInfo.processInfo.environment["HOME"]) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home, !home.isEmpty else { return path }
        return home + path.dropFirst()
    }

    /// A new password as typed: not empty, at most 1024 characters.
    public static func password(_ text: String) throws(FieldError) {
        if text.isEmpty {
            throw FieldError(field: SecretKey.password, rule: "must not be empty (clear the password instead to allow key logins only)")
        }
        if let error = Validation.password(text) { throw error }
    }

    /// A password read from standard input: UTF-8, one line (one trailing line break is dropped), not empty.
    public static func password(standardInput data: Data) throws(FieldError) -> String {
        guard var text = String(data: data, encoding: .utf8) else {
            throw FieldError(field: SecretKey.password, rule: "standard input is not UTF-8 text")
        }
        // "\r\n" is one Character, so one removeLast drops either line ending.
        if text.hasSuffix("\n") || text.hasSuffix("\r\n") { text.removeLast() }
        if text.contains(where: \.isNewline) {
            throw FieldError(field: SecretKey.password, rule: "standard input holds more than one line: give the password alone on one line")
        }
        try password(text)
        return text
    }

    /// `KEY=VALUE` for a raw key edit; the key must not be empty.
    public static func assignment(_ text: String) throws(FieldError) -> UserEdit {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw FieldError(field: "--set", rule: "\"\(text.prefix(40))\" must be KEY=VALUE")
        }
        let key = String(parts[0])
        if SecretKey.isPasswordVariant(key) { throw UserEdit.plainTextPasswordRefused(key) }
        return .setRawValue(key: key, value: String(parts[1]))
    }
}

/// The hash formats a stored password can have, as far as sftpidp can tell from its prefix.
public enum PasswordKind: String, Sendable, Hashable, CaseIterable {
    case argon2id
    case argon2i
    case bcrypt
    case yescrypt
    case sha512crypt
    case legacyPlainText
    case unsupported

    /// How the console and CLI name it: "argon2id", "bcrypt", "legacy plain text", "unsupported hash".
    public var label: String {
        switch self {
        case .argon2id: "argon2id"
        case .argon2i: "argon2i"
        case .bcrypt: "bcrypt"
        case .yescrypt: "yescrypt"
        case .sha512crypt: "sha512-crypt"
        case .legacyPlainText: "legacy plain text"
        case .unsupported: "unsupported hash"
        }
    }

    /// The kind of a PHC/crypt hash string, from its prefix.
    public init(hashString: String) {
        if hashString.hasPrefix("$argon2id$") {
            self = .argon2id
        } else if hashString.hasPrefix("$argon2i$") {
            self = .argon2i
        } else if ["$2a$", "$2b$", "$2y$"].contains(where: hashString.hasPrefix) {
            self = .bcrypt
        } else if hashString.hasPrefix("$y$") {
            self = .yescrypt
        } else if hashString.hasPrefix("$6$") {
            self = .sha512crypt
        } else {
            self = .unsupported
        }
    }
}

/// A user's password as stored in the secret: a hash under `PasswordHash`, or legacy plain text under `Password`.
///
/// Its description never shows the stored value.
public enum StoredPassword: Sendable, Hashable, CustomStringConvertible {
    /// A PHC/crypt hash string (the `PasswordHash` key).
    case hash(String)
    /// The password in plain text, as the original tools store it (the `Password` key).
    case legacyPlainText(String)

    /// Which format this is.
    public var kind: PasswordKind {
        switch self {
        case .hash(let hash): PasswordKind(hashString: hash)
        case .legacyPlainText: .legacyPlainText
        }
    }

    /// The display name of the format: "argon2id", "legacy plain text", ...
    public var kindLabel: String { kind.label }

    /// Whether this should be replaced by a fresh argon2id hash (plain text or an unsupported format).
    public var isLegacy: Bool { kind == .legacyPlainText || kind == .unsupported }

    public var description: String { "StoredPassword(\(kindLabel))" }
}

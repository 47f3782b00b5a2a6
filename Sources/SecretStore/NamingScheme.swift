/// How a user's secret is named: a template with `{username}` and optionally `{serverId}`.
///
/// The originals used `SFTP/{username}` (2019), `{serverId}/{username}` (2020) and
/// `aws/transfer/{serverId}/{username}` (the current AWS template). `{username}` must come last,
/// so that listing by the text before it finds every user.
public struct NamingScheme: Sendable, Hashable, CustomStringConvertible {
    /// `SFTP/{username}`: the default, as in the 2019 original.
    public static let sftpPrefix = NamingScheme(validTemplate: "SFTP/{username}")
    /// `{serverId}/{username}`: the 2020 update.
    public static let serverPrefix = NamingScheme(validTemplate: "{serverId}/{username}")
    /// `aws/transfer/{serverId}/{username}`: the current AWS template.
    public static let awsTransfer = NamingScheme(validTemplate: "aws/transfer/{serverId}/{username}")

    /// The template, e.g. `SFTP/{username}`.
    public let template: String
    /// The template without its final `{username}`, worked out once: every login names a secret.
    private let templateBeforeUser: String
    /// True when the template holds `{serverId}`, so a server id is needed to name a secret.
    public let needsServerID: Bool

    /// A scheme from a template; the short names `sftp`, `server` and `aws-transfer` name the three built-in ones.
    ///
    /// Throws ``NamingSchemeError`` when the template does not end in `{username}`, holds `{username}` more
    /// than once, or holds characters a secret name may not have.
    public init(_ templateOrShortName: String) throws {
        switch templateOrShortName {
        case "sftp": self = .sftpPrefix
        case "server": self = .serverPrefix
        case "aws-transfer": self = .awsTransfer
        default:
            let template = templateOrShortName
            guard template.hasSuffix("{username}") else {
                throw NamingSchemeError(template: template, rule: "must end with {username}")
            }
            guard template.components(separatedBy: "{username}").count == 2 else {
                throw NamingSchemeError(template: template, rule: "must contain {username} exactly once")
            }
            let literal = template.replacingOccurrences(of: "{username}", with: "").replacingOccurrences(of: "{serverId}", with: "")
            guard literal.allSatisfy(Self.isSecretNameCharacter) else {
                throw NamingSchemeError(template: template, rule: "may only hold the characters A-Z a-z 0-9 / _ + = . @ - besides the placeholders")
            }
            self.init(validTemplate: template)
        }
    }

    private init(validTemplate: String) {
        template = validTemplate
        templateBeforeUser = String(validTemplate.dropLast("{username}".count))
        needsServerID = validTemplate.contains("{serverId}")
    }

    /// The secret name of `username` on `serverID`. Throws when the scheme needs a server id and none is given.
    public func secretName(forUser username: String, serverID: String?) throws -> String {
        try prefix(serverID: serverID) + username
    }

    /// The text every user's secret name starts with: what to list by.
    public func prefix(serverID: String?) throws -> String {
        guard needsServerID else { return templateBeforeUser }
        guard let serverID, !serverID.isEmpty else {
            throw NamingSchemeError(template: template, rule: "needs a server id (--server-id or SFTPIDP_SERVER_ID)")
        }
        return templateBeforeUser.replacingOccurrences(of: "{serverId}", with: serverID)
    }

    /// The user name in `secretName`, or `nil` when the secret is not a user secret of this scheme and server.
    public func username(fromSecretName secretName: String, serverID: String?) -> String? {
        // Byte by byte: a listing of 100,000 names calls this for each, and names are ASCII.
        guard let prefix = try? prefix(serverID: serverID), secretName.utf8.starts(with: prefix.utf8) else { return nil }
        let username = secretName.utf8.dropFirst(prefix.utf8.count)
        return username.isEmpty || username.contains(UInt8(ascii: "/")) ? nil : String(decoding: username, as: UTF8.self)
    }

    public var description: String { template }

    /// True for the characters Secrets Manager allows in a secret name: `A-Za-z0-9/_+=.@-`.
    public static func isSecretNameCharacter(_ character: Character) -> Bool {
        guard character.isASCII, let byte = character.asciiValue, character.utf8.count == 1 else { return false }
        return isSecretNameByte(byte)
    }

    /// True for the UTF-8 bytes of the characters ``isSecretNameCharacter(_:)`` allows (every other byte, including
    /// those of non-ASCII characters, is false), so a name can be checked byte by byte.
    public static func isSecretNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: "."), UInt8(ascii: "@"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}

/// A naming-scheme template that cannot be used, with the rule it breaks.
public struct NamingSchemeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var template: String
    public var rule: String

    public var description: String { "naming scheme \"\(template)\" \(rule)" }
}

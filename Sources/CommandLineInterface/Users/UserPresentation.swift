import Foundation
import IdentityModel
import SecretStore
import TerminalText
import UserManagement

/// Everything `users show --json` tells about one user; passwords only as their kind, secret-looking keys hidden
/// by ``SecretRedaction`` (the text form is ``UserDescription``).
struct UserReport: Encodable {
    struct Key: Encodable {
        var type: String
        var bits: Int
        var fingerprint: String
        var comment: String?
        var expiresAt: Date?

        // Absent values are written as null, so that every key is always present.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(bits, forKey: .bits)
            try container.encode(fingerprint, forKey: .fingerprint)
            try container.encode(comment, forKey: .comment)
            try container.encode(expiresAt, forKey: .expiresAt)
        }

        enum CodingKeys: String, CodingKey { case type, bits, fingerprint, comment, expiresAt }
    }

    struct Home: Encodable {
        var type: String
        var directory: String?
        var mappings: [[String: String]]?

        // PATH homes write `directory` (null for the bucket root), LOGICAL ones write `mappings`.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            if let mappings {
                try container.encode(mappings, forKey: .mappings)
            } else {
                try container.encode(directory, forKey: .directory)
            }
        }

        enum CodingKeys: String, CodingKey { case type, directory, mappings }
    }

    struct Posix: Encodable {
        var uid: UInt32
        var gid: UInt32
        var secondaryGids: [UInt32]
    }

    var username: String
    var secretName: String
    var versionId: String
    var lastChangedAt: Date
    var valid: Bool
    var problems: [String]
    var role: String?
    var policy: String?
    var home: Home?
    var password: String?
    var legacyPassword: Bool
    var publicKeys: [Key]
    var networks: [String]
    var posixProfile: Posix?
    var disabled: Bool
    var expiresAt: Date?
    var allowedServerIds: [String]
    var comment: String?
    var protocolOverrides: [String: [String]]
    /// For each protocol with keys of its own: what a login over it checks (per-protocol keys first).
    var protocolCredentials: [String: Credentials]
    var otherKeys: [String: String]

    /// The password kind and key fingerprints a login over one protocol checks.
    struct Credentials: Encodable {
        var password: String?
        var legacyPassword: Bool
        var publicKeys: [String]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(password, forKey: .password)
            try container.encode(legacyPassword, forKey: .legacyPassword)
            try container.encode(publicKeys, forKey: .publicKeys)
        }

        enum CodingKeys: String, CodingKey { case password, legacyPassword, publicKeys }
    }

    // Absent values are written as null, so that every key is always present.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(username, forKey: .username)
        try container.encode(secretName, forKey: .secretName)
        try container.encode(versionId, forKey: .versionId)
        try container.encode(lastChangedAt, forKey: .lastChangedAt)
        try container.encode(valid, forKey: .valid)
        try container.encode(problems, forKey: .problems)
        try container.encode(role, forKey: .role)
        try container.encode(policy, forKey: .policy)
        try container.encode(home, forKey: .home)
        try container.encode(password, forKey: .password)
        try container.encode(legacyPassword, forKey: .legacyPassword)
        try container.encode(publicKeys, forKey: .publicKeys)
        try container.encode(networks, forKey: .networks)
        try container.encode(posixProfile, forKey: .posixProfile)
        try container.encode(disabled, forKey: .disabled)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(allowedServerIds, forKey: .allowedServerIds)
        try container.encode(comment, forKey: .comment)
        try container.encode(protocolOverrides, forKey: .protocolOverrides)
        try container.encode(protocolCredentials, forKey: .protocolCredentials)
        try container.encode(otherKeys, forKey: .otherKeys)
    }

    enum CodingKeys: String, CodingKey {
        case username, secretName, versionId, lastChangedAt, valid, problems, role, policy, home, password, legacyPassword,
             publicKeys, networks, posixProfile, disabled, expiresAt, allowedServerIds, comment, protocolOverrides, protocolCredentials, otherKeys
    }

    init(stored: StoredUser) {
        username = stored.username
        secretName = stored.value.name
        versionId = stored.value.versionID
        lastChangedAt = stored.value.version.createdAt
        let user: SFTPUser
        switch stored.secret {
        case .failure(let error):
            user = SFTPUser(secret: UserSecret())
            problems = [error.reason]
        case .success(let secret):
            user = SFTPUser(secret: secret)
            problems = (user.issues + user.validate()).map(\.description)
        }
        valid = problems.isEmpty
        role = user.role(for: nil)
        policy = user.policy(for: nil)
        switch user.home(for: nil) {
        case .path(let path): home = Home(type: "PATH", directory: path, mappings: nil)
        case .logical(let mappings):
            home = Home(type: "LOGICAL", directory: nil, mappings: mappings.map { mapping in
                var object = ["Entry": mapping.entry, "Target": mapping.target]
                object["Type"] = mapping.type?.rawValue
                return object
            })
        }
        let stored = user.storedPassword(for: nil)
        password = stored?.kindLabel
        legacyPassword = stored?.isLegacy ?? false
        publicKeys = user.publicKeys(for: nil).map {
            Key(type: $0.key.algorithm, bits: $0.key.bits, fingerprint: $0.key.fingerprint, comment: $0.key.comment, expiresAt: $0.expiresAt)
        }
        networks = user.acceptedNetworks(for: nil).map(\.description)
        posixProfile = user.posixProfile(for: nil).map { Posix(uid: $0.uid, gid: $0.gid, secondaryGids: $0.secondaryGids) }
        disabled = user.isDisabled
        expiresAt = user.expiresAt
        allowedServerIds = user.allowedServerIDs ?? []
        comment = user.comment
        protocolOverrides = Dictionary(uniqueKeysWithValues: user.protocolOverrides.map { transferProtocol, keys in
            (transferProtocol.rawValue, keys.map { String($0.dropFirst(transferProtocol.rawValue.count)) })
        })
        otherKeys = Dictionary(uniqueKeysWithValues: user.unknownKeys.map { key in
            (key, SecretRedaction.displayValue(of: key, in: user.secret))
        })
        protocolCredentials = Dictionary(uniqueKeysWithValues: user.protocolOverrides.keys.map { transferProtocol in
            let password = user.storedPassword(for: transferProtocol)
            return (transferProtocol.rawValue, Credentials(
                password: password?.kindLabel,
                legacyPassword: password?.isLegacy ?? false,
                publicKeys: user.publicKeys(for: transferProtocol).map(\.key.fingerprint)
            ))
        })
    }
}

/// The stable JSON form of one `users list` entry.
struct UserOverviewJSON: Encodable {
    var username: String
    var password: String?
    var publicKeys: Int
    var role: String?
    var home: String
    var flags: [UserOverview.Flag]
    var problems: [String]

    // Absent values are written as null, so that every key is always present.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(username, forKey: .username)
        try container.encode(password, forKey: .password)
        try container.encode(publicKeys, forKey: .publicKeys)
        try container.encode(role, forKey: .role)
        try container.encode(home, forKey: .home)
        try container.encode(flags, forKey: .flags)
        try container.encode(problems, forKey: .problems)
    }

    enum CodingKeys: String, CodingKey { case username, password, publicKeys, role, home, flags, problems }

    init(_ overview: UserOverview) {
        username = overview.username
        password = overview.passwordKind
        publicKeys = overview.publicKeyCount
        role = overview.role
        home = overview.home.text
        flags = overview.flags
        problems = overview.problems
    }
}

/// The stable JSON form of one `users history` entry.
struct UserVersionJSON: Encodable {
    var versionId: String
    var stages: [String]
    var createdAt: Date
    var changedKeys: [String]?

    // Absent values are written as null, so that every key is always present.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(versionId, forKey: .versionId)
        try container.encode(stages, forKey: .stages)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(changedKeys, forKey: .changedKeys)
    }

    enum CodingKeys: String, CodingKey { case versionId, stages, createdAt, changedKeys }

    init(_ entry: UserVersion) {
        versionId = entry.version.versionID
        stages = entry.version.stages
        createdAt = entry.version.createdAt
        changedKeys = entry.changedKeys
    }
}

/// The `users list` table: one line per user, columns sized to their content.
struct UserTable {
    var overviews: [UserOverview]

    var text: String {
        let header = ["USER", "AUTH", "ROLE", "HOME", "FLAGS"]
        let rows = overviews.map { overview in
            [
                overview.username,
                overview.authenticationSummary,
                overview.roleShortName ?? "-",
                overview.home.text,
                overview.flags.map(\.rawValue).joined(separator: ","),
            ].map { TerminalText.oneLine($0) }
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingSpaces
        }.joined(separator: "\n")
    }
}

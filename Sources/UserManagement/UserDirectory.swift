import Foundation
import IdentityModel
import SecretStore

/// The SFTP users kept in a secret store under one naming scheme: what the CLI and the console read and write.
///
/// Each user is one secret (`SFTP/jess`, `s-…/jess`, …) holding a JSON object. Every write names the version
/// it replaces, so a concurrent change is reported as a conflict instead of being overwritten, and every
/// write records which keys changed (never their values).
public struct UserDirectory: Sendable {
    /// The store the users live in.
    public let store: any SecretStore
    /// How user names map to secret names.
    public let naming: NamingScheme
    /// The server id used by naming schemes that contain `{serverId}`.
    public let serverID: String?
    /// How long a deleted user can be restored (7...30 days; the `recovery-window-days` setting).
    public let recoveryWindowDays: Int
    /// Who the audit trail names for writes, resolved once by whoever opens the directory.
    public let writer: WriterIdentity

    /// The recovery window when no setting names one.
    public static let defaultRecoveryWindowDays = 30

    public init(
        store: any SecretStore, naming: NamingScheme, serverID: String?, recoveryWindowDays: Int = UserDirectory.defaultRecoveryWindowDays,
        writer: WriterIdentity = .current()
    ) {
        self.store = store
        self.naming = naming
        self.serverID = serverID
        self.recoveryWindowDays = recoveryWindowDays
        self.writer = writer
    }

    /// The audit context of a write by ``writer``.
    func context(_ action: String, changedFields: [String] = []) -> WriteContext {
        writer.context(action, changedFields: changedFields)
    }

    /// The secret name of a user.
    ///
    /// A name no secret can have (a character Secrets Manager refuses in a secret name, or longer than a secret name)
    /// is refused here, before anything is read or echoed: the error names the rule, not the name.
    public func secretName(of username: String) throws -> String {
        guard (1...Validation.secretNameLength.upperBound).contains(username.utf8.count),
              username.allSatisfy({ $0 != "/" && NamingScheme.isSecretNameCharacter($0) }) else {
            throw FieldError(field: "user name", rule: "may only contain A-Z a-z 0-9 _ + = . @ - and be at most \(Validation.secretNameLength.upperBound) characters")
        }
        return try naming.secretName(forUser: username, serverID: serverID)
    }

    /// Every user name in the store (sorted), with deleted-but-restorable users when `includeDeleted`; `progress`
    /// hears the count listed after each page.
    public func listUsers(includeDeleted: Bool = false, progress: StoreProgressHandler? = nil) async throws -> [UserListing] {
        let prefix = try naming.prefix(serverID: serverID)
        let listed = progress.map { report in { @Sendable (count: Int) in report(.listing(listed: count)) } }
        return try await store.listAllSecrets(prefix: prefix, includeDeleted: includeDeleted, progress: listed).compactMap { summary in
            guard let username = naming.username(fromSecretName: summary.name, serverID: serverID) else { return nil }
            return UserListing(username: username, summary: summary)
        }
    }

    /// The current secret of a user, parsed; a value that is not a JSON object is reported in ``StoredUser/secret``.
    public func load(_ username: String, version: VersionSelector = .current) async throws -> StoredUser {
        let value = try await store.getSecret(name: try secretName(of: username), version: version)
        return StoredUser(username: username, value: value)
    }

    /// The current secrets of several users, in batches the store chooses; failures stay in their slots.
    public func loadMany(_ usernames: [String]) async throws -> [String: Result<StoredUser, SecretStoreError>] {
        var namesToUsers: [String: String] = [:]
        for username in usernames {
            namesToUsers[try secretName(of: username)] = username
        }
        let values = try await store.getSecrets(names: Array(namesToUsers.keys))
        var users: [String: Result<StoredUser, SecretStoreError>] = [:]
        for (name, result) in values {
            guard let username = namesToUsers[name] else { continue }
            users[username] = result.map { StoredUser(username: username, value: $0) }
        }
        return users
    }

    /// Creates a user's secret. Fails with `.alreadyExists` when the user exists (or is deleted but restorable).
    @discardableResult
    public func create(_ username: String, secret: UserSecret, action: String) async throws -> SecretVersionInfo {
        let writeContext = context(action, changedFields: secret.changedKeys(comparedTo: UserSecret()))
        return try await store.createSecret(name: try secretName(of: username), value: secret.secretString, context: writeContext)
    }

    /// Writes `secret` as the new version of `user`, provided nobody changed it since `user` was read.
    ///
    /// The audit trail records the keys that differ from the version read.
    @discardableResult
    public func save(_ secret: UserSecret, over user: StoredUser, action: String) async throws -> SecretVersionInfo {
        let previous = (try? user.secret.get()) ?? UserSecret()
        let writeContext = context(action, changedFields: secret.changedKeys(comparedTo: previous))
        return try await store.putSecret(name: user.value.name, value: secret.secretString, replacing: user.value.versionID, context: writeContext)
    }

    /// Schedules a user's secret for deletion (restorable for ``recoveryWindowDays``), or removes it at once.
    @discardableResult
    public func delete(_ username: String, forceWithoutRecovery: Bool = false, action: String) async throws -> Date {
        try await store.deleteSecret(
            name: try secretName(of: username),
            recoveryWindowDays: recoveryWindowDays,
            forceWithoutRecovery: forceWithoutRecovery,
            context: context(action)
        )
    }

    /// Cancels the scheduled deletion of a user's secret.
    public func restore(_ username: String, action: String) async throws {
        try await store.restoreSecret(name: try secretName(of: username), context: context(action))
    }

    /// Every kept version of a user's secret, newest first, with the keys each one changed.
    public func history(_ username: String) async throws -> [UserVersion] {
        let name = try secretName(of: username)
        let versions = try await store.listVersions(name: name)
        var secrets: [String: UserSecret] = [:]
        for version in versions {
            if let value = try? await store.getSecret(name: name, version: .id(version.versionID)) {
                secrets[version.versionID] = try? UserSecret(secretString: value.string)
            }
        }
        return versions.enumerated().map { index, version in
            let older = index + 1 < versions.count ? secrets[versions[index + 1].versionID] : nil
            let changed: [String]? = secrets[version.versionID].map { secret in
                secret.changedKeys(comparedTo: older ?? UserSecret())
            }
            return UserVersion(version: version, changedKeys: changed)
        }
    }

    /// Makes an older version current again, provided the current version is still `currentVersionID`.
    @discardableResult
    public func rollback(_ username: String, to versionID: String, replacing currentVersionID: String, action: String) async throws -> SecretVersionInfo {
        let name = try secretName(of: username)
        let current = try await store.getSecret(name: name, version: .current)
        let target = try await store.getSecret(name: name, version: .id(versionID))
        let changed = (try? UserSecret(secretString: target.string)).map { target in
            target.changedKeys(comparedTo: (try? UserSecret(secretString: current.string)) ?? UserSecret())
        } ?? []
        return try await store.promoteVersion(
            name: name,
            versionID: versionID,
            replacing: currentVersionID,
            context: context(action, changedFields: changed)
        )
    }
}

/// A user name found in a listing, with what the store knows of its secret.
public struct UserListing: Sendable, Hashable {
    public var username: String
    public var summary: SecretSummary
}

/// One version of a user's secret as read from the store, parsed when it is a JSON object.
public struct StoredUser: Sendable {
    public var username: String
    /// The raw stored version (name, version id, stages, value).
    public var value: SecretValue
    /// The parsed secret, or why the value is not a user secret.
    public var secret: Result<UserSecret, UserSecretError>

    public init(username: String, value: SecretValue) {
        self.username = username
        self.value = value
        self.secret = Result { () throws(UserSecretError) in try UserSecret(secretString: value.string) }
    }
}

/// A version in a user's history and the keys it changed compared to the version before it.
public struct UserVersion: Sendable, Hashable {
    public var version: SecretVersionInfo
    /// The keys that differ from the next older version (all keys for the first one); nil when unreadable.
    public var changedKeys: [String]?
}

import Foundation

/// A store of named, versioned secret strings: the subset of AWS Secrets Manager that sftpidp needs.
///
/// Every write names the version it replaces; when the current version is a different one the write
/// fails with ``SecretStoreError/Kind/conflict`` and changes nothing. Old versions are kept and can be
/// made current again. Deleted secrets stay restorable until their recovery window ends, unless
/// deleted with `forceWithoutRecovery`.
///
/// Implementations never put a secret value into an error message or a log line.
public protocol SecretStore: Sendable {
    /// A short human description of where the secrets live, e.g. `embedded /home/a/.local/share/sftpidp/secrets.db`.
    var displayName: String { get }

    /// One page of secret names starting with `prefix`, sorted by name.
    ///
    /// - Parameters:
    ///   - prefix: only names that start with this text; empty lists every secret.
    ///   - pageSize: at most this many entries (1...100 is what every store supports).
    ///   - nextToken: the token of the previous page, or `nil` for the first page.
    ///   - includeDeleted: also list secrets scheduled for deletion (their ``SecretSummary/deletedAt`` is set).
    func listSecrets(prefix: String, pageSize: Int, nextToken: String?, includeDeleted: Bool) async throws -> SecretPage

    /// The value of one version of a secret.
    ///
    /// Throws ``SecretStoreError/Kind/notFound`` when there is no such secret or version, and
    /// ``SecretStoreError/Kind/markedForDeletion`` when the secret is scheduled for deletion.
    func getSecret(name: String, version: VersionSelector) async throws -> SecretValue

    /// The current values of several secrets at once; a missing or unreadable one is a failure in its slot.
    func getSecrets(names: [String]) async throws -> [String: Result<SecretValue, SecretStoreError>]

    /// Creates a secret with its first version. Throws ``SecretStoreError/Kind/alreadyExists`` when the name is taken
    /// (also by a secret scheduled for deletion).
    func createSecret(name: String, value: String, context: WriteContext) async throws -> SecretVersionInfo

    /// Writes a new current version, provided `replacing` is still the current version id.
    ///
    /// The version that was current becomes ``SecretVersionInfo/previousStage``.
    func putSecret(name: String, value: String, replacing versionID: String, context: WriteContext) async throws -> SecretVersionInfo

    /// Makes an existing older version current again, provided `replacing` is still the current version id.
    func promoteVersion(name: String, versionID: String, replacing currentVersionID: String, context: WriteContext) async throws -> SecretVersionInfo

    /// Schedules a secret for deletion after `recoveryWindowDays` (7...30), or removes it at once with
    /// `forceWithoutRecovery`. Returns the date when the secret will be (or was) removed.
    @discardableResult
    func deleteSecret(name: String, recoveryWindowDays: Int, forceWithoutRecovery: Bool, context: WriteContext) async throws -> Date

    /// Cancels a scheduled deletion.
    func restoreSecret(name: String, context: WriteContext) async throws

    /// Every version of a secret still kept, newest first.
    func listVersions(name: String) async throws -> [SecretVersionInfo]
}

extension SecretStore {
    /// Default batch read: one `getSecret` per name, each failure kept in its slot.
    public func getSecrets(names: [String]) async throws -> [String: Result<SecretValue, SecretStoreError>] {
        var values: [String: Result<SecretValue, SecretStoreError>] = [:]
        for name in names {
            do {
                values[name] = .success(try await getSecret(name: name, version: .current))
            } catch let error as SecretStoreError {
                values[name] = .failure(error)
            }
        }
        return values
    }

    /// Every secret name starting with `prefix`, following all pages; `progress` hears the count after each page.
    public func listAllSecrets(prefix: String, includeDeleted: Bool = false, progress: (@Sendable (_ listed: Int) -> Void)? = nil) async throws -> [SecretSummary] {
        var summaries: [SecretSummary] = []
        var token: String?
        repeat {
            let page = try await listSecrets(prefix: prefix, pageSize: 100, nextToken: token, includeDeleted: includeDeleted)
            summaries += page.secrets
            progress?(summaries.count)
            token = page.nextToken
        } while token != nil
        return summaries
    }
}

/// Which version of a secret to read.
public enum VersionSelector: Sendable, Hashable {
    /// The version labelled `AWSCURRENT`.
    case current
    /// The version labelled `AWSPREVIOUS`: the one that was current before the last write.
    case previous
    /// A version by its id.
    case id(String)
}

/// One secret in a listing.
public struct SecretSummary: Sendable, Hashable {
    /// The secret's full name, e.g. `SFTP/jess`.
    public var name: String
    /// When the secret was last written, when the store knows.
    public var lastChangedAt: Date?
    /// Set when the secret is scheduled for deletion: the date it was deleted.
    public var deletedAt: Date?
    /// The id of the current version, when the listing tells it (AWS does, in `SecretVersionsToStages`).
    public var currentVersionID: String?

    public init(name: String, lastChangedAt: Date? = nil, deletedAt: Date? = nil, currentVersionID: String? = nil) {
        self.name = name
        self.lastChangedAt = lastChangedAt
        self.deletedAt = deletedAt
        self.currentVersionID = currentVersionID
    }
}

/// One page of a listing and the token for the next, `nil` on the last page.
public struct SecretPage: Sendable, Hashable {
    public var secrets: [SecretSummary]
    public var nextToken: String?

    public init(secrets: [SecretSummary], nextToken: String?) {
        self.secrets = secrets
        self.nextToken = nextToken
    }
}

/// A version of a secret, without its value.
public struct SecretVersionInfo: Sendable, Hashable {
    /// The stage label of the current version.
    public static let currentStage = "AWSCURRENT"
    /// The stage label of the version that was current before the last write.
    public static let previousStage = "AWSPREVIOUS"

    public var name: String
    public var versionID: String
    /// Stage labels such as `AWSCURRENT` and `AWSPREVIOUS`; empty for older versions.
    public var stages: [String]
    public var createdAt: Date

    public init(name: String, versionID: String, stages: [String], createdAt: Date) {
        self.name = name
        self.versionID = versionID
        self.stages = stages
        self.createdAt = createdAt
    }

    /// True when this is the current version.
    public var isCurrent: Bool { stages.contains(Self.currentStage) }
}

/// One version of a secret with its value.
public struct SecretValue: Sendable, Hashable {
    public var version: SecretVersionInfo
    /// The secret string, normally a JSON object. Never log or print it.
    public var string: String

    public init(version: SecretVersionInfo, string: String) {
        self.version = version
        self.string = string
    }

    public var name: String { version.name }
    public var versionID: String { version.versionID }
}

/// Who makes a change and what it changes, for the audit trail. Never holds a secret value.
public struct WriteContext: Sendable, Hashable {
    /// What was done, e.g. `users.create`, `users.update`, `console.edit`.
    public var action: String
    /// The operating-system user making the change.
    public var actor: String
    /// The ssh client address (from `SSH_CLIENT`) when the change comes over ssh.
    public var clientAddress: String?
    /// Names of the secret's JSON keys that changed (never their values).
    public var changedFields: [String]

    public init(action: String, actor: String, clientAddress: String? = nil, changedFields: [String] = []) {
        self.action = action
        self.actor = actor
        self.clientAddress = clientAddress
        self.changedFields = changedFields
    }

    /// A context for `action` by the current process's user, with the ssh client address when present.
    public static func current(action: String, changedFields: [String] = [], environment: [String: String] = ProcessInfo.processInfo.environment) -> WriteContext {
        WriterIdentity.current(environment: environment).context(action, changedFields: changedFields)
    }
}

/// Who makes writes, as the audit trail names them: the actor and, over ssh, the client's address.
public struct WriterIdentity: Sendable, Hashable {
    public var actor: String
    public var clientAddress: String?

    public init(actor: String, clientAddress: String? = nil) {
        self.actor = actor
        self.clientAddress = clientAddress
    }

    /// The process's account, looked up from its user id (not `USER`, which any caller can set), with the ssh
    /// client address (`SSH_CLIENT`, as sshd sets it) when present.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> WriterIdentity {
        WriterIdentity(actor: processAccount,
                       clientAddress: environment["SSH_CLIENT"]?.split(separator: " ").first.map(String.init))
    }

    /// The login name of the process's effective user id in the system's user database, else `uid <number>`.
    public static var processAccount: String {
        let uid = geteuid()
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &found) == 0, found != nil, let name = entry.pw_name else {
            return "uid \(uid)"
        }
        return String(cString: name)
    }

    /// The audit context of one write by this writer.
    public func context(_ action: String, changedFields: [String] = []) -> WriteContext {
        WriteContext(action: action, actor: actor, clientAddress: clientAddress, changedFields: changedFields)
    }
}

/// One entry of a store's audit trail: what changed, when and by whom; never a value.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var time: Date
    public var actor: String
    public var clientAddress: String?
    public var action: String
    public var secretName: String
    public var changedFields: [String]

    public init(time: Date, actor: String, clientAddress: String?, action: String, secretName: String, changedFields: [String]) {
        self.time = time
        self.actor = actor
        self.clientAddress = clientAddress
        self.action = action
        self.secretName = secretName
        self.changedFields = changedFields
    }
}

/// A store that keeps its own audit trail of writes.
public protocol AuditedSecretStore: SecretStore {
    /// The newest `limit` audit entries, newest first, optionally only for one secret.
    func auditTrail(secretName: String?, limit: Int) async throws -> [AuditEntry]
}

import Foundation
import SecretStore

/// A ``SecretStore`` held in memory, with the exact semantics of the protocol, for tests of the layers above.
///
/// Tests can make it fail (``failNextCalls(_:with:)``), slow (``setLatency(_:)``) and move its clock
/// (``advanceClock(by:)``) to reach expired recovery windows.
public actor InMemorySecretStore: AuditedSecretStore {
    private struct StoredVersion {
        var info: SecretVersionInfo
        var value: String
    }

    private struct StoredSecret {
        var createdAt: Date
        var deletedAt: Date?
        var deletionDate: Date?
        /// Oldest first.
        var versions: [StoredVersion]

        var current: StoredVersion? { versions.last { $0.info.isCurrent } }
        var lastChangedAt: Date? { versions.map(\.info.createdAt).max() }
    }

    private var secrets: [String: StoredSecret] = [:]
    private var audit: [AuditEntry] = []
    private var pendingFailures: [SecretStoreError] = []
    private var latency: Duration = .zero
    private var clockOffset: TimeInterval = 0
    private var calls = 0

    public nonisolated let displayName: String
    /// Listings name each secret's current version, as AWS Secrets Manager's do.
    private let listsVersionIDs: Bool

    /// An empty store; `displayName` is what ``SecretStore/displayName`` shows; `listsVersionIDs` makes listings name
    /// each secret's current version like AWS.
    public init(displayName: String = "in-memory test store", listsVersionIDs: Bool = false) {
        self.displayName = displayName
        self.listsVersionIDs = listsVersionIDs
    }

    // MARK: Test controls

    /// Makes the next `count` store calls throw `error` (before touching any state).
    public func failNextCalls(_ count: Int = 1, with error: SecretStoreError) {
        pendingFailures += Array(repeating: error, count: max(0, count))
    }

    /// Makes every store call wait `latency` before doing anything, like a slow remote store.
    public func setLatency(_ latency: Duration) {
        self.latency = latency
    }

    /// Moves the store's clock forward, e.g. past a recovery window.
    public func advanceClock(by interval: TimeInterval) {
        clockOffset += interval
    }

    /// How many store calls (reads and writes, failed ones included) were made so far.
    public var callCount: Int { calls }

    // MARK: SecretStore

    public func listSecrets(prefix: String, pageSize: Int, nextToken: String?, includeDeleted: Bool) async throws -> SecretPage {
        try await beginCall()
        try SecretStoreRules.validatePageSize(pageSize)
        let after = try nextToken.map(NameAfterToken.decode) ?? ""
        let names = secrets.keys
            .filter { $0.hasPrefix(prefix) && $0 > after }
            .filter { includeDeleted || secrets[$0]?.deletedAt == nil }
            .sorted()
        let page = names.prefix(pageSize)
        let summaries = page.compactMap { name in
            secrets[name].map { SecretSummary(name: name, lastChangedAt: $0.lastChangedAt, deletedAt: $0.deletedAt,
                                              currentVersionID: listsVersionIDs ? $0.current?.info.versionID : nil) }
        }
        let token = names.count > pageSize ? page.last.map(NameAfterToken.encode) : nil
        return SecretPage(secrets: summaries, nextToken: token)
    }

    public func getSecret(name: String, version: VersionSelector) async throws -> SecretValue {
        try await beginCall()
        let secret = try liveSecret(name)
        let stored: StoredVersion?
        switch version {
        case .current: stored = secret.current
        case .previous: stored = secret.versions.last { $0.info.stages.contains(SecretVersionInfo.previousStage) }
        case .id(let id): stored = secret.versions.first { $0.info.versionID == id }
        }
        guard let stored else {
            throw SecretStoreError(.notFound, secretName: name, message: "secret \(name) has no \(Self.describe(version))")
        }
        return SecretValue(version: stored.info, string: stored.value)
    }

    public func createSecret(name: String, value: String, context: WriteContext) async throws -> SecretVersionInfo {
        try await beginCall()
        try SecretStoreRules.validateName(name)
        try SecretStoreRules.validateValue(value, secretName: name)
        guard secrets[name] == nil else {
            throw SecretStoreError(.alreadyExists, secretName: name, message: "secret \(name) already exists")
        }
        let info = SecretVersionInfo(name: name, versionID: UUID().uuidString.lowercased(), stages: [SecretVersionInfo.currentStage], createdAt: now)
        secrets[name] = StoredSecret(createdAt: info.createdAt, versions: [StoredVersion(info: info, value: value)])
        record(context, secretName: name)
        return info
    }

    public func putSecret(name: String, value: String, replacing versionID: String, context: WriteContext) async throws -> SecretVersionInfo {
        try await beginCall()
        try SecretStoreRules.validateValue(value, secretName: name)
        var secret = try liveSecret(name)
        try Self.checkCurrent(of: secret, name: name, is: versionID)
        let id = UUID().uuidString.lowercased()
        secret.versions.append(StoredVersion(info: SecretVersionInfo(name: name, versionID: id, stages: [], createdAt: now), value: value))
        let info = Self.makeCurrent(at: secret.versions.count - 1, in: &secret)
        secrets[name] = secret
        record(context, secretName: name)
        return info
    }

    public func promoteVersion(name: String, versionID: String, replacing currentVersionID: String, context: WriteContext) async throws -> SecretVersionInfo {
        try await beginCall()
        var secret = try liveSecret(name)
        try Self.checkCurrent(of: secret, name: name, is: currentVersionID)
        guard let index = secret.versions.firstIndex(where: { $0.info.versionID == versionID }) else {
            throw SecretStoreError(.notFound, secretName: name, message: "secret \(name) has no version \(versionID)")
        }
        let info = Self.makeCurrent(at: index, in: &secret)
        secrets[name] = secret
        record(context, secretName: name)
        return info
    }

    @discardableResult
    public func deleteSecret(name: String, recoveryWindowDays: Int, forceWithoutRecovery: Bool, context: WriteContext) async throws -> Date {
        try await beginCall()
        guard var secret = secrets[name] else { throw Self.notFound(name) }
        let time = now
        if forceWithoutRecovery {
            secrets[name] = nil
            record(context, secretName: name)
            return time
        }
        try SecretStoreRules.validateRecoveryWindow(recoveryWindowDays, secretName: name)
        guard secret.deletedAt == nil else { throw Self.markedForDeletion(name) }
        let deletionDate = time.addingTimeInterval(TimeInterval(recoveryWindowDays) * 86_400)
        secret.deletedAt = time
        secret.deletionDate = deletionDate
        secrets[name] = secret
        record(context, secretName: name)
        return deletionDate
    }

    public func restoreSecret(name: String, context: WriteContext) async throws {
        try await beginCall()
        guard var secret = secrets[name] else { throw Self.notFound(name) }
        guard secret.deletedAt != nil else { return }
        secret.deletedAt = nil
        secret.deletionDate = nil
        secrets[name] = secret
        record(context, secretName: name)
    }

    public func listVersions(name: String) async throws -> [SecretVersionInfo] {
        try await beginCall()
        guard let secret = secrets[name] else { throw Self.notFound(name) }
        return secret.versions.reversed().map(\.info)
    }

    public func auditTrail(secretName: String?, limit: Int) async throws -> [AuditEntry] {
        try await beginCall()
        return Array(audit.reversed().filter { secretName == nil || $0.secretName == secretName }.prefix(max(0, limit)))
    }

    // MARK: Internals

    private var now: Date { Date().addingTimeInterval(clockOffset) }

    /// Applies latency and injected failures, then drops secrets whose recovery window has passed.
    private func beginCall() async throws {
        calls += 1
        if latency > .zero {
            try await Task.sleep(for: latency)
        }
        if !pendingFailures.isEmpty {
            throw pendingFailures.removeFirst()
        }
        let time = now
        secrets = secrets.filter { $0.value.deletionDate.map { $0 > time } ?? true }
    }

    private func liveSecret(_ name: String) throws -> StoredSecret {
        guard let secret = secrets[name] else { throw Self.notFound(name) }
        guard secret.deletedAt == nil else { throw Self.markedForDeletion(name) }
        return secret
    }

    private static func checkCurrent(of secret: StoredSecret, name: String, is expected: String) throws {
        let actual = secret.current?.info.versionID ?? ""
        guard actual == expected else {
            throw SecretStoreError(.conflict(expectedVersionID: expected, actualVersionID: actual), secretName: name,
                                   message: "secret \(name) was changed meanwhile: its current version is \(actual), not \(expected)")
        }
    }

    /// Moves the stage labels so that the version at `index` is current, drops versions beyond the cap, returns the new current version.
    private static func makeCurrent(at index: Int, in secret: inout StoredSecret) -> SecretVersionInfo {
        let versionID = secret.versions[index].info.versionID
        let stages = Dictionary(uniqueKeysWithValues: secret.versions.map { ($0.info.versionID, $0.info.stages) })
        let changed = SecretStoreRules.stagesAfterMakingCurrent(versionID, stages: stages)
        for position in secret.versions.indices {
            if let labels = changed[secret.versions[position].info.versionID] {
                secret.versions[position].info.stages = labels
            }
        }
        let info = secret.versions[index].info
        let pruned = Set(SecretStoreRules.versionsToPrune(secret.versions.reversed().map(\.info)))
        secret.versions.removeAll { pruned.contains($0.info.versionID) }
        return info
    }

    private func record(_ context: WriteContext, secretName: String) {
        audit.append(AuditEntry(time: now, actor: context.actor, clientAddress: context.clientAddress, action: context.action,
                                secretName: secretName, changedFields: context.changedFields))
    }

    private static func notFound(_ name: String) -> SecretStoreError {
        SecretStoreError(.notFound, secretName: name, message: "secret \(name) not found")
    }

    private static func markedForDeletion(_ name: String) -> SecretStoreError {
        SecretStoreError(.markedForDeletion, secretName: name, message: "secret \(name) is scheduled for deletion; restore it first")
    }

    private static func describe(_ selector: VersionSelector) -> String {
        switch selector {
        case .current: "current version"
        case .previous: "previous version"
        case .id(let id): "version \(id)"
        }
    }
}

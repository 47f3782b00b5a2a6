import Foundation
import SecretStore

/// The behaviours every ``SecretStore`` must show, as named checks a test target runs against its store.
///
/// ```swift
/// @Test(arguments: SecretStoreConformance.checks)
/// func conforms(_ check: ConformanceCheck) async throws {
///     try await check.run(on: makeStore(), namePrefix: SecretStoreConformance.uniquePrefix())
/// }
/// ```
/// Each check names its secrets under the prefix it is given, so the checks may share one store.
public enum SecretStoreConformance {
    static let context = WriteContext(action: "conformance.test", actor: "conformance", clientAddress: "192.0.2.7", changedFields: ["Password"])
    static let day: TimeInterval = 86_400

    /// A fresh name prefix such as `conformance-1a2b3c4d/`.
    public static func uniquePrefix() -> String {
        "conformance-\(UUID().uuidString.prefix(8).lowercased())/"
    }

    /// The checks for every store.
    public static let checks: [ConformanceCheck] = [
        createThenGet, createTakenName, putMakesPreviousVersion, stalePutConflicts, readByVersionID,
        promoteOlderVersion, scheduledDeletionAndRestore, recoveryWindowLimits, forceDelete,
        listingPagesAndPrefix, missingSecret, invalidRequests, batchRead,
    ]

    /// The checks for stores that keep an audit trail (``AuditedSecretStore``).
    public static let auditedChecks: [ConformanceCheck] = [auditTrailOfWrites]

    /// Runs every check (and the audit checks when the store is audited), each on a store from `makeStore`;
    /// throws on the first violation, naming the check.
    public static func checkAll(makeStore: () async throws -> any SecretStore) async throws {
        for check in checks {
            try await run(check, on: makeStore())
        }
        let store = try await makeStore()
        guard store is any AuditedSecretStore else { return }
        for check in auditedChecks {
            try await run(check, on: store)
        }
    }

    private static func run(_ check: ConformanceCheck, on store: any SecretStore) async throws {
        do {
            try await check.run(on: store, namePrefix: uniquePrefix())
        } catch {
            throw ConformanceViolation(message: "check \"\(check.name)\" failed: \(error)")
        }
    }

    static let createThenGet = ConformanceCheck("create then read the current version") { store, prefix in
        let name = prefix + "alice"
        let created = try await store.createSecret(name: name, value: #"{"Role":"r1"}"#, context: context)
        try Expect.equal(created.name, name, "created version's name")
        try Expect.that(created.isCurrent, "a new secret's first version must be AWSCURRENT, stages were \(created.stages)")
        let current = try await store.getSecret(name: name, version: .current)
        try Expect.equal(current.string, #"{"Role":"r1"}"#, "current value")
        try Expect.equal(current.versionID, created.versionID, "current version id")
        let byID = try await store.getSecret(name: name, version: .id(created.versionID))
        try Expect.equal(byID.string, #"{"Role":"r1"}"#, "value read by version id")
        try await Expect.notFound("previous version of a secret with one version") {
            try await store.getSecret(name: name, version: .previous)
        }
    }

    static let createTakenName = ConformanceCheck("create with a taken name fails and changes nothing") { store, prefix in
        let name = prefix + "bob"
        _ = try await store.createSecret(name: name, value: "first", context: context)
        try await Expect.alreadyExists("second create of \(name)") {
            try await store.createSecret(name: name, value: "second", context: context)
        }
        try Expect.equal(try await store.getSecret(name: name, version: .current).string, "first", "value after the refused create")
        try Expect.equal(try await store.listVersions(name: name).count, 1, "versions after the refused create")
    }

    static let putMakesPreviousVersion = ConformanceCheck("put makes a new current version and keeps the old one as AWSPREVIOUS") { store, prefix in
        let name = prefix + "carol"
        let first = try await store.createSecret(name: name, value: "v1", context: context)
        let second = try await store.putSecret(name: name, value: "v2", replacing: first.versionID, context: context)
        try Expect.that(second.isCurrent, "the put version must be AWSCURRENT, stages were \(second.stages)")
        try Expect.that(second.versionID != first.versionID, "a put must make a new version id")
        try Expect.equal(try await store.getSecret(name: name, version: .current).string, "v2", "current value after put")
        let previous = try await store.getSecret(name: name, version: .previous)
        try Expect.equal(previous.string, "v1", "previous value after put")
        try Expect.equal(previous.versionID, first.versionID, "previous version id after put")
        let third = try await store.putSecret(name: name, value: "v3", replacing: second.versionID, context: context)
        let versions = try await store.listVersions(name: name)
        try Expect.equal(Set(versions.map(\.versionID)), [first.versionID, second.versionID, third.versionID], "version ids kept")
        try Expect.equal(versions.first?.versionID, third.versionID, "newest version listed first")
        try Expect.equal(versions.filter(\.isCurrent).map(\.versionID), [third.versionID], "versions labelled AWSCURRENT")
        try Expect.equal(versions.filter { $0.stages.contains(SecretVersionInfo.previousStage) }.map(\.versionID), [second.versionID], "versions labelled AWSPREVIOUS")
        try Expect.equal(versions.first { $0.versionID == first.versionID }?.stages ?? ["missing"], [], "stages of the oldest version")
    }

    static let stalePutConflicts = ConformanceCheck("put with a stale version is a conflict and changes nothing") { store, prefix in
        let name = prefix + "dave"
        let first = try await store.createSecret(name: name, value: "v1", context: context)
        let second = try await store.putSecret(name: name, value: "v2", replacing: first.versionID, context: context)
        try await Expect.conflict("put replacing the old version", expected: first.versionID, actual: second.versionID) {
            try await store.putSecret(name: name, value: "lost", replacing: first.versionID, context: context)
        }
        try await Expect.conflict("put replacing an unknown version", expected: "no-such-version", actual: second.versionID) {
            try await store.putSecret(name: name, value: "lost", replacing: "no-such-version", context: context)
        }
        try Expect.equal(try await store.getSecret(name: name, version: .current).string, "v2", "current value after the conflicts")
        try Expect.equal(try await store.listVersions(name: name).count, 2, "versions after the conflicts")
    }

    static let readByVersionID = ConformanceCheck("older versions are readable by id; unknown ids are not found") { store, prefix in
        let name = prefix + "erin"
        let first = try await store.createSecret(name: name, value: "v1", context: context)
        var replacing = first.versionID
        for value in ["v2", "v3", "v4"] {
            replacing = try await store.putSecret(name: name, value: value, replacing: replacing, context: context).versionID
        }
        let old = try await store.getSecret(name: name, version: .id(first.versionID))
        try Expect.equal(old.string, "v1", "value of the first version read by id")
        try Expect.equal(old.version.stages, [], "stages of the first version after three puts")
        try await Expect.notFound("read of an unknown version id") {
            try await store.getSecret(name: name, version: .id(UUID().uuidString.lowercased()))
        }
    }

    static let promoteOlderVersion = ConformanceCheck("promote makes an older version current again") { store, prefix in
        let name = prefix + "frank"
        let v1 = try await store.createSecret(name: name, value: "v1", context: context)
        let v2 = try await store.putSecret(name: name, value: "v2", replacing: v1.versionID, context: context)
        let v3 = try await store.putSecret(name: name, value: "v3", replacing: v2.versionID, context: context)
        try await Expect.conflict("promote replacing a stale version", expected: v2.versionID, actual: v3.versionID) {
            try await store.promoteVersion(name: name, versionID: v1.versionID, replacing: v2.versionID, context: context)
        }
        try await Expect.notFound("promote of an unknown version") {
            try await store.promoteVersion(name: name, versionID: "no-such-version", replacing: v3.versionID, context: context)
        }
        let promoted = try await store.promoteVersion(name: name, versionID: v1.versionID, replacing: v3.versionID, context: context)
        try Expect.equal(promoted.versionID, v1.versionID, "promoted version id")
        try Expect.that(promoted.isCurrent, "the promoted version must be AWSCURRENT, stages were \(promoted.stages)")
        try Expect.equal(try await store.getSecret(name: name, version: .current).string, "v1", "current value after promote")
        try Expect.equal(try await store.getSecret(name: name, version: .previous).versionID, v3.versionID, "AWSPREVIOUS after promote")
        let versions = try await store.listVersions(name: name)
        try Expect.equal(versions.count, 3, "versions after promote (promote makes no new version)")
        try Expect.equal(versions.first { $0.versionID == v2.versionID }?.stages ?? ["missing"], [], "stages of the middle version")
    }

    static let scheduledDeletionAndRestore = ConformanceCheck("deletion with a recovery window hides the secret until restored") { store, prefix in
        let name = prefix + "grace"
        let other = prefix + "heidi"
        let created = try await store.createSecret(name: name, value: "keep me", context: context)
        _ = try await store.createSecret(name: other, value: "x", context: context)
        let before = Date()
        let deletionDate = try await store.deleteSecret(name: name, recoveryWindowDays: 7, forceWithoutRecovery: false, context: context)
        let days = deletionDate.timeIntervalSince(before) / day
        try Expect.that(days > 6.9 && days < 7.1, "deletion date must be 7 days away, was \(days) days")
        try await Expect.markedForDeletion("read of a deleted secret") { try await store.getSecret(name: name, version: .current) }
        try await Expect.markedForDeletion("put to a deleted secret") {
            try await store.putSecret(name: name, value: "x", replacing: created.versionID, context: context)
        }
        try await Expect.alreadyExists("create over a deleted secret") { try await store.createSecret(name: name, value: "x", context: context) }
        try await Expect.markedForDeletion("second scheduled deletion") {
            try await store.deleteSecret(name: name, recoveryWindowDays: 7, forceWithoutRecovery: false, context: context)
        }
        let live = try await store.listAllSecrets(prefix: prefix)
        try Expect.equal(live.map(\.name), [other], "listing without deleted secrets")
        let all = try await store.listAllSecrets(prefix: prefix, includeDeleted: true)
        try Expect.equal(all.map(\.name), [name, other], "listing with deleted secrets")
        try Expect.that(all.first?.deletedAt != nil, "a deleted secret's listing entry must carry its deletion date")
        try Expect.that(all.last?.deletedAt == nil, "a live secret's listing entry must not carry a deletion date")
        try await store.restoreSecret(name: name, context: context)
        let restored = try await store.getSecret(name: name, version: .current)
        try Expect.equal(restored.string, "keep me", "value after restore")
        try Expect.equal(restored.versionID, created.versionID, "version after restore")
        try Expect.equal(try await store.listAllSecrets(prefix: prefix).map(\.name), [name, other], "listing after restore")
    }

    static let recoveryWindowLimits = ConformanceCheck("recovery windows outside 7...30 days are refused") { store, prefix in
        let name = prefix + "ivan"
        _ = try await store.createSecret(name: name, value: "v", context: context)
        for days in [0, 6, 31] {
            try await Expect.invalidRequest("deletion with a \(days)-day window") {
                try await store.deleteSecret(name: name, recoveryWindowDays: days, forceWithoutRecovery: false, context: context)
            }
        }
        try Expect.equal(try await store.getSecret(name: name, version: .current).string, "v", "value after refused deletions")
        let date = try await store.deleteSecret(name: name, recoveryWindowDays: 30, forceWithoutRecovery: false, context: context)
        let days = date.timeIntervalSinceNow / day
        try Expect.that(days > 29.9 && days < 30.1, "deletion date must be 30 days away, was \(days) days")
    }

    static let forceDelete = ConformanceCheck("force deletion removes every version at once") { store, prefix in
        let name = prefix + "judy"
        let first = try await store.createSecret(name: name, value: "old", context: context)
        _ = try await store.putSecret(name: name, value: "older", replacing: first.versionID, context: context)
        try await store.deleteSecret(name: name, recoveryWindowDays: 7, forceWithoutRecovery: true, context: context)
        try await Expect.notFound("read after force deletion") { try await store.getSecret(name: name, version: .current) }
        try await Expect.notFound("read of an old version after force deletion") {
            try await store.getSecret(name: name, version: .id(first.versionID))
        }
        try Expect.equal(try await store.listAllSecrets(prefix: prefix, includeDeleted: true).map(\.name), [], "listing after force deletion")
        let again = try await store.createSecret(name: name, value: "new", context: context)
        try Expect.equal(try await store.listVersions(name: name).map(\.versionID), [again.versionID], "versions of the re-created secret")
        try await store.deleteSecret(name: name, recoveryWindowDays: 7, forceWithoutRecovery: false, context: context)
        try await store.deleteSecret(name: name, recoveryWindowDays: 7, forceWithoutRecovery: true, context: context)
        try await Expect.notFound("read after force deletion of a scheduled deletion") { try await store.getSecret(name: name, version: .current) }
    }

    static let listingPagesAndPrefix = ConformanceCheck("listing pages through sorted names under a prefix") { store, prefix in
        let names = ["u07", "u01", "u05", "u03", "u02", "u06", "u04"].map { prefix + "users/" + $0 }
        for name in names {
            _ = try await store.createSecret(name: name, value: "{}", context: context)
        }
        _ = try await store.createSecret(name: prefix + "other/u00", value: "{}", context: context)
        _ = try await store.createSecret(name: prefix + "usersX", value: "{}", context: context)
        var pages: [[String]] = []
        var token: String?
        repeat {
            let page = try await store.listSecrets(prefix: prefix + "users/", pageSize: 3, nextToken: token, includeDeleted: false)
            pages.append(page.secrets.map(\.name))
            token = page.nextToken
            try Expect.that(pages.count <= 10, "listing did not end after 10 pages")
        } while token != nil
        try Expect.equal(pages.flatMap { $0 }, names.sorted(), "names over all pages")
        try Expect.that(pages.allSatisfy { $0.count <= 3 }, "a page held more than the page size: \(pages.map(\.count))")
        try Expect.equal(pages.first?.count, 3, "size of the first page")
        let everything = try await store.listAllSecrets(prefix: prefix)
        try Expect.equal(everything.map(\.name), (names + [prefix + "other/u00", prefix + "usersX"]).sorted(), "names under the check's prefix")
        try Expect.equal(try await store.listAllSecrets(prefix: prefix + "nothing-here/").count, 0, "names under an unused prefix")
    }

    static let missingSecret = ConformanceCheck("every operation on a missing secret is not found") { store, prefix in
        let name = prefix + "nobody"
        try await Expect.notFound("get") { try await store.getSecret(name: name, version: .current) }
        try await Expect.notFound("put") { try await store.putSecret(name: name, value: "x", replacing: "v", context: context) }
        try await Expect.notFound("promote") { try await store.promoteVersion(name: name, versionID: "v", replacing: "v", context: context) }
        try await Expect.notFound("delete") { try await store.deleteSecret(name: name, recoveryWindowDays: 7, forceWithoutRecovery: false, context: context) }
        try await Expect.notFound("restore") { try await store.restoreSecret(name: name, context: context) }
        try await Expect.notFound("list versions") { try await store.listVersions(name: name) }
    }

    static let invalidRequests = ConformanceCheck("bad names, oversized values and bad page sizes are refused") { store, prefix in
        try await Expect.invalidRequest("create with a space in the name") { try await store.createSecret(name: prefix + "bad name", value: "x", context: context) }
        try await Expect.invalidRequest("create with an empty name") { try await store.createSecret(name: "", value: "x", context: context) }
        let tooLong = prefix + String(repeating: "n", count: SecretStoreRules.maximumNameLength)
        try await Expect.invalidRequest("create with a 512+ character name") { try await store.createSecret(name: tooLong, value: "x", context: context) }
        let big = String(repeating: "b", count: SecretStoreRules.maximumValueBytes + 1)
        try await Expect.invalidRequest("create with a 65,537-byte value") { try await store.createSecret(name: prefix + "big", value: big, context: context) }
        let name = prefix + "ok"
        let created = try await store.createSecret(name: name, value: String(repeating: "b", count: SecretStoreRules.maximumValueBytes), context: context)
        try await Expect.invalidRequest("put of a 65,537-byte value") {
            try await store.putSecret(name: name, value: big, replacing: created.versionID, context: context)
        }
        try Expect.equal(try await store.listVersions(name: name).count, 1, "versions after the refused put")
        try await Expect.invalidRequest("listing with page size 0") {
            try await store.listSecrets(prefix: prefix, pageSize: 0, nextToken: nil, includeDeleted: false)
        }
        try await Expect.invalidRequest("listing with page size 101") {
            try await store.listSecrets(prefix: prefix, pageSize: 101, nextToken: nil, includeDeleted: false)
        }
    }

    static let batchRead = ConformanceCheck("a batch read keeps each failure in its slot") { store, prefix in
        let present = prefix + "present"
        let deleted = prefix + "deleted"
        let missing = prefix + "missing"
        _ = try await store.createSecret(name: present, value: "here", context: context)
        _ = try await store.createSecret(name: deleted, value: "gone", context: context)
        try await store.deleteSecret(name: deleted, recoveryWindowDays: 7, forceWithoutRecovery: false, context: context)
        let values = try await store.getSecrets(names: [present, deleted, missing])
        try Expect.equal(try values[present]?.get().string, "here", "batch value of \(present)")
        try Expect.equal(failureKind(values[deleted]), .markedForDeletion, "batch slot of \(deleted)")
        try Expect.equal(failureKind(values[missing]), .notFound, "batch slot of \(missing)")
        // Every character a secret name may hold, a name asked for twice, and no name at all.
        let punctuated = prefix + "a_b+c=d.e@f-g/h"
        _ = try await store.createSecret(name: punctuated, value: "punctuated", context: context)
        let again = try await store.getSecrets(names: [punctuated, present, punctuated])
        try Expect.equal(try again[punctuated]?.get().string, "punctuated", "batch value of \(punctuated)")
        try Expect.equal(again.count, 2, "slots for two distinct names")
        try Expect.equal(try await store.getSecrets(names: []).count, 0, "slots for an empty batch")
    }

    static let auditTrailOfWrites = ConformanceCheck("every write leaves an audit entry without its value") { store, prefix in
        guard let audited = store as? any AuditedSecretStore else {
            throw ConformanceViolation(message: "the store keeps no audit trail (it is not an AuditedSecretStore)")
        }
        let name = prefix + "audited"
        let created = try await store.createSecret(name: name, value: "value-that-must-not-appear", context: WriteContext(action: "users.create", actor: "alice", clientAddress: "198.51.100.4", changedFields: ["Password", "Role"]))
        let put = try await store.putSecret(name: name, value: "second-value", replacing: created.versionID, context: WriteContext(action: "users.update", actor: "bob", changedFields: ["PublicKey"]))
        try await Expect.conflict("stale put", expected: created.versionID, actual: put.versionID) {
            try await store.putSecret(name: name, value: "x", replacing: created.versionID, context: WriteContext(action: "users.update", actor: "mallory"))
        }
        try await store.deleteSecret(name: name, recoveryWindowDays: 7, forceWithoutRecovery: false, context: WriteContext(action: "users.delete", actor: "carol"))
        try await store.restoreSecret(name: name, context: WriteContext(action: "users.restore", actor: "carol"))
        let entries = try await audited.auditTrail(secretName: name, limit: 10)
        try Expect.equal(entries.map(\.action), ["users.restore", "users.delete", "users.update", "users.create"], "audit actions, newest first")
        try Expect.equal(entries.last?.actor, "alice", "actor of the create entry")
        try Expect.equal(entries.last?.clientAddress, "198.51.100.4", "client address of the create entry")
        try Expect.equal(entries.last?.changedFields, ["Password", "Role"], "changed fields of the create entry")
        try Expect.equal(entries[2].changedFields, ["PublicKey"], "changed fields of the update entry")
        try Expect.that(entries.allSatisfy { $0.secretName == name }, "audit entries for another secret were returned")
        try Expect.equal(try await audited.auditTrail(secretName: name, limit: 2).map(\.action), ["users.restore", "users.delete"], "audit trail limited to 2")
        let dump = String(describing: entries)
        try Expect.that(!dump.contains("value-that-must-not-appear") && !dump.contains("second-value"), "an audit entry holds a secret value")
    }

    private static func failureKind(_ result: Result<SecretValue, SecretStoreError>?) -> SecretStoreError.Kind? {
        guard case .failure(let error) = result else { return nil }
        return error.kind
    }
}

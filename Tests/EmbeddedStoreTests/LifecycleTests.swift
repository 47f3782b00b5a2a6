import EmbeddedStore
import Foundation
import SecretStore
import Testing

@Suite("Store lifecycle")
struct LifecycleTests {
    @Test("writes survive closing and reopening")
    func reopen() async throws {
        let temporary = try TemporaryStore()
        var store = try temporary.open()
        let first = try await store.createSecret(name: "SFTP/kept", value: "one", context: testContext)
        _ = try await store.putSecret(name: "SFTP/kept", value: "two", replacing: first.versionID, context: testContext)
        try store.close()
        store = try EmbeddedSecretStore.open(databasePath: temporary.databasePath, keyPath: temporary.keyPath, createIfMissing: false)
        #expect(try await store.getSecret(name: "SFTP/kept", version: .current).string == "two")
        #expect(try await store.getSecret(name: "SFTP/kept", version: .previous).string == "one")
        #expect(store.displayName == "embedded \(temporary.databasePath)")
    }

    @Test("a secret whose recovery window passed is purged on open, with an audit entry; younger ones stay")
    func purgeAfterWindow() async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        for name in ["SFTP/week", "SFTP/month"] {
            _ = try await store.createSecret(name: name, value: "v", context: testContext)
        }
        try await store.deleteSecret(name: "SFTP/week", recoveryWindowDays: 7, forceWithoutRecovery: false, context: testContext)
        try await store.deleteSecret(name: "SFTP/month", recoveryWindowDays: 30, forceWithoutRecovery: false, context: testContext)
        try store.close()
        let later = try temporary.open(clock: { Date().addingTimeInterval(8 * 86_400) })
        let left = try await later.listAllSecrets(prefix: "", includeDeleted: true)
        #expect(left.map(\.name) == ["SFTP/month"])
        await #expect(throws: SecretStoreError.self) { try await later.restoreSecret(name: "SFTP/week", context: testContext) }
        let audit = try await later.auditTrail(secretName: "SFTP/week", limit: 1)
        #expect(audit.first?.action == "store.purge")
        try await later.restoreSecret(name: "SFTP/month", context: testContext)
        #expect(try await later.getSecret(name: "SFTP/month", version: .current).string == "v")
        #expect(try later.check().isHealthy)
    }

    @Test("at most 100 versions are kept per secret, the labelled ones always")
    func versionCap() async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        let first = try await store.createSecret(name: "SFTP/busy", value: "0", context: testContext)
        var current = first.versionID
        for index in 1...105 {
            current = try await store.putSecret(name: "SFTP/busy", value: "\(index)", replacing: current, context: testContext).versionID
        }
        let versions = try await store.listVersions(name: "SFTP/busy")
        #expect(versions.count == SecretStoreRules.maximumVersionsKept)
        #expect(versions.first?.versionID == current)
        #expect(try await store.getSecret(name: "SFTP/busy", version: .previous).string == "104")
        await #expect(throws: SecretStoreError.self) { try await store.getSecret(name: "SFTP/busy", version: .id(first.versionID)) }
        let report = try store.check()
        #expect(report.isHealthy && report.versionCount == 100)
    }

    @Test("a closed store refuses further calls with a store error")
    func closed() async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        try store.close()
        await #expect(throws: SecretStoreError.self) { try await store.getSecret(name: "SFTP/x", version: .current) }
    }
}

@Suite("Bulk creation")
struct BulkCreationTests {
    @Test("createSecrets adds all secrets in one go, readable and audited")
    func createsAll() async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        let batch = (0..<50).map { (name: "SFTP/bulk\($0)", value: "value \($0)") }
        let infos = try await store.createSecrets(batch, context: WriteContext(action: "users.import", actor: "admin"))
        #expect(infos.map(\.name) == batch.map(\.name))
        #expect(try await store.getSecret(name: "SFTP/bulk7", version: .current).string == "value 7")
        #expect(try await store.auditTrail(secretName: nil, limit: 100).count == 50)
    }

    @Test("one taken or invalid name makes the whole batch fail and write nothing", arguments: ["SFTP/taken", "SFTP/bad name", "SFTP/new0"])
    func allOrNothing(badName: String) async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        _ = try await store.createSecret(name: "SFTP/taken", value: "v", context: testContext)
        let batch = (0..<5).map { (name: "SFTP/new\($0)", value: "v") } + [(name: badName, value: "v")]
        await #expect(throws: SecretStoreError.self) { try await store.createSecrets(batch, context: testContext) }
        #expect(try await store.listAllSecrets(prefix: "").map(\.name) == ["SFTP/taken"])
        #expect(try await store.auditTrail(secretName: nil, limit: 100).count == 1)
    }
}

import Foundation
import SecretStore
import SecretStoreTesting
import Testing

@Suite("In-memory store")
struct InMemorySecretStoreTests {
    let context = WriteContext(action: "test", actor: "tester")

    @Test("passes the conformance check", arguments: SecretStoreConformance.checks + SecretStoreConformance.auditedChecks)
    func conformance(_ check: ConformanceCheck) async throws {
        try await check.run(on: InMemorySecretStore(), namePrefix: SecretStoreConformance.uniquePrefix())
    }

    @Test("checkAll runs every check on fresh stores")
    func checkAll() async throws {
        try await SecretStoreConformance.checkAll { InMemorySecretStore() }
    }

    @Test("injected failures are thrown before any state changes, then the store works again")
    func injectedFailures() async throws {
        let store = InMemorySecretStore()
        await store.failNextCalls(2, with: SecretStoreError(.unavailable, message: "injected outage"))
        for _ in 0..<2 {
            await #expect(throws: SecretStoreError(.unavailable, message: "injected outage")) {
                try await store.createSecret(name: "SFTP/a", value: "x", context: context)
            }
        }
        await #expect(throws: SecretStoreError.self) { try await store.getSecret(name: "SFTP/a", version: .current) }
        _ = try await store.createSecret(name: "SFTP/a", value: "x", context: context)
        #expect(try await store.getSecret(name: "SFTP/a", version: .current).string == "x")
        #expect(await store.callCount == 5)
    }

    @Test("latency delays calls but keeps results")
    func latency() async throws {
        let store = InMemorySecretStore()
        await store.setLatency(.milliseconds(5))
        _ = try await store.createSecret(name: "SFTP/slow", value: "v", context: context)
        #expect(try await store.getSecret(name: "SFTP/slow", version: .current).string == "v")
    }

    @Test("a secret whose recovery window has passed is gone for good")
    func expiredRecoveryWindow() async throws {
        let store = InMemorySecretStore()
        _ = try await store.createSecret(name: "SFTP/old", value: "v", context: context)
        try await store.deleteSecret(name: "SFTP/old", recoveryWindowDays: 7, forceWithoutRecovery: false, context: context)
        await store.advanceClock(by: 6 * 86_400)
        #expect(try await store.listAllSecrets(prefix: "", includeDeleted: true).map(\.name) == ["SFTP/old"])
        await store.advanceClock(by: 1 * 86_400 + 1)
        #expect(try await store.listAllSecrets(prefix: "", includeDeleted: true).isEmpty)
        await #expect(throws: SecretStoreError.self) { try await store.restoreSecret(name: "SFTP/old", context: context) }
        _ = try await store.createSecret(name: "SFTP/old", value: "new", context: context)
    }

    @Test("at most 100 versions are kept; the labelled ones survive")
    func versionCap() async throws {
        let store = InMemorySecretStore()
        let first = try await store.createSecret(name: "SFTP/busy", value: "0", context: context)
        var current = first.versionID
        for index in 1...120 {
            current = try await store.putSecret(name: "SFTP/busy", value: "\(index)", replacing: current, context: context).versionID
        }
        let versions = try await store.listVersions(name: "SFTP/busy")
        #expect(versions.count == SecretStoreRules.maximumVersionsKept)
        #expect(versions.first?.versionID == current)
        #expect(try await store.getSecret(name: "SFTP/busy", version: .previous).string == "119")
        await #expect(throws: SecretStoreError.self) { try await store.getSecret(name: "SFTP/busy", version: .id(first.versionID)) }
    }

    @Test("a token from elsewhere is refused")
    func foreignToken() async throws {
        let store = InMemorySecretStore()
        let error = await #expect(throws: SecretStoreError.self) {
            try await store.listSecrets(prefix: "", pageSize: 10, nextToken: "garbage!", includeDeleted: false)
        }
        #expect(error?.kind == .invalidRequest)
    }
}

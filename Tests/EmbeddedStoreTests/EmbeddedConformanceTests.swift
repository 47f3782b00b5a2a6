import EmbeddedStore
import SecretStoreTesting
import Testing

@Suite("Embedded store conformance")
struct EmbeddedConformanceTests {
    @Test("passes the conformance check", arguments: SecretStoreConformance.checks + SecretStoreConformance.auditedChecks)
    func conformance(_ check: ConformanceCheck) async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        try await check.run(on: store, namePrefix: SecretStoreConformance.uniquePrefix())
        let report = try store.check()
        #expect(report.problems == [], "store check after \"\(check.name)\"")
    }

    @Test("all checks pass on one shared store file")
    func sharedStore() async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        try await SecretStoreConformance.checkAll { store }
        #expect(try store.check().isHealthy)
    }
}

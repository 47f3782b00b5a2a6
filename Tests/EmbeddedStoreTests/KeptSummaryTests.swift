import EmbeddedStore
import Foundation
import SecretStore
import Testing

/// The summaries an embedded store keeps beside each version: made by the writer, given back only for the current
/// version and in the asked format, sealed, gone with their version, and never trusted after a change made without
/// the master key.
@Suite("Summaries kept beside each version")
struct KeptSummaryTests {
    static let format = "test summary v1"
    /// A summary that shows which value it was made from: the value reversed, with a marker no value holds.
    static let summariser = ValueSummariser(format: format) { value in
        Array("summary of ".utf8) + value.string.utf8.reversed()
    }

    static func summary(of value: String) -> [UInt8] {
        Array("summary of ".utf8) + value.utf8.reversed()
    }

    func open(_ temporary: TemporaryStore, summarising: Bool = true, clock: @escaping @Sendable () -> Date = { Date() }) throws -> EmbeddedSecretStore {
        try EmbeddedSecretStore.open(databasePath: temporary.databasePath, keyPath: temporary.keyPath, createIfMissing: true,
                                     summariser: summarising ? Self.summariser : nil, clock: clock)
    }

    @Test func everyWriteKeepsTheSummaryOfTheCurrentVersion() async throws {
        let temporary = try TemporaryStore()
        let store = try open(temporary)
        defer { try? store.close() }
        let first = try await store.createSecret(name: "SFTP/alice", value: "one", context: testContext)
        _ = try await store.createSecrets([(name: "SFTP/bob", value: "two"), (name: "SFTP/carol", value: "three")], context: testContext)
        var kept = try store.keptSummaries(of: ["SFTP/alice", "SFTP/bob", "SFTP/carol", "SFTP/nobody"], format: Self.format)
        #expect(kept.count == 3)
        #expect(kept["SFTP/alice"] == EmbeddedSecretStore.KeptSummary(versionID: first.versionID, bytes: Self.summary(of: "one")))
        #expect(kept["SFTP/carol"]?.bytes == Self.summary(of: "three"))

        let second = try await store.putSecret(name: "SFTP/alice", value: "four", replacing: first.versionID, context: testContext)
        kept = try store.keptSummaries(of: ["SFTP/alice"], format: Self.format)
        #expect(kept["SFTP/alice"] == EmbeddedSecretStore.KeptSummary(versionID: second.versionID, bytes: Self.summary(of: "four")))

        // A rollback makes the old version current again, and with it its summary.
        _ = try await store.promoteVersion(name: "SFTP/alice", versionID: first.versionID, replacing: second.versionID, context: testContext)
        kept = try store.keptSummaries(of: ["SFTP/alice"], format: Self.format)
        #expect(kept["SFTP/alice"] == EmbeddedSecretStore.KeptSummary(versionID: first.versionID, bytes: Self.summary(of: "one")))

        #expect(try store.keptSummaries(of: ["SFTP/alice"], format: "another format").isEmpty)
        #expect(try store.keptSummaries(of: [], format: Self.format).isEmpty)
    }

    @Test func aVersionWrittenWithoutASummariserHasNoneUntilOneIsKept() async throws {
        let temporary = try TemporaryStore()
        let plain = try open(temporary, summarising: false)
        let version = try await plain.createSecret(name: "SFTP/alice", value: "one", context: testContext)
        try plain.close()

        let store = try open(temporary)
        defer { try? store.close() }
        #expect(try store.keptSummaries(of: ["SFTP/alice"], format: Self.format).isEmpty)
        let auditBefore = try await store.auditTrail(secretName: nil, limit: 100).count
        try store.keepSummaries([(name: "SFTP/alice", versionID: version.versionID, bytes: [1, 2, 3]),
                                 (name: "SFTP/alice", versionID: "no-such-version", bytes: [4]),
                                 (name: "SFTP/gone", versionID: version.versionID, bytes: [5])], format: Self.format)
        #expect(try store.keptSummaries(of: ["SFTP/alice", "SFTP/gone"], format: Self.format)
                == ["SFTP/alice": EmbeddedSecretStore.KeptSummary(versionID: version.versionID, bytes: [1, 2, 3])])
        #expect(try await store.auditTrail(secretName: nil, limit: 100).count == auditBefore, "keeping a summary is not an edit")
        // Kept again in another format: that one replaces it.
        try store.keepSummaries([(name: "SFTP/alice", versionID: version.versionID, bytes: [9])], format: "another format")
        #expect(try store.keptSummaries(of: ["SFTP/alice"], format: Self.format).isEmpty)
        #expect(try store.keptSummaries(of: ["SFTP/alice"], format: "another format")["SFTP/alice"]?.bytes == [9])
    }

    @Test func summariesGoWithTheirVersionsAndAreNeverInClear() async throws {
        let temporary = try TemporaryStore()
        let store = try open(temporary)
        let marker = "a-distinctive-value-0123456789"
        _ = try await store.createSecret(name: "SFTP/alice", value: marker, context: testContext)
        _ = try await store.createSecret(name: "SFTP/bob", value: "bob", context: testContext)
        try store.close()
        let raw = try temporary.rawBytes()
        #expect(raw.range(of: Data("summary of".utf8)) == nil, "a summary is stored in clear")
        #expect(raw.range(of: Data(String(marker.reversed()).utf8)) == nil, "a summary is stored in clear")

        let reopened = try open(temporary)
        defer { try? reopened.close() }
        try await reopened.deleteSecret(name: "SFTP/alice", recoveryWindowDays: 7, forceWithoutRecovery: true, context: testContext)
        #expect(try SQLiteShell.run(temporary.databasePath, "SELECT count(*) FROM summaries;").trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    @Test func aSummaryChangedWithoutTheKeyIsNotGivenBackAndCheckNamesIt() async throws {
        let temporary = try TemporaryStore()
        var store = try open(temporary)
        let alice = try await store.createSecret(name: "SFTP/alice", value: "alice", context: testContext)
        let bob = try await store.createSecret(name: "SFTP/bob", value: "bob", context: testContext)
        let carol = try await store.createSecret(name: "SFTP/carol", value: "carol", context: testContext)
        try store.close()
        func seq(_ version: SecretVersionInfo) -> String { "(SELECT seq FROM versions WHERE version_id = '\(version.versionID)')" }
        // Bob's summary sealed in place of Alice's; a byte of Carol's flipped; Bob's relabelled into another format.
        _ = try SQLiteShell.run(temporary.databasePath, """
            UPDATE summaries SET sealed = (SELECT sealed FROM summaries WHERE version_seq = \(seq(bob))) WHERE version_seq = \(seq(alice));
            UPDATE summaries SET format = 'forged' WHERE version_seq = \(seq(bob));
            """)
        try SQLiteShell.rewriteBlob(temporary.databasePath, table: "summaries", column: "sealed", where: "version_seq = \(seq(carol))") { $0[20] ^= 1 }

        store = try open(temporary)
        defer { try? store.close() }
        #expect(try store.keptSummaries(of: ["SFTP/alice", "SFTP/bob", "SFTP/carol"], format: Self.format).isEmpty)
        #expect(try store.keptSummaries(of: ["SFTP/bob"], format: "forged").isEmpty)
        let problems = try store.check().problems
        for (name, version) in [("SFTP/alice", alice), ("SFTP/bob", bob), ("SFTP/carol", carol)] {
            #expect(problems.contains("the summary kept for version \(version.versionID) of secret \(name) does not open with the master key (it is ignored, and made again from the value when the user is listed)"),
                    "problems: \(problems)")
        }
        // The values are untouched, and a summary kept again is trusted again.
        #expect(try await store.getSecret(name: "SFTP/alice", version: .current).string == "alice")
        try store.keepSummaries([(name: "SFTP/alice", versionID: alice.versionID, bytes: Self.summary(of: "alice"))], format: Self.format)
        #expect(try store.keptSummaries(of: ["SFTP/alice"], format: Self.format)["SFTP/alice"]?.bytes == Self.summary(of: "alice"))
    }

    @Test func aStoreFromBeforeSummariesGetsTheTableAndKeepsEverything() async throws {
        let temporary = try TemporaryStore()
        let plain = try open(temporary, summarising: false)
        let version = try await plain.createSecret(name: "SFTP/alice", value: "one", context: testContext)
        try plain.close()
        // As the previous release left it: no summaries table, no record of its migration.
        _ = try SQLiteShell.run(temporary.databasePath, "DROP TABLE summaries; DELETE FROM grdb_migrations WHERE identifier = 'v3: summaries';")

        let store = try open(temporary)
        defer { try? store.close() }
        #expect(try await store.getSecret(name: "SFTP/alice", version: .current).string == "one")
        #expect(try store.keptSummaries(of: ["SFTP/alice"], format: Self.format).isEmpty)
        let second = try await store.putSecret(name: "SFTP/alice", value: "two", replacing: version.versionID, context: testContext)
        #expect(try store.keptSummaries(of: ["SFTP/alice"], format: Self.format)["SFTP/alice"]?.versionID == second.versionID)
        #expect(try store.check().isHealthy)
    }
}

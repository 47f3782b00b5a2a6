import EmbeddedStore
import Foundation
import SecretStore
import Testing

/// The store's change token (`PRAGMA data_version` on a connection that never writes): the same while nothing is
/// written, different after every commit by anyone: this store, a second store on the file, or `sqlite3`.
@Suite("Change token")
struct ChangeTokenTests {
    @Test("reads and failed writes leave it alone; every commit changes it, whoever makes it")
    func changesWithEveryCommit() async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        let other = try temporary.open()
        let created = try await store.createSecret(name: "SFTP/kim", value: "{}", context: testContext)

        let quiet = try store.changeToken()
        _ = try await store.getSecret(name: "SFTP/kim", version: .current)
        _ = try await store.listSecrets(prefix: "SFTP/", pageSize: 10, nextToken: nil, includeDeleted: false)
        await #expect(throws: SecretStoreError.self) {
            try await store.putSecret(name: "SFTP/kim", value: "{}", replacing: "not-the-current-version", context: testContext)
        }
        #expect(try store.changeToken() == quiet, "a read or a refused write changed the token")

        let beforeOwn = try store.changeToken()
        let put = try await store.putSecret(name: "SFTP/kim", value: #"{"a":1}"#, replacing: created.versionID, context: testContext)
        let afterOwn = try store.changeToken()
        #expect(afterOwn != beforeOwn, "this store's own write left the token unchanged")

        _ = try await other.putSecret(name: "SFTP/kim", value: #"{"a":2}"#, replacing: put.versionID, context: testContext)
        let afterOther = try store.changeToken()
        #expect(afterOther != afterOwn, "a write through another connection left the token unchanged")

        _ = try SQLiteShell.run(temporary.databasePath, "UPDATE secrets SET changed_at = changed_at + 1;")
        #expect(try store.changeToken() != afterOther, "a write by sqlite3 left the token unchanged")
        try other.close()
        try store.close()
    }

    @Test("threads asking at once while another connection commits all get an answer; a closed store says so")
    func concurrentAsksAndClose() async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        let writer = try temporary.open()
        var version = try await writer.createSecret(name: "SFTP/kim", value: "{}", context: testContext).versionID
        let before = try store.changeToken()
        // Each asking task counts its asks that failed.
        let failures = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<500).count { _ in (try? store.changeToken()) == nil } }
            }
            for round in 0..<20 {
                version = try await writer.putSecret(name: "SFTP/kim", value: #"{"round":\#(round)}"#, replacing: version, context: testContext).versionID
            }
            return try await group.reduce(0, +)
        }
        #expect(failures == 0)
        #expect(try store.changeToken() != before, "twenty commits by another connection left the token unchanged")

        try store.close()
        #expect(throws: SecretStoreError.self) { try store.changeToken() }
        try writer.close()
    }
}

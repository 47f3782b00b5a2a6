import EmbeddedStore
import Foundation
import SecretStore
import Testing

@Suite("Damaged stores")
struct CorruptionTests {
    @Test("a file of garbage bytes is refused clearly and left as it was")
    func garbageFile() throws {
        let temporary = try TemporaryStore()
        try temporary.open().close()
        let garbage = Data((0..<8192).map { _ in UInt8.random(in: 0...255) })
        try garbage.write(to: URL(fileURLWithPath: temporary.databasePath))
        let error = #expect(throws: SecretStoreError.self) { try temporary.open() }
        #expect(error?.kind == .corrupt)
        #expect(error?.message.contains("\(temporary.databasePath) is damaged or is not an sftpidp store") == true, "message: \(error?.message ?? "")")
        #expect(try Data(contentsOf: URL(fileURLWithPath: temporary.databasePath)) == garbage)
    }

    @Test("an SQLite database that is not a store is refused")
    func foreignDatabase() throws {
        let temporary = try TemporaryStore()
        try temporary.open().close()
        let other = temporary.directory + "/other.db"
        _ = try SQLiteShell.run(other, "CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        let error = #expect(throws: SecretStoreError.self) {
            try EmbeddedSecretStore.open(databasePath: other, keyPath: temporary.keyPath, createIfMissing: true)
        }
        #expect(error?.message.contains("not an sftpidp store") == true, "message: \(error?.message ?? "")")
    }

    @Test("a flipped ciphertext byte fails the read with a corrupt error naming the secret, and check reports it")
    func tamperedCiphertext() async throws {
        let temporary = try TemporaryStore()
        var store = try temporary.open()
        _ = try await store.createSecret(name: "SFTP/victim", value: #"{"Password":"x"}"#, context: testContext)
        _ = try await store.createSecret(name: "SFTP/bystander", value: "fine", context: testContext)
        try store.close()
        try SQLiteShell.rewriteBlob(temporary.databasePath, table: "versions", column: "sealed_value",
                                    where: "secret_id = (SELECT id FROM secrets WHERE name = 'SFTP/victim')") { bytes in
            bytes[bytes.count / 2] ^= 0x01
        }
        store = try temporary.open()
        let error = await #expect(throws: SecretStoreError.self) { try await store.getSecret(name: "SFTP/victim", version: .current) }
        #expect(error?.kind == .corrupt)
        #expect(error?.secretName == "SFTP/victim")
        #expect(error?.message.contains("SFTP/victim") == true)
        #expect(try await store.getSecret(name: "SFTP/bystander", version: .current).string == "fine")
        let report = try store.check()
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.contains("secret SFTP/victim does not decrypt") == true, "problems: \(report.problems)")
    }

    @Test("a ciphertext copied to another secret does not decrypt there: the name is bound")
    func nameBinding() async throws {
        let temporary = try TemporaryStore()
        var store = try temporary.open()
        _ = try await store.createSecret(name: "SFTP/admin", value: "admin secret", context: testContext)
        _ = try await store.createSecret(name: "SFTP/guest", value: "guest secret", context: testContext)
        try store.close()
        _ = try SQLiteShell.run(temporary.databasePath, """
            UPDATE versions SET sealed_value = (SELECT v.sealed_value FROM versions v JOIN secrets s ON s.id = v.secret_id WHERE s.name = 'SFTP/admin')
            WHERE secret_id = (SELECT id FROM secrets WHERE name = 'SFTP/guest');
            """)
        store = try temporary.open()
        let error = await #expect(throws: SecretStoreError.self) { try await store.getSecret(name: "SFTP/guest", version: .current) }
        #expect(error?.kind == .corrupt)
        #expect(error?.secretName == "SFTP/guest")
        #expect(try await store.getSecret(name: "SFTP/admin", version: .current).string == "admin secret")
    }

    @Test("a ciphertext moved to another version of the same secret does not decrypt there: the version is bound")
    func versionBinding() async throws {
        let temporary = try TemporaryStore()
        var store = try temporary.open()
        let first = try await store.createSecret(name: "SFTP/jo", value: "old", context: testContext)
        let second = try await store.putSecret(name: "SFTP/jo", value: "new", replacing: first.versionID, context: testContext)
        try store.close()
        _ = try SQLiteShell.run(temporary.databasePath, """
            UPDATE versions SET sealed_value = (SELECT sealed_value FROM versions WHERE version_id = '\(first.versionID)')
            WHERE version_id = '\(second.versionID)';
            """)
        store = try temporary.open()
        let error = await #expect(throws: SecretStoreError.self) { try await store.getSecret(name: "SFTP/jo", version: .current) }
        #expect(error?.kind == .corrupt)
        #expect(try await store.getSecret(name: "SFTP/jo", version: .previous).string == "old")
    }

    @Test("check reports a secret left without a current version and a store file others can read")
    func inconsistentStages() async throws {
        let temporary = try TemporaryStore()
        var store = try temporary.open()
        _ = try await store.createSecret(name: "SFTP/orphan", value: "v", context: testContext)
        let healthy = try store.check()
        #expect(healthy.isHealthy && healthy.secretCount == 1 && healthy.versionCount == 1 && healthy.scheduledDeletionCount == 0)
        try store.close()
        _ = try SQLiteShell.run(temporary.databasePath, "DELETE FROM stages;")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temporary.databasePath)
        store = try temporary.open()
        let problems = try store.check().problems
        #expect(problems.contains { $0.contains("chmod 600 \(temporary.databasePath)") }, "problems: \(problems)")
        #expect(problems.contains("secret SFTP/orphan has no current (AWSCURRENT) version"), "problems: \(problems)")
    }
}

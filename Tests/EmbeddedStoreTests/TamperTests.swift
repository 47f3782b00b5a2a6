import EmbeddedStore
import Foundation
import SecretStore
import Testing

/// Someone who can write the store file but has no master key changes rows with `sqlite3`: every change that would
/// bring back an old password, undo a deletion or borrow rows from elsewhere is refused on read and named by check.
@Suite("Tampered stage and deletion rows")
struct TamperTests {
    static let oldValue = #"{"Password":"old-password-1"}"#
    static let newValue = #"{"Password":"new-password-2"}"#

    /// A closed store holding `SFTP/victim` (an old and a new version) and `SFTP/bystander`.
    static func twoVersions() async throws -> (TemporaryStore, old: SecretVersionInfo, new: SecretVersionInfo) {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        let old = try await store.createSecret(name: "SFTP/victim", value: oldValue, context: testContext)
        let new = try await store.putSecret(name: "SFTP/victim", value: newValue, replacing: old.versionID, context: testContext)
        _ = try await store.createSecret(name: "SFTP/bystander", value: "fine", context: testContext)
        try store.close()
        return (temporary, old, new)
    }

    /// Opens the tampered store and expects reads and writes of `name` to fail with a corrupt error that names the
    /// secret and `part` and holds no value; the bystander still reads; check reports `name` once for `part`.
    static func expectRefused(_ temporary: TemporaryStore, name: String, part: String, bystander: String = "SFTP/bystander") async throws {
        let store = try temporary.open()
        defer { try? store.close() }
        let error = await #expect(throws: SecretStoreError.self) { try await store.getSecret(name: name, version: .current) }
        #expect(error?.kind == .corrupt)
        #expect(error?.secretName == name)
        let message = error?.message ?? ""
        #expect(message.contains("the \(part) of secret \(name)"), "message: \(message)")
        #expect(message.contains("changed without the master key"), "message: \(message)")
        #expect(!message.contains("password-"), "the error leaks a value: \(message)")
        let batch = try await store.getSecrets(names: [name, bystander])
        #expect((try? batch[name]?.get()) == nil, "the batch read returned the tampered secret")
        #expect(try batch[bystander]?.get().string == "fine")
        await #expect(throws: SecretStoreError.self) { try await store.listVersions(name: name) }
        let problems = try store.check().problems
        #expect(problems.filter { $0.contains("the \(part) of secret \(name) ") }.count == 1, "problems: \(problems)")
        #expect(!problems.contains { $0.contains(bystander) }, "problems: \(problems)")
    }

    @Test("AWSCURRENT pointed back at the old version: the old password does not come back")
    func currentPointedAtOldVersion() async throws {
        let (temporary, old, _) = try await Self.twoVersions()
        _ = try SQLiteShell.run(temporary.databasePath, """
            UPDATE stages SET version_seq = (SELECT seq FROM versions WHERE version_id = '\(old.versionID)')
            WHERE label = 'AWSCURRENT' AND secret_id = (SELECT id FROM secrets WHERE name = 'SFTP/victim');
            """)
        try await Self.expectRefused(temporary, name: "SFTP/victim", part: "stage labels")
        let store = try temporary.open()
        let write = await #expect(throws: SecretStoreError.self) {
            try await store.putSecret(name: "SFTP/victim", value: "{}", replacing: old.versionID, context: testContext)
        }
        #expect(write?.kind == .corrupt, "a write blessed the tampered stage")
    }

    @Test("AWSCURRENT and AWSPREVIOUS swapped")
    func stagesSwapped() async throws {
        let (temporary, _, _) = try await Self.twoVersions()
        _ = try SQLiteShell.run(temporary.databasePath, """
            CREATE TEMP TABLE before AS SELECT label, version_seq FROM stages WHERE secret_id = (SELECT id FROM secrets WHERE name = 'SFTP/victim');
            UPDATE stages SET version_seq = (SELECT version_seq FROM before WHERE before.label != stages.label)
            WHERE secret_id = (SELECT id FROM secrets WHERE name = 'SFTP/victim');
            """)
        try await Self.expectRefused(temporary, name: "SFTP/victim", part: "stage labels")
    }

    @Test("the newest version deleted so that an old stage row replays as current")
    func newestVersionRemoved() async throws {
        let (temporary, old, new) = try await Self.twoVersions()
        // Replays the complete earlier stage state except for the codes: the version set no longer matches.
        _ = try SQLiteShell.run(temporary.databasePath, """
            DELETE FROM stages WHERE version_seq = (SELECT seq FROM versions WHERE version_id = '\(new.versionID)');
            DELETE FROM versions WHERE version_id = '\(new.versionID)';
            DELETE FROM stages WHERE label = 'AWSPREVIOUS' AND version_seq = (SELECT seq FROM versions WHERE version_id = '\(old.versionID)');
            INSERT INTO stages (secret_id, label, version_seq)
                SELECT secret_id, 'AWSCURRENT', seq FROM versions WHERE version_id = '\(old.versionID)';
            """)
        try await Self.expectRefused(temporary, name: "SFTP/victim", part: "stage labels")
    }

    @Test("a secret's AWSCURRENT pointed at another secret's version")
    func stageMovedToAnotherSecret() async throws {
        let (temporary, _, _) = try await Self.twoVersions()
        _ = try SQLiteShell.run(temporary.databasePath, """
            UPDATE stages SET version_seq = (SELECT v.seq FROM versions v JOIN secrets s ON s.id = v.secret_id WHERE s.name = 'SFTP/bystander')
            WHERE label = 'AWSCURRENT' AND secret_id = (SELECT id FROM secrets WHERE name = 'SFTP/victim');
            """)
        try await Self.expectRefused(temporary, name: "SFTP/victim", part: "stage labels")
    }

    @Test("two secrets' names swapped, codes and all")
    func namesSwapped() async throws {
        let (temporary, _, _) = try await Self.twoVersions()
        _ = try SQLiteShell.run(temporary.databasePath, """
            UPDATE secrets SET name = 'swap' WHERE name = 'SFTP/victim';
            UPDATE secrets SET name = 'SFTP/victim' WHERE name = 'SFTP/bystander';
            UPDATE secrets SET name = 'SFTP/bystander' WHERE name = 'swap';
            """)
        let store = try temporary.open()
        for name in ["SFTP/victim", "SFTP/bystander"] {
            let error = await #expect(throws: SecretStoreError.self) { try await store.getSecret(name: name, version: .current) }
            #expect(error?.message.contains("the stage labels of secret \(name)") == true, "message: \(error?.message ?? "")")
            #expect(error?.message.contains("the deletion state of secret \(name)") == true, "message: \(error?.message ?? "")")
        }
        #expect(try store.check().problems.filter { $0.contains("does not match its MAC") || $0.contains("do not match their MAC") }.count == 4)
    }

    @Test("a scheduled deletion undone by clearing the deletion date")
    func deletionUndone() async throws {
        let (temporary, _, _) = try await Self.twoVersions()
        let store = try temporary.open()
        try await store.deleteSecret(name: "SFTP/victim", recoveryWindowDays: 7, forceWithoutRecovery: false, context: testContext)
        try store.close()
        _ = try SQLiteShell.run(temporary.databasePath, "UPDATE secrets SET deleted_at = NULL, purge_at = NULL WHERE name = 'SFTP/victim';")
        try await Self.expectRefused(temporary, name: "SFTP/victim", part: "deletion state")
        let reopened = try temporary.open()
        await #expect(throws: SecretStoreError.self) { try await reopened.restoreSecret(name: "SFTP/victim", context: testContext) }
    }

    @Test("a recovery window stretched by a year")
    func recoveryWindowStretched() async throws {
        let (temporary, _, _) = try await Self.twoVersions()
        let store = try temporary.open()
        try await store.deleteSecret(name: "SFTP/victim", recoveryWindowDays: 7, forceWithoutRecovery: false, context: testContext)
        try store.close()
        _ = try SQLiteShell.run(temporary.databasePath, "UPDATE secrets SET purge_at = purge_at + 365 * 86400 WHERE name = 'SFTP/victim';")
        let reopened = try temporary.open()
        let error = await #expect(throws: SecretStoreError.self) { try await reopened.restoreSecret(name: "SFTP/victim", context: testContext) }
        #expect(error?.message.contains("the deletion state of secret SFTP/victim") == true, "message: \(error?.message ?? "")")
        #expect(try reopened.check().problems.contains { $0.hasPrefix("the deletion state of secret SFTP/victim ") })
    }

    @Test("a live secret's deletion state copied over from a deleted secret")
    func deletionCopiedBetweenSecrets() async throws {
        let (temporary, _, _) = try await Self.twoVersions()
        let store = try temporary.open()
        _ = try await store.createSecret(name: "SFTP/gone", value: "x", context: testContext)
        try await store.deleteSecret(name: "SFTP/gone", recoveryWindowDays: 7, forceWithoutRecovery: false, context: testContext)
        try store.close()
        _ = try SQLiteShell.run(temporary.databasePath, """
            UPDATE secrets SET (deleted_at, purge_at, deletion_mac) = (SELECT deleted_at, purge_at, deletion_mac FROM secrets WHERE name = 'SFTP/gone')
            WHERE name = 'SFTP/victim';
            """)
        try await Self.expectRefused(temporary, name: "SFTP/victim", part: "deletion state")
    }

    @Test("a secret copied with its codes from another store (another key)")
    func copiedFromAnotherStore() async throws {
        let (temporary, _, _) = try await Self.twoVersions()
        let other = try TemporaryStore()
        let otherStore = try other.open()
        _ = try await otherStore.createSecret(name: "SFTP/victim", value: #"{"Password":"attacker-password-3"}"#, context: testContext)
        try otherStore.close()
        _ = try SQLiteShell.run(temporary.databasePath, """
            PRAGMA foreign_keys = ON;
            ATTACH '\(other.databasePath)' AS other;
            DELETE FROM main.secrets WHERE name = 'SFTP/victim';
            INSERT INTO main.secrets (name, created_at, changed_at, deleted_at, purge_at, stages_mac, deletion_mac)
                SELECT name, created_at, changed_at, deleted_at, purge_at, stages_mac, deletion_mac FROM other.secrets WHERE name = 'SFTP/victim';
            INSERT INTO main.versions (secret_id, version_id, created_at, sealed_value)
                SELECT (SELECT id FROM main.secrets WHERE name = 'SFTP/victim'), version_id, created_at, sealed_value FROM other.versions;
            INSERT INTO main.stages (secret_id, label, version_seq)
                SELECT (SELECT id FROM main.secrets WHERE name = 'SFTP/victim'), st.label, (SELECT seq FROM main.versions m WHERE m.version_id = ov.version_id)
                FROM other.stages st JOIN other.versions ov ON ov.seq = st.version_seq;
            """)
        try await Self.expectRefused(temporary, name: "SFTP/victim", part: "stage labels")
    }

    @Test("a tampered secret can be force-deleted and created again")
    func repairByForceDeletion() async throws {
        let (temporary, old, _) = try await Self.twoVersions()
        _ = try SQLiteShell.run(temporary.databasePath, """
            UPDATE stages SET version_seq = (SELECT seq FROM versions WHERE version_id = '\(old.versionID)') WHERE label = 'AWSCURRENT';
            """)
        let store = try temporary.open()
        try await store.deleteSecret(name: "SFTP/victim", recoveryWindowDays: 7, forceWithoutRecovery: true, context: testContext)
        _ = try await store.createSecret(name: "SFTP/victim", value: "fresh", context: testContext)
        #expect(try await store.getSecret(name: "SFTP/victim", version: .current).string == "fresh")
        #expect(try store.check().problems.filter { $0.contains("SFTP/victim") }.isEmpty)
    }

    @Test("every write keeps the codes right: put, promote, delete, restore, and pruning beyond 100 versions")
    func writesReseal() async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        var current = try await store.createSecret(name: "SFTP/busy", value: "0", context: testContext)
        let first = current
        for index in 1...101 {
            current = try await store.putSecret(name: "SFTP/busy", value: "\(index)", replacing: current.versionID, context: testContext)
        }
        current = try await store.promoteVersion(name: "SFTP/busy", versionID: try await store.listVersions(name: "SFTP/busy")[5].versionID,
                                                 replacing: current.versionID, context: testContext)
        try await store.deleteSecret(name: "SFTP/busy", recoveryWindowDays: 30, forceWithoutRecovery: false, context: testContext)
        try await store.restoreSecret(name: "SFTP/busy", context: testContext)
        #expect(try await store.getSecret(name: "SFTP/busy", version: .current).string == "96")
        #expect(try await store.listVersions(name: "SFTP/busy").count == SecretStoreRules.maximumVersionsKept)
        await #expect(throws: SecretStoreError.self) { try await store.getSecret(name: "SFTP/busy", version: .id(first.versionID)) }
        #expect(try store.check().isHealthy)
    }
}

@Suite("Migration to authenticated stage and deletion rows")
struct StateMACMigrationTests {
    /// Turns a current store file back into the previous schema (v1, before the MAC columns), as the previous release
    /// left it: the columns gone and GRDB's record of the v2 migration removed.
    static func downgradeToV1(_ path: String) throws {
        _ = try SQLiteShell.run(path, """
            DROP TABLE summaries;
            ALTER TABLE secrets DROP COLUMN stages_mac;
            ALTER TABLE secrets DROP COLUMN deletion_mac;
            DELETE FROM grdb_migrations WHERE identifier != 'v1';
            """)
    }

    @Test("a store written before the MACs opens with its key, keeps every value and deletion, and is protected afterwards")
    func migratesExistingStore() async throws {
        let (temporary, old, _) = try await TamperTests.twoVersions()
        var store = try temporary.open()
        _ = try await store.createSecret(name: "SFTP/gone", value: "x", context: testContext)
        try await store.deleteSecret(name: "SFTP/gone", recoveryWindowDays: 7, forceWithoutRecovery: false, context: testContext)
        try store.close()
        try Self.downgradeToV1(temporary.databasePath)
        #expect(try SQLiteShell.run(temporary.databasePath, "SELECT identifier FROM grdb_migrations;") == "v1\n")
        #expect(!(try SQLiteShell.run(temporary.databasePath, "SELECT sql FROM sqlite_master WHERE name = 'secrets';")).contains("mac"))

        store = try temporary.open()
        #expect(try await store.getSecret(name: "SFTP/victim", version: .current).string == TamperTests.newValue)
        #expect(try await store.getSecret(name: "SFTP/victim", version: .previous).string == TamperTests.oldValue)
        await #expect(throws: SecretStoreError.self) { try await store.getSecret(name: "SFTP/gone", version: .current) }
        #expect(try store.check().isHealthy)
        let emptyCodes = try SQLiteShell.run(temporary.databasePath, "SELECT count(*) FROM secrets WHERE length(stages_mac) != 32 OR length(deletion_mac) != 32;")
        #expect(emptyCodes == "0\n")
        try store.close()

        _ = try SQLiteShell.run(temporary.databasePath, """
            UPDATE stages SET version_seq = (SELECT seq FROM versions WHERE version_id = '\(old.versionID)') WHERE label = 'AWSCURRENT';
            UPDATE secrets SET deleted_at = NULL, purge_at = NULL WHERE name = 'SFTP/gone';
            """)
        store = try temporary.open()
        await #expect(throws: SecretStoreError.self) { try await store.getSecret(name: "SFTP/victim", version: .current) }
        await #expect(throws: SecretStoreError.self) { try await store.getSecret(name: "SFTP/gone", version: .current) }
        let problems = try store.check().problems
        #expect(problems.contains { $0.hasPrefix("the stage labels of secret SFTP/victim ") }, "problems: \(problems)")
        #expect(problems.contains { $0.hasPrefix("the deletion state of secret SFTP/gone ") }, "problems: \(problems)")
    }

    @Test("a store written before the MACs is not migrated with the wrong key")
    func wrongKeyDoesNotMigrate() async throws {
        let (temporary, _, _) = try await TamperTests.twoVersions()
        try Self.downgradeToV1(temporary.databasePath)
        let otherKey = temporary.directory + "/other.key"
        let keyLine = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString() + "\n"
        #expect(FileManager.default.createFile(atPath: otherKey, contents: Data(keyLine.utf8), attributes: [.posixPermissions: 0o600]))
        #expect(throws: SecretStoreError.self) {
            try EmbeddedSecretStore.open(databasePath: temporary.databasePath, keyPath: otherKey, createIfMissing: false)
        }
        #expect(try SQLiteShell.run(temporary.databasePath, "SELECT identifier FROM grdb_migrations;") == "v1\n")
    }
}

import Foundation
import GRDB
import SecretStore

/// The outcome of ``EmbeddedSecretStore/check()``: counts and every problem found (never a value).
public struct StoreCheckReport: Sendable, Hashable {
    /// Secrets in the store, scheduled deletions included.
    public var secretCount: Int
    /// Versions kept, over all secrets.
    public var versionCount: Int
    /// Secrets scheduled for deletion.
    public var scheduledDeletionCount: Int
    /// One sentence per problem; empty when the store is healthy.
    public var problems: [String]

    /// True when no problem was found.
    public var isHealthy: Bool { problems.isEmpty }
}

extension EmbeddedSecretStore {
    /// Checks the whole store: SQLite's integrity check, foreign keys, file permissions, that every version
    /// decrypts with the master key, that every kept summary opens, that every secret's stage labels and deletion
    /// state match their MACs (one problem per secret and part), and that every secret has exactly one current version.
    public func check() throws -> StoreCheckReport {
        do {
            var report = try pool.read { db in try checkContents(db) }
            report.problems.insert(contentsOf: permissionProblems(), at: 0)
            return report
        } catch {
            throw SecretStoreError.mapping(error, databasePath: databasePath)
        }
    }

    private func checkContents(_ db: Database) throws -> StoreCheckReport {
        var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }.map { "SQLite integrity check: \($0)" }
        let danglingRows = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
        if !danglingRows.isEmpty {
            problems.append("\(danglingRows.count) rows point to missing secrets or versions")
        }
        let versions = try Row.fetchCursor(db, sql: "SELECT s.name, v.version_id, v.sealed_value FROM versions v JOIN secrets s ON s.id = v.secret_id ORDER BY s.name, v.seq")
        var versionCount = 0
        while let row = try versions.next() {
            versionCount += 1
            let name: String = row["name"]
            let versionID: String = row["version_id"]
            do {
                _ = try cipher.open(row["sealed_value"], name: name, versionID: versionID)
            } catch {
                problems.append("version \(versionID) of secret \(name) does not decrypt with the master key")
            }
        }
        let summaries = try Row.fetchCursor(db, sql: """
            SELECT s.name, v.version_id, su.format, su.sealed FROM summaries su JOIN versions v ON v.seq = su.version_seq
            JOIN secrets s ON s.id = v.secret_id ORDER BY s.name, v.seq
            """)
        while let row = try summaries.next() {
            let (name, versionID): (String, String) = (row[0], row[1])
            if cipher.openSummary(row[3], name: name, versionID: versionID, format: row[2]) == nil {
                problems.append("the summary kept for version \(versionID) of secret \(name) does not open with the master key (it is ignored, and made again from the value when the user is listed)")
            }
        }
        let secrets = try Row.fetchCursor(db, sql: "SELECT \(StoreRows.stateColumns) FROM secrets s ORDER BY s.name")
        while let row = try secrets.next() {
            let secret = StoreRows.secretRow(row)
            problems += authenticator.problems(secret.state, stagesMAC: secret.stagesMAC, deletionMAC: secret.deletionMAC)
        }
        let withoutCurrent = try String.fetchAll(db, sql: """
            SELECT name FROM secrets s WHERE NOT EXISTS (SELECT 1 FROM stages WHERE secret_id = s.id AND label = ?) ORDER BY name
            """, arguments: [SecretVersionInfo.currentStage])
        problems += withoutCurrent.map { "secret \($0) has no current (AWSCURRENT) version" }
        let misplaced = try String.fetchAll(db, sql: """
            SELECT s.name FROM stages st JOIN versions v ON v.seq = st.version_seq JOIN secrets s ON s.id = st.secret_id
            WHERE v.secret_id != st.secret_id ORDER BY s.name
            """)
        problems += misplaced.map { "secret \($0) has a stage label on another secret's version" }
        return StoreCheckReport(
            secretCount: try Int.fetchOne(db, sql: "SELECT count(*) FROM secrets") ?? 0,
            versionCount: versionCount,
            scheduledDeletionCount: try Int.fetchOne(db, sql: "SELECT count(*) FROM secrets WHERE deleted_at IS NOT NULL") ?? 0,
            problems: problems)
    }

    private func permissionProblems() -> [String] {
        var info = stat()
        guard stat(databasePath, &info) == 0, info.st_mode & 0o077 != 0 else { return [] }
        return ["the store file \(databasePath) can be accessed by group or others (mode \(String(info.st_mode & 0o777, radix: 8))); fix it with: chmod 600 \(databasePath)"]
    }
}

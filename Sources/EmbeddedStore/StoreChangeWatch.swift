import Foundation
import GRDB
import SecretStore

/// A read-only SQLite connection of its own that only asks `PRAGMA data_version`: SQLite changes that number on
/// a connection whenever any OTHER connection commits to the file, whether in this process (the store's own
/// writer) or in another one (the CLI, the console, `sqlite3`). This connection never writes, so every commit
/// to the store changes it.
final class StoreChangeWatch: Sendable {
    private let connection: DatabaseQueue

    init(databasePath: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        connection = try DatabaseQueue(path: databasePath, configuration: configuration)
    }

    /// The connection's current data version (one statement, no transaction: it reads the WAL index header).
    func dataVersion() throws -> Int64 {
        try connection.unsafeRead { db in
            try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
        }
    }

    func close() throws {
        try connection.close()
    }
}

extension EmbeddedSecretStore: ChangeTrackingSecretStore {
    /// SQLite's `PRAGMA data_version` as seen by a connection that never writes: it changes with every commit to
    /// the file by anyone, so a login's cached user is reused only while nothing at all was written.
    public func changeToken() throws -> SecretStoreChangeToken {
        do {
            return SecretStoreChangeToken(counter: try changeWatch.dataVersion())
        } catch {
            throw SecretStoreError.mapping(error, databasePath: databasePath)
        }
    }
}

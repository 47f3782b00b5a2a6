import GRDB
import GRDBSQLite
import SecretStore
import Synchronization

/// A read-only SQLite connection of its own that only asks `PRAGMA data_version`: SQLite changes that number on
/// a connection whenever any OTHER connection commits to the file, whether in this process (the store's own
/// writer) or in another one (the CLI, the console, `sqlite3`). This connection never writes, so every commit
/// to the store changes it.
///
/// `serve` asks it on every login, from every event-loop thread at once, so it is one prepared statement behind a
/// lock held only for the statement: GRDB's serial queue around the same statement made the threads wait on each
/// other (8% of the server's time under load, most of it in the kernel).
final class StoreChangeWatch: Sendable {
    private let connection: Mutex<Connection?>

    init(databasePath: String) throws {
        connection = Mutex(try Connection(path: databasePath))
    }

    /// The connection's current data version (one statement, no transaction: it reads the WAL index header).
    func dataVersion() throws -> Int64 {
        try connection.withLock { connection in
            guard let connection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the store is closed") }
            return try connection.dataVersion()
        }
    }

    /// Closes the connection; asking afterwards is an error.
    func close() {
        connection.withLock { $0 = nil }
    }

    /// The handle and its one statement; finalized and closed when dropped.
    private final class Connection {
        private let handle: OpaquePointer
        private let statement: OpaquePointer

        init(path: String) throws {
            var handle: OpaquePointer?
            let opened = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
            guard opened == SQLITE_OK, let handle else {
                let error = Self.error(opened, handle)
                sqlite3_close_v2(handle)
                throw error
            }
            sqlite3_busy_timeout(handle, 30_000)
            var statement: OpaquePointer?
            let prepared = sqlite3_prepare_v2(handle, "PRAGMA data_version", -1, &statement, nil)
            guard prepared == SQLITE_OK, let statement else {
                let error = Self.error(prepared, handle)
                sqlite3_close_v2(handle)
                throw error
            }
            self.handle = handle
            self.statement = statement
        }

        deinit {
            sqlite3_finalize(statement)
            sqlite3_close_v2(handle)
        }

        func dataVersion() throws -> Int64 {
            defer { sqlite3_reset(statement) }
            let stepped = sqlite3_step(statement)
            guard stepped == SQLITE_ROW else { throw Self.error(stepped, handle) }
            return sqlite3_column_int64(statement, 0)
        }

        private static func error(_ code: Int32, _ handle: OpaquePointer?) -> DatabaseError {
            DatabaseError(resultCode: ResultCode(rawValue: code), message: handle.map { String(cString: sqlite3_errmsg($0)) })
        }
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

import Foundation
import GRDB
import SecretStore

/// A ``SecretStore`` in one SQLite file (WAL), each value sealed with AES-256-GCM under a master key kept in a
/// separate file. Safe to share between tasks and between processes: every write is one immediate transaction.
public final class EmbeddedSecretStore: AuditedSecretStore {
    /// The SQLite file.
    public let databasePath: String
    /// The master key file.
    public let keyPath: String
    public var displayName: String { Self.displayName(of: databasePath) }

    /// How messages name the embedded store at `databasePath`, also before it exists.
    public static func displayName(of databasePath: String) -> String { "embedded \(databasePath)" }

    let pool: DatabasePool
    let cipher: SecretCipher
    let authenticator: SecretStateAuthenticator
    let clock: @Sendable () -> Date
    /// Answers ``changeToken()``.
    let changeWatch: StoreChangeWatch
    /// Summarises each version this store writes, when given.
    let summariser: ValueSummariser?

    private init(databasePath: String, pool: DatabasePool, changeWatch: StoreChangeWatch, cipher: SecretCipher, authenticator: SecretStateAuthenticator,
                 summariser: ValueSummariser?, clock: @escaping @Sendable () -> Date) {
        self.databasePath = databasePath
        self.keyPath = cipher.masterKey.path
        self.pool = pool
        self.changeWatch = changeWatch
        self.cipher = cipher
        self.authenticator = authenticator
        self.summariser = summariser
        self.clock = clock
    }

    /// Opens the store at `databasePath` with the key at `keyPath`.
    ///
    /// With `createIfMissing`, a missing store is created (mode 0600, directories 0700) and a missing key is
    /// generated, but only for a new store: an existing store whose key file is gone is an error. Throws a
    /// ``SecretStoreError`` with a clear message when the key file is readable by others, holds no 256-bit key,
    /// does not decrypt this store, or when the file is not an sftpidp store; in those cases nothing is written.
    ///
    /// - Parameters:
    ///   - summariser: when given, every version this store writes is summarised and the summary kept beside it
    ///     (see ``keptSummaries(of:format:)``).
    ///   - clock: the current time; tests move it to reach the end of recovery windows.
    public static func open(databasePath: String, keyPath: String, createIfMissing: Bool, summariser: ValueSummariser? = nil,
                            clock: @escaping @Sendable () -> Date = { Date() }) throws -> EmbeddedSecretStore {
        let existing = (try? FileManager.default.attributesOfItem(atPath: databasePath)[.size] as? Int).map { $0 > 0 } ?? false
        let key: MasterKey
        if existing {
            guard MasterKey.exists(path: keyPath) else {
                throw SecretStoreError(.notFound, message: "the store \(databasePath) exists but its master key file \(keyPath) does not; restore the key from your backup or point SFTPIDP_MASTER_KEY_FILE at it")
            }
            key = try MasterKey.load(path: keyPath)
        } else {
            guard createIfMissing else {
                throw SecretStoreError(.notFound, message: "there is no store at \(databasePath); create one with `sftpidp store init`")
            }
            key = try MasterKey.loadOrCreate(path: keyPath)
            try FileSystem.createDirectory((databasePath as NSString).deletingLastPathComponent)
            try FileSystem.createPrivateFile(databasePath)
        }
        let cipher = SecretCipher(masterKey: key)
        let authenticator = SecretStateAuthenticator(masterKey: key.key)
        do {
            if existing {
                // Prove the file is ours and opens with this key through a read-only connection, so that a refused
                // open writes nothing (a DatabasePool writes to the -wal file as soon as it opens).
                var readOnly = configuration()
                readOnly.readonly = true
                let probe = try DatabaseQueue(path: databasePath, configuration: readOnly)
                // Blank: nothing but GRDB's migration bookkeeping, i.e. another process is creating the store right now.
                let isBlank = try probe.read { db in
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'grdb!_%' ESCAPE '!'") == 0
                }
                if !isBlank {
                    try verifyKeyAllowingConcurrentCreation(probe, cipher: cipher, databasePath: databasePath)
                }
                try probe.close()
            }
            let pool = try DatabasePool(path: databasePath, configuration: configuration())
            // GRDB sets NORMAL on the writer when it enables WAL; FULL makes every returned write durable.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                guard try Int.fetchOne(db, sql: "PRAGMA synchronous") == 2 else {
                    throw SecretStoreError(.unavailable, message: "SQLite refused synchronous = FULL on \(databasePath)")
                }
            }
            let migrator = StoreSchema.migrator(keyCheck: try cipher.sealKeyCheck(), authenticator: authenticator)
            do {
                try migrator.migrate(pool)
            } catch {
                // Another process may have created the tables at the same moment; then the store is ready.
                guard try pool.read({ db in try migrator.hasCompletedMigrations(db) }) else { throw error }
            }
            try verifyKey(pool, cipher: cipher, databasePath: databasePath)
            let store = EmbeddedSecretStore(databasePath: databasePath, pool: pool, changeWatch: try StoreChangeWatch(databasePath: databasePath), cipher: cipher, authenticator: authenticator, summariser: summariser, clock: clock)
            try pool.write { db in try StoreRows.purgeExpired(db, now: clock()) }
            return store
        } catch {
            throw SecretStoreError.mapping(error, databasePath: databasePath)
        }
    }

    /// Moves everything from the `-wal` file into the database file, then closes the connections; later calls fail.
    ///
    /// (GRDB closes its writer before its read-only readers, so without the explicit checkpoint the last
    /// committed pages could stay in the `-wal` file after close.)
    public func close() throws {
        do {
            changeWatch.close()
            try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            try pool.close()
        } catch {
            throw SecretStoreError.mapping(error, databasePath: databasePath)
        }
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        // Another process may hold the write lock for the length of one transaction: wait for it.
        configuration.busyMode = .timeout(30)
        return configuration
    }

    /// ``verifyKey(_:cipher:databasePath:)``, retried for up to a second while the store's tables are missing:
    /// a process that creates a new store at the same moment makes them in a transaction of its own.
    private static func verifyKeyAllowingConcurrentCreation(_ reader: some DatabaseReader, cipher: SecretCipher, databasePath: String) throws {
        // Up to 10 s: on a loaded machine the creating process may be slow to commit its schema.
        for _ in 0..<200 {
            guard try reader.read({ db in try !db.tableExists("meta") }) else { break }
            usleep(50_000)
        }
        try verifyKey(reader, cipher: cipher, databasePath: databasePath)
    }

    /// Throws when the file is not an sftpidp store or its key check does not open with `cipher`'s key.
    private static func verifyKey(_ pool: some DatabaseReader, cipher: SecretCipher, databasePath: String) throws {
        let check = try pool.read { db -> Data? in
            guard try db.tableExists("meta") else { return nil }
            return try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'keyCheck'")
        }
        guard let check else {
            throw SecretStoreError(.corrupt, message: "\(databasePath) is an SQLite database but not an sftpidp store")
        }
        guard cipher.opensKeyCheck(check) else {
            throw SecretStoreError(.corrupt, message: "the master key at \(cipher.masterKey.path) does not decrypt this store (\(databasePath)); use the key file that was made with it")
        }
    }

    /// Runs `body` and turns SQLite errors into clear store errors.
    func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw SecretStoreError.mapping(error, databasePath: databasePath)
        }
    }

    // MARK: Reads

    public func listSecrets(prefix: String, pageSize: Int, nextToken: String?, includeDeleted: Bool) async throws -> SecretPage {
        try SecretStoreRules.validatePageSize(pageSize)
        let after = try nextToken.map(NameAfterToken.decode)
        let now = clock().timeIntervalSince1970
        // Every valid name character sorts below U+007F, so [prefix, prefix + U+007F) holds exactly the names with that
        // prefix. One lower bound only (the token's name when it is inside the range), so SQLite seeks the name index
        // to the page start instead of scanning from the prefix on every page.
        let (lowerBound, lowerOperator) = after.flatMap { $0 >= prefix ? ($0, ">") : nil } ?? (prefix, ">=")
        let summaries = try readNow { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT secrets.name, secrets.changed_at, secrets.deleted_at, versions.version_id FROM secrets
                LEFT JOIN stages ON stages.secret_id = secrets.id AND stages.label = 'AWSCURRENT'
                LEFT JOIN versions ON versions.seq = stages.version_seq
                WHERE secrets.name \(lowerOperator) ? AND secrets.name < ? AND (secrets.purge_at IS NULL OR secrets.purge_at > ?)
                    AND (? OR secrets.deleted_at IS NULL)
                ORDER BY secrets.name LIMIT ?
                """), arguments: [lowerBound, prefix + "\u{7F}", now, includeDeleted, pageSize + 1]).map { row in
                // Columns by position: a lookup by name lowercases it on every row.
                SecretSummary(name: row[0], lastChangedAt: Date(timeIntervalSince1970: row[1]),
                              deletedAt: (row[2] as Double?).map(Date.init(timeIntervalSince1970:)), currentVersionID: row[3])
            }
        }
        let page = Array(summaries.prefix(pageSize))
        let token = summaries.count > pageSize ? page.last.map { NameAfterToken.encode(lastName: $0.name) } : nil
        return SecretPage(secrets: page, nextToken: token)
    }

    public func getSecret(name: String, version: VersionSelector) async throws -> SecretValue {
        let sealed = try readNow { db in
            try liveVersion(db, name: name, selector: version, now: clock())
        }
        return try value(of: sealed, name: name)
    }

    /// Every current value in one read transaction (one consistent snapshot), decrypted afterwards; a missing,
    /// deleted or undecryptable secret is a failure in its slot.
    public func getSecrets(names: [String]) async throws -> [String: Result<SecretValue, SecretStoreError>] {
        let now = clock()
        let rows = try readNow { db in
            try StoreRows.liveCurrentVersions(db, names: names, now: now, authenticator: authenticator)
        }
        var values: [String: Result<SecretValue, SecretStoreError>] = [:]
        for (name, row) in rows {
            values[name] = row.flatMap { sealed in
                guard let sealed else { return .failure(Self.noVersion(name, .current)) }
                do {
                    return .success(try value(of: sealed, name: name))
                } catch {
                    return .failure(error as? SecretStoreError ?? SecretStoreError(.corrupt, secretName: name, message: "secret \(name) does not decrypt"))
                }
            }
        }
        return values
    }

    private func value(of sealed: SealedVersionRow, name: String) throws -> SecretValue {
        SecretValue(version: sealed.info, string: try cipher.open(sealed.sealedValue, name: name, versionID: sealed.info.versionID))
    }

    /// The sealed value of `name`'s version, or a not-found error naming the version.
    private func liveVersion(_ db: Database, name: String, selector: VersionSelector, now: Date) throws -> SealedVersionRow {
        guard let row = try StoreRows.liveVersion(db, name: name, selector: selector, now: now, authenticator: authenticator) else {
            throw Self.noVersion(name, selector)
        }
        return row
    }

    private static func noVersion(_ name: String, _ selector: VersionSelector) -> SecretStoreError {
        SecretStoreError(.notFound, secretName: name, message: "secret \(name) has no \(describe(selector))")
    }

    /// Reads on the calling thread, with SQLite errors turned into store errors. `inTransaction` wraps several
    /// statements in one read transaction (one consistent state); a single statement needs none.
    ///
    /// Every read of this store is synchronous. An asynchronous GRDB read keeps its reader connection until its task
    /// resumes, so mixing both kinds could leave every reader held by suspended tasks while the concurrency pool's
    /// few threads wait in synchronous reads for one (the console did exactly that while loading). Synchronous
    /// reads hold a reader only while they run, and they are short: one secret, one page of names, one batch. Not
    /// hopping to a reader queue and back also cut a store read from about 220 to 80 µs (docs/benchmarks.md).
    func readNow<T>(inTransaction: Bool = false, _ body: (Database) throws -> T) throws -> T {
        do {
            return inTransaction ? try pool.read(body) : try pool.unsafeRead(body)
        } catch {
            throw SecretStoreError.mapping(error, databasePath: databasePath)
        }
    }

    public func listVersions(name: String) async throws -> [SecretVersionInfo] {
        let now = clock()
        return try readNow(inTransaction: true) { db in
            guard let secret = try StoreRows.verifiedSecret(db, name: name, now: now, authenticator: authenticator) else { throw StoreRows.notFound(name) }
            return try StoreRows.versions(db, secret: secret).map(\.info)
        }
    }

    public func auditTrail(secretName: String?, limit: Int) async throws -> [AuditEntry] {
        try readNow { db in
            try Row.fetchAll(db, sql: """
                SELECT time, actor, client_address, action, secret_name, changed_fields FROM audit
                WHERE ? IS NULL OR secret_name = ? ORDER BY seq DESC LIMIT ?
                """, arguments: [secretName, secretName, max(0, limit)]).map { row in
                let fields = try JSONDecoder().decode([String].self, from: Data((row["changed_fields"] as String).utf8))
                return AuditEntry(time: Date(timeIntervalSince1970: row["time"]), actor: row["actor"], clientAddress: row["client_address"],
                                  action: row["action"], secretName: row["secret_name"], changedFields: fields)
            }
        }
    }

    private static func describe(_ selector: VersionSelector) -> String {
        switch selector {
        case .current: "current version"
        case .previous: "previous version"
        case .id(let id): "version \(id)"
        }
    }
}

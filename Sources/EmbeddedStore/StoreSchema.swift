import Foundation
import GRDB

/// The embedded store's tables, created and upgraded by a GRDB migrator.
///
/// - `meta`: the key check (a fixed text sealed with the master key).
/// - `secrets`: one row per secret: name, dates, the deletion schedule, and (since v2) the two codes of
///   ``SecretStateAuthenticator`` over its stage labels and its deletion schedule.
/// - `versions`: one row per kept version: its UUID and the AES-GCM sealed value (`nonce || ciphertext || tag`).
/// - `stages`: which version holds a stage label; the primary key makes a label unique within a secret.
/// - `audit`: one row per write, without any value.
/// - `summaries` (since v3): a ``ValueSummariser``'s summary of a version, sealed like the value; it goes with its
///   version.
enum StoreSchema {
    /// The migrator; `keyCheck` (see ``SecretCipher/sealKeyCheck()``) is stored by the same transaction that makes the
    /// tables. Run only after the store's key check opened with the key behind `authenticator`: v2 seals every
    /// existing secret's state with it, trusting the rows as they are at that moment.
    static func migrator(keyCheck: Data, authenticator: SecretStateAuthenticator) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value BLOB NOT NULL
                );
                CREATE TABLE secrets (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    created_at DOUBLE NOT NULL,
                    changed_at DOUBLE NOT NULL,
                    deleted_at DOUBLE,
                    purge_at DOUBLE
                );
                CREATE TABLE versions (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    secret_id INTEGER NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
                    version_id TEXT NOT NULL,
                    created_at DOUBLE NOT NULL,
                    sealed_value BLOB NOT NULL,
                    UNIQUE (secret_id, version_id)
                );
                CREATE TABLE stages (
                    secret_id INTEGER NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
                    label TEXT NOT NULL,
                    version_seq INTEGER NOT NULL REFERENCES versions(seq) ON DELETE CASCADE,
                    PRIMARY KEY (secret_id, label)
                );
                CREATE INDEX stages_by_version ON stages(version_seq);
                CREATE TABLE audit (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    time DOUBLE NOT NULL,
                    actor TEXT NOT NULL,
                    client_address TEXT,
                    action TEXT NOT NULL,
                    secret_name TEXT NOT NULL,
                    changed_fields TEXT NOT NULL
                );
                CREATE INDEX audit_by_secret ON audit(secret_name, seq);
                """)
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('keyCheck', ?)", arguments: [keyCheck])
        }
        migrator.registerMigration("v2: state MACs") { db in
            // Empty codes never verify: a row that escaped sealing is refused, not trusted.
            try db.execute(sql: """
                ALTER TABLE secrets ADD COLUMN stages_mac BLOB NOT NULL DEFAULT x'';
                ALTER TABLE secrets ADD COLUMN deletion_mac BLOB NOT NULL DEFAULT x'';
                """)
            for secretID in try Int64.fetchAll(db, sql: "SELECT id FROM secrets") {
                try StoreRows.seal(db, secretID: secretID, authenticator: authenticator)
            }
        }
        migrator.registerMigration("v3: summaries") { db in
            try db.execute(sql: """
                CREATE TABLE summaries (
                    version_seq INTEGER PRIMARY KEY REFERENCES versions(seq) ON DELETE CASCADE,
                    format TEXT NOT NULL,
                    sealed BLOB NOT NULL
                );
                """)
        }
        return migrator
    }
}

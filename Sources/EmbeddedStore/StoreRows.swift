import Foundation
import GRDB
import SecretStore

/// A secret's row, as the store's queries need it, with its authenticated state and the codes stored for it.
struct SecretRow {
    var id: Int64
    var state: SecretState
    var stagesMAC: Data
    var deletionMAC: Data

    var name: String { state.name }
    var deletedAt: Date? { state.deletedAt.map(Date.init(timeIntervalSince1970:)) }
}

/// One version's row with its sealed value.
struct SealedVersionRow: Sendable {
    var seq: Int64
    var info: SecretVersionInfo
    var sealedValue: Data
}

/// The SQL the store runs, one function per question; every function expects to run inside a read or write.
enum StoreRows {
    /// The columns that make up a secret's authenticated state (see ``SecretState``) for the `secrets` row aliased
    /// `s`, so that one statement reads a secret and its state from one snapshot. Version ids and labels come
    /// hex-encoded (`,` between entries, `:` between a label and its version id), so that no text in a row can pass
    /// for a separator. A stage row that points at a missing version or at another secret's version reads as an
    /// empty version id.
    static let stateColumns = """
        s.id, s.name, s.deleted_at, s.purge_at, s.stages_mac, s.deletion_mac,
        (SELECT group_concat(hex(version_id), ',') FROM versions WHERE secret_id = s.id) AS state_versions,
        (SELECT group_concat(hex(st.label) || ':' || CASE WHEN sv.secret_id = s.id THEN hex(sv.version_id) ELSE '' END, ',')
           FROM stages st LEFT JOIN versions sv ON sv.seq = st.version_seq WHERE st.secret_id = s.id) AS state_stages
        """

    /// The position of each of ``stateColumns`` in a row: reading by position spares GRDB's case-insensitive lookup
    /// of each column's name (which lowercased the name on every read of every row).
    private enum StateColumn {
        static let id = 0, name = 1, deletedAt = 2, purgeAt = 3, stagesMAC = 4, deletionMAC = 5, versions = 6, stages = 7
        /// The first column after them.
        static let end = 8
    }

    /// The secret row read with ``stateColumns``.
    static func secretRow(_ row: Row) -> SecretRow {
        let stages = entries(row[StateColumn.stages]).map { entry in
            let parts = entry.split(separator: UInt8(ascii: ":"), maxSplits: 1, omittingEmptySubsequences: false)
            let versionID = parts.count == 2 && !parts[1].isEmpty ? text(fromHex: parts[1]) : nil
            return SecretState.Stage(label: text(fromHex: parts[0]), versionID: versionID)
        }
        let state = SecretState(
            name: row[StateColumn.name], versionIDs: entries(row[StateColumn.versions]).map { text(fromHex: $0) },
            stages: stages, deletedAt: row[StateColumn.deletedAt], purgeAt: row[StateColumn.purgeAt])
        return SecretRow(id: row[StateColumn.id], state: state, stagesMAC: row[StateColumn.stagesMAC], deletionMAC: row[StateColumn.deletionMAC])
    }

    /// The comma-separated entries, split on the bytes: splitting the String itself (by Character) was a third of
    /// reading a secret's row.
    private static func entries(_ list: String?) -> [Substring.UTF8View] {
        (list ?? "").utf8.split(separator: UInt8(ascii: ","))
    }

    /// The text whose UTF-8 bytes SQLite's `hex()` printed (invalid bytes become U+FFFD, which no sealed state holds).
    private static func text(fromHex hex: Substring.UTF8View) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var high: UInt8?
        for digit in hex {
            let value = digit <= 0x39 ? digit &- 0x30 : digit &- 0x37
            if let first = high {
                bytes.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The secret, unless it does not exist or its recovery window has passed; its state is not verified.
    static func secret(_ db: Database, name: String, now: Date) throws -> SecretRow? {
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(stateColumns) FROM secrets s WHERE s.name = ?"), arguments: [name])
        guard let row else { return nil }
        if let purgeAt = row[StateColumn.purgeAt] as Double?, purgeAt <= now.timeIntervalSince1970 { return nil }
        return secretRow(row)
    }

    /// The secret as ``secret(_:name:now:)``, after checking its state against its codes.
    static func verifiedSecret(_ db: Database, name: String, now: Date, authenticator: SecretStateAuthenticator) throws -> SecretRow? {
        guard let secret = try secret(db, name: name, now: now) else { return nil }
        try authenticator.verify(secret.state, stagesMAC: secret.stagesMAC, deletionMAC: secret.deletionMAC)
        return secret
    }

    /// The verified secret, or ``SecretStoreError/Kind/notFound`` / ``SecretStoreError/Kind/markedForDeletion``.
    static func liveSecret(_ db: Database, name: String, now: Date, authenticator: SecretStateAuthenticator) throws -> SecretRow {
        guard let secret = try verifiedSecret(db, name: name, now: now, authenticator: authenticator) else { throw notFound(name) }
        guard secret.deletedAt == nil else { throw markedForDeletion(name) }
        return secret
    }

    /// Stores fresh codes for the secret's state as it is now; every write that changes the state ends with this.
    static func seal(_ db: Database, secretID: Int64, authenticator: SecretStateAuthenticator) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(stateColumns) FROM secrets s WHERE s.id = ?"), arguments: [secretID]) else { return }
        let state = secretRow(row).state
        try db.execute(sql: "UPDATE secrets SET stages_mac = ?, deletion_mac = ? WHERE id = ?",
                       arguments: [authenticator.stagesMAC(state), authenticator.deletionMAC(state), secretID])
    }

    /// The live secret's version for `selector` in one statement (secret row, version and its labels together:
    /// this is the read behind every login), or `nil` when the secret has no such version.
    /// Throws ``SecretStoreError/Kind/notFound`` / ``SecretStoreError/Kind/markedForDeletion`` as ``liveSecret(_:name:now:authenticator:)``.
    static func liveVersion(_ db: Database, name: String, selector: VersionSelector, now: Date,
                            authenticator: SecretStateAuthenticator) throws -> SealedVersionRow? {
        let versionJoin: String
        let arguments: StatementArguments
        switch selector {
        case .current, .previous:
            versionJoin = "LEFT JOIN stages st ON st.secret_id = s.id AND st.label = ? LEFT JOIN versions v ON v.seq = st.version_seq"
            arguments = [selector == .current ? SecretVersionInfo.currentStage : SecretVersionInfo.previousStage, name]
        case .id(let versionID):
            versionJoin = "LEFT JOIN versions v ON v.secret_id = s.id AND v.version_id = ?"
            arguments = [versionID, name]
        }
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT \(versionColumns) FROM secrets s \(versionJoin) WHERE s.name = ?
            """), arguments: arguments)
        // The row is read where SQLite holds it, while the cursor lives (Row.fetchOne would copy every column first).
        let read = try withExtendedLifetime(cursor) { try cursor.next().map(versionRow) }
        guard let read else { throw notFound(name) }
        return try verifiedLiveVersion(read, name: name, now: now, authenticator: authenticator)
    }

    /// Names as one JSON array, the argument a statement reads them from with `json_each(?)`.
    static func nameList(_ names: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
    }

    /// The current versions of many secrets in one statement (the names go in as one JSON array), each as
    /// ``liveVersion(_:name:selector:now:authenticator:)`` would read it: a value, `nil` for a secret without a
    /// current version, or the error for that name. Listing reads its users this way, a hundred at a time.
    static func liveCurrentVersions(_ db: Database, names: [String], now: Date,
                                    authenticator: SecretStateAuthenticator) throws -> [String: Result<SealedVersionRow?, SecretStoreError>] {
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT \(versionColumns) FROM json_each(?) AS wanted JOIN secrets s ON s.name = wanted.value
            LEFT JOIN stages st ON st.secret_id = s.id AND st.label = ? LEFT JOIN versions v ON v.seq = st.version_seq
            """), arguments: [try nameList(names), SecretVersionInfo.currentStage])
        var versions: [String: Result<SealedVersionRow?, SecretStoreError>] = [:]
        try withExtendedLifetime(cursor) {
            while let row = try cursor.next() {
                let read = versionRow(row)
                versions[read.secret.name] = Result { () throws(SecretStoreError) in
                    try verifiedLiveVersion(read, name: read.secret.name, now: now, authenticator: authenticator)
                }
            }
        }
        for name in names where versions[name] == nil { versions[name] = .failure(notFound(name)) }
        return versions
    }

    /// The columns ``versionRow(_:)`` reads: ``stateColumns``, then the version's (none when the secret has no such
    /// version). Labels are joined with the unit separator (char 31), which no stage label contains.
    private static let versionColumns = """
        \(stateColumns), v.seq, v.version_id, v.created_at, v.sealed_value,
        (SELECT group_concat(label, char(31)) FROM stages WHERE version_seq = v.seq AND secret_id = s.id) AS labels
        """

    /// A secret's row and the version read with it, not yet checked.
    private struct VersionRead {
        var secret: SecretRow
        var version: SealedVersionRow?
    }

    private static func versionRow(_ row: Row) -> VersionRead {
        let secret = secretRow(row)
        // The columns after stateColumns, in the order of versionColumns.
        let (seqColumn, versionIDColumn, createdAtColumn, sealedValueColumn, labelsColumn) =
            (StateColumn.end, StateColumn.end + 1, StateColumn.end + 2, StateColumn.end + 3, StateColumn.end + 4)
        guard let seq = row[seqColumn] as Int64? else { return VersionRead(secret: secret) }
        let labels = ((row[labelsColumn] as String?) ?? "").split(separator: "\u{1F}").map(String.init).sorted()
        let info = SecretVersionInfo(name: secret.name, versionID: row[versionIDColumn], stages: labels,
                                     createdAt: Date(timeIntervalSince1970: row[createdAtColumn]))
        return VersionRead(secret: secret, version: SealedVersionRow(seq: seq, info: info, sealedValue: row[sealedValueColumn]))
    }

    /// The version read, unless its secret's recovery window has passed (not found), its state does not match its
    /// codes (corrupt) or it is deleted.
    private static func verifiedLiveVersion(_ read: VersionRead, name: String, now: Date,
                                            authenticator: SecretStateAuthenticator) throws(SecretStoreError) -> SealedVersionRow? {
        if let purgeAt = read.secret.state.purgeAt, purgeAt <= now.timeIntervalSince1970 { throw notFound(name) }
        try authenticator.verify(read.secret.state, stagesMAC: read.secret.stagesMAC, deletionMAC: read.secret.deletionMAC)
        guard read.secret.deletedAt == nil else { throw markedForDeletion(name) }
        return read.version
    }

    /// Every version of a secret with its labels, newest first, and each version's row id.
    static func versions(_ db: Database, secret: SecretRow) throws -> [(seq: Int64, info: SecretVersionInfo)] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT v.seq, v.version_id, v.created_at, group_concat(s.label) AS labels
            FROM versions v LEFT JOIN stages s ON s.version_seq = v.seq AND s.secret_id = v.secret_id
            WHERE v.secret_id = ? GROUP BY v.seq ORDER BY v.seq DESC
            """), arguments: [secret.id])
        return rows.map { row in
            let labels = (row["labels"] as String?).map { $0.split(separator: ",").map(String.init).sorted() } ?? []
            return (row["seq"], SecretVersionInfo(name: secret.name, versionID: row["version_id"], stages: labels,
                                                  createdAt: Date(timeIntervalSince1970: row["created_at"])))
        }
    }

    static func currentVersionID(_ db: Database, secret: SecretRow) throws -> String {
        try String.fetchOne(db.cachedStatement(sql: "SELECT v.version_id FROM stages s JOIN versions v ON v.seq = s.version_seq WHERE s.secret_id = ? AND s.label = ?"),
                            arguments: [secret.id, SecretVersionInfo.currentStage]) ?? ""
    }

    /// Inserts a version and its sealed summary (when there is one); returns the version's `seq`.
    @discardableResult
    static func insertVersion(_ db: Database, secretID: Int64, versionID: String, createdAt: Date, sealedValue: Data,
                              summary: SealedSummary?) throws -> Int64 {
        try db.execute(sql: "INSERT INTO versions (secret_id, version_id, created_at, sealed_value) VALUES (?, ?, ?, ?)",
                       arguments: [secretID, versionID, createdAt.timeIntervalSince1970, sealedValue])
        let seq = db.lastInsertedRowID
        if let summary {
            try db.execute(sql: "INSERT INTO summaries (version_seq, format, sealed) VALUES (?, ?, ?)", arguments: [seq, summary.format, summary.sealed])
        }
        return seq
    }

    /// Moves the stage labels so that `versionID` is current, drops versions beyond the cap, returns the new current version.
    static func makeCurrent(_ db: Database, secret: SecretRow, versionID: String) throws -> SecretVersionInfo {
        let versions = try versions(db, secret: secret)
        guard let target = versions.first(where: { $0.info.versionID == versionID }) else { throw notFound(secret.name, versionID: versionID) }
        let stages = Dictionary(uniqueKeysWithValues: versions.map { ($0.info.versionID, $0.info.stages) })
        let changed = SecretStoreRules.stagesAfterMakingCurrent(versionID, stages: stages)
        let seqs = Dictionary(uniqueKeysWithValues: versions.map { ($0.info.versionID, $0.seq) })
        for id in changed.keys {
            try db.execute(sql: "DELETE FROM stages WHERE version_seq = ?", arguments: [seqs[id]])
        }
        for (id, labels) in changed {
            for label in labels {
                try db.execute(sql: "INSERT INTO stages (secret_id, label, version_seq) VALUES (?, ?, ?)", arguments: [secret.id, label, seqs[id]])
            }
        }
        let relabelled = versions.map { version in
            var info = version.info
            info.stages = changed[info.versionID] ?? info.stages
            return info
        }
        for id in SecretStoreRules.versionsToPrune(relabelled) {
            try db.execute(sql: "DELETE FROM versions WHERE seq = ?", arguments: [seqs[id]])
        }
        var info = target.info
        info.stages = changed[versionID] ?? info.stages
        return info
    }

    static func recordAudit(_ db: Database, context: WriteContext, secretName: String, time: Date) throws {
        let fields = String(decoding: try JSONEncoder().encode(context.changedFields), as: UTF8.self)
        try db.execute(sql: "INSERT INTO audit (time, actor, client_address, action, secret_name, changed_fields) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [time.timeIntervalSince1970, context.actor, context.clientAddress, context.action, secretName, fields])
    }

    /// Removes the secrets whose recovery window has passed, with an audit entry for each.
    static func purgeExpired(_ db: Database, now: Date) throws {
        let expired = try String.fetchAll(db.cachedStatement(sql: "SELECT name FROM secrets WHERE purge_at <= ?"), arguments: [now.timeIntervalSince1970])
        guard !expired.isEmpty else { return }
        try db.execute(sql: "DELETE FROM secrets WHERE purge_at <= ?", arguments: [now.timeIntervalSince1970])
        for name in expired {
            try recordAudit(db, context: WriteContext(action: "store.purge", actor: "sftpidp"), secretName: name, time: now)
        }
    }

    static func markedForDeletion(_ name: String) -> SecretStoreError {
        SecretStoreError(.markedForDeletion, secretName: name, message: "secret \(name) is scheduled for deletion; restore it first")
    }

    static func notFound(_ name: String, versionID: String? = nil) -> SecretStoreError {
        SecretStoreError(.notFound, secretName: name, message: versionID.map { "secret \(name) has no version \($0)" } ?? "secret \(name) not found")
    }
}

import Foundation
import GRDB
import SecretStore

/// Makes the summary an ``EmbeddedSecretStore`` keeps beside each version it writes (for sftpidp: the user's
/// overview, so that listing users reads no value).
///
/// A summary is derived data: sealed like the value and bound to its secret name, version id and `format`, it goes
/// with its version. Change `format` whenever the same value would be summarised differently: summaries in another
/// format are never returned, so they are made again from the values.
public struct ValueSummariser: Sendable {
    /// What the summaries hold and which rules made them; no NUL.
    public let format: String
    /// The summary of a version; nil when there is none to keep (the value is then read when listed).
    public let summarise: @Sendable (SecretValue) -> [UInt8]?

    public init(format: String, summarise: @escaping @Sendable (SecretValue) -> [UInt8]?) {
        precondition(!format.contains("\u{0}"), "a summary format holds no NUL")
        self.format = format
        self.summarise = summarise
    }
}

/// A summary sealed for one version, ready to insert with it.
struct SealedSummary: Sendable {
    var format: String
    var sealed: Data
}

extension EmbeddedSecretStore {
    /// A summary kept for a secret's current version.
    public struct KeptSummary: Sendable, Hashable {
        /// The version it summarises: the secret's current version when read.
        public var versionID: String
        /// The summary, as the summariser made it.
        public var bytes: [UInt8]

        public init(versionID: String, bytes: [UInt8]) {
            self.versionID = versionID
            self.bytes = bytes
        }
    }

    /// The summaries in `format` kept for the current versions of `names`, by name.
    ///
    /// A name is left out when its secret is missing, has no current version, or has no summary in `format` for that
    /// version, and when the summary does not open (altered, or moved from another version): the caller then reads the
    /// value. One statement (one snapshot) for all the names; no value is read. The secrets' state codes are not
    /// checked here: the version is the one ``listSecrets(prefix:pageSize:nextToken:includeDeleted:)`` lists as
    /// current, and a read of the value checks them.
    public func keptSummaries(of names: [String], format: String) throws -> [String: KeptSummary] {
        guard !names.isEmpty else { return [:] }
        let nameList = try StoreRows.nameList(names)
        let rows = try readNow { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT s.name, v.version_id, su.sealed FROM json_each(?) AS wanted JOIN secrets s ON s.name = wanted.value
                JOIN stages st ON st.secret_id = s.id AND st.label = ? JOIN versions v ON v.seq = st.version_seq AND v.secret_id = s.id
                JOIN summaries su ON su.version_seq = v.seq AND su.format = ?
                """), arguments: [nameList, SecretVersionInfo.currentStage, format]).map { row in
                (name: row[0] as String, versionID: row[1] as String, sealed: row[2] as Data)
            }
        }
        var kept: [String: KeptSummary] = [:]
        kept.reserveCapacity(rows.count)
        for row in rows {
            guard let bytes = cipher.openSummary(row.sealed, name: row.name, versionID: row.versionID, format: format) else { continue }
            kept[row.name] = KeptSummary(versionID: row.versionID, bytes: bytes)
        }
        return kept
    }

    /// Keeps `summaries` in `format` beside the versions they summarise (replacing what was kept for them), for
    /// versions written without a summariser or in another format. A version that is gone meanwhile is skipped.
    /// Derived data only: no audit entry, no change to any secret. At most 5,000 versions per transaction, so that
    /// other writers wait no longer than a moment. Synchronous, like the store's reads.
    public func keepSummaries(_ summaries: [(name: String, versionID: String, bytes: [UInt8])], format: String) throws {
        for start in stride(from: 0, to: summaries.count, by: 5_000) {
            // Sealed a transaction's worth at a time: 100,000 sealed summaries at once are tens of megabytes.
            let sealed = try summaries[start..<min(start + 5_000, summaries.count)].map { summary in
                (name: summary.name, versionID: summary.versionID,
                 sealed: try cipher.sealSummary(summary.bytes, name: summary.name, versionID: summary.versionID, format: format))
            }
            do {
                try pool.write { db in
                    let statement = try db.cachedStatement(sql: """
                        INSERT OR REPLACE INTO summaries (version_seq, format, sealed)
                        SELECT v.seq, ?, ? FROM versions v JOIN secrets s ON s.id = v.secret_id WHERE s.name = ? AND v.version_id = ?
                        """)
                    for summary in sealed {
                        try statement.execute(arguments: [format, summary.sealed, summary.name, summary.versionID])
                    }
                }
            } catch {
                throw SecretStoreError.mapping(error, databasePath: databasePath)
            }
        }
    }

    /// The summary of a version about to be written, sealed; nil without a summariser or when it makes none.
    func sealedSummary(of value: String, name: String, versionID: String, createdAt: Date) throws -> SealedSummary? {
        guard let summariser else { return nil }
        // The date as a read gives it back (seconds since 1970 in a double), so that a summary equals one made from a read.
        let info = SecretVersionInfo(name: name, versionID: versionID, stages: [SecretVersionInfo.currentStage],
                                     createdAt: Date(timeIntervalSince1970: createdAt.timeIntervalSince1970))
        guard let summary = summariser.summarise(SecretValue(version: info, string: value)) else { return nil }
        return SealedSummary(format: summariser.format,
                             sealed: try cipher.sealSummary(summary, name: name, versionID: versionID, format: summariser.format))
    }
}

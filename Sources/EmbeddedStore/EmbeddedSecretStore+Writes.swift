import Foundation
import GRDB
import SecretStore

/// Writes: each is one immediate transaction that purges expired secrets, checks, changes and audits.
extension EmbeddedSecretStore {
    public func createSecret(name: String, value: String, context: WriteContext) async throws -> SecretVersionInfo {
        try SecretStoreRules.validateName(name)
        try SecretStoreRules.validateValue(value, secretName: name)
        let now = clock()
        let versionID = Self.newVersionID()
        let sealed = try cipher.seal(value, name: name, versionID: versionID)
        let summary = try sealedSummary(of: value, name: name, versionID: versionID, createdAt: now)
        return try await mapped {
            try await pool.write { db in
                try StoreRows.purgeExpired(db, now: now)
                let info = try insertNewSecret(db, name: name, versionID: versionID, sealedValue: sealed, summary: summary, now: now)
                try StoreRows.recordAudit(db, context: context, secretName: name, time: now)
                return info
            }
        }
    }

    /// Creates many secrets in one transaction: all of them, or none when one name is invalid or taken.
    ///
    /// For imports and for seeding large stores; each secret gets one audit entry with `context`.
    public func createSecrets(_ secrets: [(name: String, value: String)], context: WriteContext) async throws -> [SecretVersionInfo] {
        let now = clock()
        let sealed = try secrets.map { secret in
            try SecretStoreRules.validateName(secret.name)
            try SecretStoreRules.validateValue(secret.value, secretName: secret.name)
            let versionID = Self.newVersionID()
            return (name: secret.name, versionID: versionID, sealed: try cipher.seal(secret.value, name: secret.name, versionID: versionID),
                    summary: try sealedSummary(of: secret.value, name: secret.name, versionID: versionID, createdAt: now))
        }
        return try await mapped {
            try await pool.write { db in
                try StoreRows.purgeExpired(db, now: now)
                return try sealed.map { secret in
                    let info = try insertNewSecret(db, name: secret.name, versionID: secret.versionID, sealedValue: secret.sealed,
                                                   summary: secret.summary, now: now)
                    try StoreRows.recordAudit(db, context: context, secretName: secret.name, time: now)
                    return info
                }
            }
        }
    }

    private func insertNewSecret(_ db: Database, name: String, versionID: String, sealedValue: Data, summary: SealedSummary?,
                                 now: Date) throws -> SecretVersionInfo {
        guard try StoreRows.secret(db, name: name, now: now) == nil else {
            throw SecretStoreError(.alreadyExists, secretName: name, message: "secret \(name) already exists")
        }
        try db.execute(sql: "INSERT INTO secrets (name, created_at, changed_at) VALUES (?, ?, ?)",
                       arguments: [name, now.timeIntervalSince1970, now.timeIntervalSince1970])
        let secretID = db.lastInsertedRowID
        let versionSeq = try StoreRows.insertVersion(db, secretID: secretID, versionID: versionID, createdAt: now, sealedValue: sealedValue,
                                                     summary: summary)
        try db.execute(sql: "INSERT INTO stages (secret_id, label, version_seq) VALUES (?, ?, ?)",
                       arguments: [secretID, SecretVersionInfo.currentStage, versionSeq])
        try StoreRows.seal(db, secretID: secretID, authenticator: authenticator)
        return SecretVersionInfo(name: name, versionID: versionID, stages: [SecretVersionInfo.currentStage], createdAt: now)
    }

    public func putSecret(name: String, value: String, replacing replacedVersionID: String, context: WriteContext) async throws -> SecretVersionInfo {
        try SecretStoreRules.validateValue(value, secretName: name)
        let now = clock()
        let versionID = Self.newVersionID()
        let sealed = try cipher.seal(value, name: name, versionID: versionID)
        let summary = try sealedSummary(of: value, name: name, versionID: versionID, createdAt: now)
        return try await mapped {
            try await pool.write { db in
                try StoreRows.purgeExpired(db, now: now)
                let secret = try StoreRows.liveSecret(db, name: name, now: now, authenticator: authenticator)
                try Self.checkCurrent(db, secret: secret, is: replacedVersionID)
                try StoreRows.insertVersion(db, secretID: secret.id, versionID: versionID, createdAt: now, sealedValue: sealed, summary: summary)
                let info = try StoreRows.makeCurrent(db, secret: secret, versionID: versionID)
                try StoreRows.seal(db, secretID: secret.id, authenticator: authenticator)
                try db.execute(sql: "UPDATE secrets SET changed_at = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, secret.id])
                try StoreRows.recordAudit(db, context: context, secretName: name, time: now)
                return info
            }
        }
    }

    public func promoteVersion(name: String, versionID: String, replacing currentVersionID: String, context: WriteContext) async throws -> SecretVersionInfo {
        let now = clock()
        return try await mapped {
            try await pool.write { db in
                try StoreRows.purgeExpired(db, now: now)
                let secret = try StoreRows.liveSecret(db, name: name, now: now, authenticator: authenticator)
                try Self.checkCurrent(db, secret: secret, is: currentVersionID)
                let info = try StoreRows.makeCurrent(db, secret: secret, versionID: versionID)
                try StoreRows.seal(db, secretID: secret.id, authenticator: authenticator)
                try db.execute(sql: "UPDATE secrets SET changed_at = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, secret.id])
                try StoreRows.recordAudit(db, context: context, secretName: name, time: now)
                return info
            }
        }
    }

    @discardableResult
    public func deleteSecret(name: String, recoveryWindowDays: Int, forceWithoutRecovery: Bool, context: WriteContext) async throws -> Date {
        let now = clock()
        return try await mapped {
            try await pool.write { db in
                try StoreRows.purgeExpired(db, now: now)
                // Unverified: force deletion is how a secret whose rows were tampered with is removed.
                guard let secret = try StoreRows.secret(db, name: name, now: now) else { throw StoreRows.notFound(name) }
                if forceWithoutRecovery {
                    try db.execute(sql: "DELETE FROM secrets WHERE id = ?", arguments: [secret.id])
                    try StoreRows.recordAudit(db, context: context, secretName: name, time: now)
                    return now
                }
                try SecretStoreRules.validateRecoveryWindow(recoveryWindowDays, secretName: name)
                try authenticator.verify(secret.state, stagesMAC: secret.stagesMAC, deletionMAC: secret.deletionMAC)
                guard secret.deletedAt == nil else {
                    throw SecretStoreError(.markedForDeletion, secretName: name, message: "secret \(name) is already scheduled for deletion")
                }
                let purgeAt = now.addingTimeInterval(TimeInterval(recoveryWindowDays) * 86_400)
                try db.execute(sql: "UPDATE secrets SET deleted_at = ?, purge_at = ? WHERE id = ?",
                               arguments: [now.timeIntervalSince1970, purgeAt.timeIntervalSince1970, secret.id])
                try StoreRows.seal(db, secretID: secret.id, authenticator: authenticator)
                try StoreRows.recordAudit(db, context: context, secretName: name, time: now)
                return purgeAt
            }
        }
    }

    public func restoreSecret(name: String, context: WriteContext) async throws {
        let now = clock()
        try await mapped {
            try await pool.write { db in
                try StoreRows.purgeExpired(db, now: now)
                guard let secret = try StoreRows.verifiedSecret(db, name: name, now: now, authenticator: authenticator) else { throw StoreRows.notFound(name) }
                guard secret.deletedAt != nil else { return }
                try db.execute(sql: "UPDATE secrets SET deleted_at = NULL, purge_at = NULL WHERE id = ?", arguments: [secret.id])
                try StoreRows.seal(db, secretID: secret.id, authenticator: authenticator)
                try StoreRows.recordAudit(db, context: context, secretName: name, time: now)
            }
        }
    }

    private static func checkCurrent(_ db: Database, secret: SecretRow, is expected: String) throws {
        let actual = try StoreRows.currentVersionID(db, secret: secret)
        guard actual == expected else {
            throw SecretStoreError(.conflict(expectedVersionID: expected, actualVersionID: actual), secretName: secret.name,
                                   message: "secret \(secret.name) was changed meanwhile: its current version is \(actual), not \(expected)")
        }
    }

    private static func newVersionID() -> String {
        UUID().uuidString.lowercased()
    }
}

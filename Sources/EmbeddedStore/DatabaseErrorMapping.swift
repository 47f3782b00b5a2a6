import GRDB
import SecretStore

extension SecretStoreError {
    /// `error` as a store error: SQLite failures become a clear message about the store file; store errors pass through.
    static func mapping(_ error: any Error, databasePath: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return SecretStoreError(.corrupt, message: "the store file \(databasePath) is damaged or is not an sftpidp store (SQLite: \(detail)); restore it from a backup")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return SecretStoreError(.unavailable, message: "the store file \(databasePath) is locked by another process; try again")
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return SecretStoreError(.accessDenied, message: "the store file \(databasePath) cannot be opened for writing (SQLite: \(detail))")
        default:
            return SecretStoreError(.unavailable, message: "the store file \(databasePath) failed (SQLite: \(detail))")
        }
    }
}

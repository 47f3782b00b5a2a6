import AccessAnalysis
import IdentityModel
import IdentityProvider
import SecretStore
import UserManagement

/// Work the reducer asks for; the effect runner does it off the UI loop and answers with a ``ConsoleEvent``.
public enum Effect: Sendable, CustomStringConvertible {
    case listUsers(OperationID, prefix: String, nextToken: String?, includeDeleted: Bool)
    case fetchUsers(OperationID, names: [String])
    /// The listing is complete: keeps `entries` in the listing cache and forgets users no longer `listed` (secret
    /// names), writing the cache once. Nothing without a cache.
    case updateListingCache(entries: [String: CachedUserOverview], listed: Set<String>)
    /// Creates a user from these edits (``UserDirectory/create(_:edits:action:)``).
    case createUser(OperationID, username: String, edits: [UserEdit], action: String)
    /// Applies these edits to the version `base` and writes the next one; a change since `base` is a conflict.
    case updateUser(OperationID, username: String, base: SecretValue, edits: [UserEdit], action: String)
    /// Schedules a user for deletion, restorable for the directory's recovery window.
    case deleteUser(OperationID, username: String)
    case restoreUser(OperationID, username: String)
    case loadHistory(OperationID, username: String)
    /// Makes an older version current again (the store's promoteVersion), naming the fields it changes.
    case rollBack(OperationID, username: String, versionID: String, replacing: String)
    /// Hashes a password at the console's configured argon2id cost (``ConsoleContext/argon2``).
    case hashPassword(OperationID, SecretText, cost: Argon2Parameters)
    /// Generates a strong password and hashes it at the configured cost.
    case generatePassword(OperationID, cost: Argon2Parameters)
    case readKeyFile(OperationID, path: String)
    case testLogin(OperationID, LoginRequest)
    /// Explains what `answer` lets `username` do, reading the role's policies from the console's source.
    case explainAccess(OperationID, TransferAnswer, username: String)
    case cancel(OperationID)
    case applyTheme(String)

    /// A description for test failures and debugging; never holds a secret value.
    public var description: String {
        switch self {
        case .listUsers(let id, let prefix, let token, let deleted): "listUsers(\(id), \(prefix), \(token ?? "first"), deleted: \(deleted))"
        case .fetchUsers(let id, let names): "fetchUsers(\(id), \(names.count) names)"
        case .updateListingCache(let entries, let listed): "updateListingCache(\(entries.count) entries, \(listed.count) listed)"
        case .createUser(let id, let username, let edits, let action): "createUser(\(id), \(username), \(action), \(edits.map(\.name)))"
        case .updateUser(let id, let username, let base, let edits, let action): "updateUser(\(id), \(username), replacing: \(base.versionID), \(action), \(edits.map(\.name)))"
        case .deleteUser(let id, let username): "deleteUser(\(id), \(username))"
        case .restoreUser(let id, let username): "restoreUser(\(id), \(username))"
        case .loadHistory(let id, let username): "loadHistory(\(id), \(username))"
        case .rollBack(let id, let username, let version, let replacing): "rollBack(\(id), \(username), \(version), replacing: \(replacing))"
        case .hashPassword(let id, _, _): "hashPassword(\(id))"
        case .generatePassword(let id, _): "generatePassword(\(id))"
        case .readKeyFile(let id, let path): "readKeyFile(\(id), \(path))"
        case .testLogin(let id, let request): "testLogin(\(id), \(request))"
        case .explainAccess(let id, let answer, let username): "explainAccess(\(id), \(username), \(answer.role))"
        case .cancel(let id): "cancel(\(id))"
        case .applyTheme(let name): "applyTheme(\(name))"
        }
    }
}

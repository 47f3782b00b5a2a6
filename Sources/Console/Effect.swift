import IdentityProvider
import SecretStore

/// Work the reducer asks for; the effect runner does it off the UI loop and answers with a ``ConsoleEvent``.
public enum Effect: Sendable, CustomStringConvertible {
    case listUsers(OperationID, prefix: String, nextToken: String?, includeDeleted: Bool)
    case fetchUsers(OperationID, names: [String])
    case createSecret(OperationID, name: String, value: String, context: WriteContext)
    case putSecret(OperationID, name: String, value: String, replacing: String, context: WriteContext)
    case deleteSecret(OperationID, name: String, context: WriteContext)
    case restoreSecret(OperationID, name: String, context: WriteContext)
    case loadHistory(OperationID, username: String)
    /// Makes an older version current again (the store's promoteVersion), naming the fields it changes.
    case rollBack(OperationID, username: String, versionID: String, replacing: String)
    case hashPassword(OperationID, SecretText)
    case generatePassword(OperationID)
    case readKeyFile(OperationID, path: String)
    case testLogin(OperationID, LoginRequest)
    case cancel(OperationID)
    case applyTheme(String)

    /// A description for test failures and debugging; never holds a secret value.
    public var description: String {
        switch self {
        case .listUsers(let id, let prefix, let token, let deleted): "listUsers(\(id), \(prefix), \(token ?? "first"), deleted: \(deleted))"
        case .fetchUsers(let id, let names): "fetchUsers(\(id), \(names.count) names)"
        case .createSecret(let id, let name, _, let context): "createSecret(\(id), \(name), \(context.action))"
        case .putSecret(let id, let name, _, let version, let context): "putSecret(\(id), \(name), replacing: \(version), \(context.action), \(context.changedFields))"
        case .deleteSecret(let id, let name, _): "deleteSecret(\(id), \(name))"
        case .restoreSecret(let id, let name, _): "restoreSecret(\(id), \(name))"
        case .loadHistory(let id, let username): "loadHistory(\(id), \(username))"
        case .rollBack(let id, let username, let version, let replacing): "rollBack(\(id), \(username), \(version), replacing: \(replacing))"
        case .hashPassword(let id, _): "hashPassword(\(id))"
        case .generatePassword(let id): "generatePassword(\(id))"
        case .readKeyFile(let id, let path): "readKeyFile(\(id), \(path))"
        case .testLogin(let id, let request): "testLogin(\(id), \(request))"
        case .cancel(let id): "cancel(\(id))"
        case .applyTheme(let name): "applyTheme(\(name))"
        }
    }
}

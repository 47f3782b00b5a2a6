import Foundation
import IdentityModel
import SecretStore

/// What a create or an update wrote.
public struct UserEditResult: Sendable {
    /// The user as saved (or as it already was, when nothing changed).
    public var user: SFTPUser
    /// The keys that differ from the version edited, sorted; empty when nothing was written.
    public var changedKeys: [String]
    /// The version written, with its value; nil when nothing changed and nothing was written.
    public var written: SecretValue?
}

extension UserDirectory {
    /// Creates `username` with `edits` applied to an empty secret, after checking the name and every rule.
    /// Fails with `.alreadyExists` when the user exists (or is deleted but restorable).
    @discardableResult
    public func create(_ username: String, edits: [UserEdit], action: String) async throws -> UserEditResult {
        if let error = Validation.userName(username) { throw UserEditError([error]) }
        let user = try edits.applied(to: SFTPUser(secret: UserSecret()))
        let version = try await create(username, secret: user.secret, action: action)
        return UserEditResult(user: user, changedKeys: user.secret.changedKeys(comparedTo: UserSecret()), written: SecretValue(version: version, string: user.secret.secretString))
    }

    /// Applies `edits` to the version `user` was read at and writes the result as the next version, provided
    /// nobody changed the user since (a conflict is the store's `.conflict` error). Writes nothing when the
    /// edits change nothing. The audit trail records the changed keys, never their values.
    @discardableResult
    public func update(_ stored: StoredUser, edits: [UserEdit], action: String) async throws -> UserEditResult {
        let base: UserSecret
        switch stored.secret {
        case .success(let secret): base = secret
        case .failure(let error):
            throw UserEditError([FieldError(field: stored.value.name, rule: "cannot be edited field by field: \(error.reason); delete and re-create it, or fix it with another tool")])
        }
        let user = try edits.applied(to: SFTPUser(secret: base))
        let changed = user.secret.changedKeys(comparedTo: base)
        guard !changed.isEmpty else { return UserEditResult(user: user, changedKeys: [], written: nil) }
        let version = try await save(user.secret, over: stored, action: action)
        return UserEditResult(user: user, changedKeys: changed, written: SecretValue(version: version, string: user.secret.secretString))
    }

    /// Reads the current version of `username` and applies `edits` to it (see ``update(_:edits:action:)``).
    @discardableResult
    public func update(_ username: String, edits: [UserEdit], action: String) async throws -> UserEditResult {
        try await update(try await load(username), edits: edits, action: action)
    }
}

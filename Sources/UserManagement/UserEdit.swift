import Foundation
import IdentityModel

/// One change to a user, as the CLI's options and the console's forms both express it.
///
/// Each case has one implementation of its rules (``UserEdit/apply(to:)``) and one wording of its errors, so both
/// faces behave and answer alike. Password edits replace or remove every password key (`Password`,
/// `SFTPPasswordHash`, ...), key removals reach every key list, and no edit ever writes a plain-text password.
public enum UserEdit: Sendable, Hashable {
    /// Stores this hash as `PasswordHash` and removes every other password key, at every level.
    case setPassword(hash: String)
    /// Removes every password key, at every level.
    case clearPassword
    /// Replaces the plain key list (`PublicKey`/`PublicKeys`) with these keys.
    case replaceKeys([SSHPublicKey])
    /// Adds keys to the plain key list.
    case addKeys([SSHPublicKey])
    /// Removes the key with this fingerprint from every key list it is in.
    case removeKey(fingerprint: String)
    case setRole(String?)
    case setPolicy(String?)
    case setHome(HomeDirectory)
    case setNetworks([IPNetwork])
    case setPosixProfile(PosixProfile?)
    /// `nil`: never expires.
    case setExpiry(Date?)
    case setDisabled(Bool)
    case setComment(String?)
    /// Empty: every server allowed.
    case setAllowedServers([String])
    /// Any key set to a string verbatim (`--set KEY=VALUE`); refused for every password key.
    case setRawValue(key: String, value: String)
    /// Any key removed (`--unset KEY`).
    case removeRawKey(String)
    /// Copies these keys (present or absent) from another version of the same user: how a conflict is resolved.
    case copyValues(keys: [String], from: UserSecret)

    /// Applies this edit; throws the rule it breaks, naming the key.
    public func apply(to user: inout SFTPUser) throws(FieldError) {
        switch self {
        case .setPassword(let hash):
            try user.setPassword(hash: hash)
        case .clearPassword:
            user.clearPassword()
        case .replaceKeys(let keys):
            var secret = user.secret
            secret[SecretKey.publicKey] = nil
            secret[SecretKey.publicKeys] = nil
            user = SFTPUser(secret: secret)
            for key in keys { try user.addPublicKey(key) }
        case .addKeys(let keys):
            for key in keys { try user.addPublicKey(key) }
        case .removeKey(let fingerprint):
            try user.removePublicKey(fingerprint: fingerprint)
        case .setRole(let role):
            user.setRole(role.flatMap { $0.isEmpty ? nil : $0 })
        case .setPolicy(let policy):
            user.setPolicy(policy.flatMap { $0.isEmpty ? nil : $0 })
        case .setHome(let home):
            user.setHome(home)
        case .setNetworks(let networks):
            user.setNetworks(networks)
        case .setPosixProfile(let profile):
            user.setPosixProfile(profile)
        case .setExpiry(let date):
            user.setExpiresAt(date)
        case .setDisabled(let disabled):
            user.setDisabled(disabled)
        case .setComment(let comment):
            user.setComment(comment)
        case .setAllowedServers(let ids):
            for id in ids {
                if let error = Validation.serverID(id, field: SecretKey.allowedServerIds) { throw error }
            }
            user.setAllowedServerIDs(ids)
        case .setRawValue(let key, let value):
            if SecretKey.isPasswordVariant(key) { throw Self.plainTextPasswordRefused(key) }
            var secret = user.secret
            secret[key] = .string(value)
            user = SFTPUser(secret: secret)
        case .removeRawKey(let key):
            var secret = user.secret
            secret[key] = nil
            user = SFTPUser(secret: secret)
        case .copyValues(let keys, let other):
            var secret = user.secret
            for key in keys { secret[key] = other[key] }
            user = SFTPUser(secret: secret)
        }
    }

    /// The error for a raw write of a password key.
    static func plainTextPasswordRefused(_ key: String) -> FieldError {
        FieldError(field: key, rule: "holds a password and is never written as given (it would be stored as plain text): set a password with --password-stdin or --generate-password, or with p in the console")
    }

    /// What this edit changes, for finding two edits that would fight over the same thing.
    var target: Target {
        switch self {
        case .setPassword, .clearPassword: .password
        case .replaceKeys: .keyList
        case .addKeys, .removeKey: .keyChanges
        case .setRole: .role
        case .setPolicy: .policy
        case .setHome: .home
        case .setNetworks: .networks
        case .setPosixProfile: .posixProfile
        case .setExpiry: .expiry
        case .setDisabled: .disabled
        case .setComment: .comment
        case .setAllowedServers: .allowedServers
        case .setRawValue(let key, _), .removeRawKey(let key): Target(rawKey: key)
        case .copyValues: .copiedValues
        }
    }

    /// How the edit is named in messages (never with a value: no hash, no comment text).
    public var name: String {
        switch self {
        case .setPassword: "a new password"
        case .clearPassword: "clearing the password"
        case .replaceKeys: "replacing all keys"
        case .addKeys: "adding keys"
        case .removeKey: "removing a key"
        case .setRole: "the role"
        case .setPolicy: "the policy"
        case .setHome: "the home"
        case .setNetworks: "the networks"
        case .setPosixProfile: "the POSIX profile"
        case .setExpiry: "the expiry"
        case .setDisabled(let disabled): disabled ? "disabling" : "enabling"
        case .setComment: "the comment"
        case .setAllowedServers: "the allowed servers"
        case .setRawValue(let key, _): "setting \(key)"
        case .removeRawKey(let key): "removing \(key)"
        case .copyValues: "copying values"
        }
    }

    /// The part of a user an edit changes.
    enum Target: Hashable {
        case password, keyList, keyChanges, role, policy, home, networks, posixProfile, expiry, disabled, comment
        case allowedServers, copiedValues
        case key(String)

        /// A raw key belongs to the typed edit that owns it (`Role` to the role); others stand for themselves.
        init(rawKey key: String) {
            switch key {
            case _ where SecretKey.isPasswordVariant(key): self = .password
            case _ where SecretKey.publicKeyVariants.contains(key), SecretKey.keyExpiry: self = .keyList
            case SecretKey.role: self = .role
            case SecretKey.policy: self = .policy
            case SecretKey.homeDirectory, SecretKey.homeDirectoryDetails, SecretKey.homeDirectoryType: self = .home
            case SecretKey.acceptedIpNetwork: self = .networks
            case SecretKey.posixProfile: self = .posixProfile
            case SecretKey.expiresAt: self = .expiry
            case SecretKey.disabled: self = .disabled
            case SecretKey.comment: self = .comment
            case SecretKey.allowedServerIds: self = .allowedServers
            default: self = .key(key)
            }
        }

        /// Adding and removing keys combine with each other; everything else is one edit per target.
        func allowsBoth(_ first: UserEdit, _ second: UserEdit) -> Bool {
            self == .keyChanges && first.target == .keyChanges && second.target == .keyChanges
        }

        /// Replacing all keys fights with adding or removing some.
        var clashes: [Target] {
            switch self {
            case .keyList: [.keyChanges]
            case .keyChanges: [.keyList]
            default: []
            }
        }
    }
}

extension [UserEdit] {
    /// Applies every edit in order after checking that no two of them change the same thing (which one would
    /// win is never guessed), then every rule of the whole user.
    ///
    /// Throws ``UserEditError`` naming the clash, the broken input, or every broken rule.
    public func applied(to user: SFTPUser) throws(UserEditError) -> SFTPUser {
        try checkCombination()
        var edited = user
        for edit in self {
            do { try edit.apply(to: &edited) } catch { throw UserEditError([error]) }
        }
        let broken = edited.validate()
        guard broken.isEmpty else { throw UserEditError(broken) }
        return edited
    }

    /// Throws when two edits change the same part of the user, e.g. clearing the password and `--set Password=`.
    public func checkCombination() throws(UserEditError) {
        for (index, first) in enumerated() {
            for second in self[(index + 1)...] {
                let target = first.target
                let fights = (target == second.target && !target.allowsBoth(first, second)) || target.clashes.contains(second.target)
                if fights {
                    let rule = first.name == second.name ? "\(first.name) is given twice (by two options): give it once"
                        : "\(first.name) and \(second.name) change the same thing: give only one of them"
                    throw UserEditError([FieldError(field: "edit", rule: rule)])
                }
            }
        }
    }
}

/// Why a set of edits was not saved: each broken rule names its key; never a value of a secret.
public struct UserEditError: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) {
        self.errors = errors
    }

    /// One rule as `key: rule`; several as a list under a heading.
    public var description: String {
        guard errors.count > 1 else { return errors.first?.description ?? "not saved" }
        return "not saved, the user breaks \(errors.count) rules:\n" + errors.map { "  \($0)" }.joined(separator: "\n")
    }
}

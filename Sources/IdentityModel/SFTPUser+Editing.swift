import Foundation

/// Edits. Each writes only the keys it is about (for `transferProtocol`: the per-protocol key, e.g. `SFTPRole`;
/// for `nil`: the plain key) and keeps every other key, known or unknown, unchanged.
extension SFTPUser {
    /// Sets the role ARN; `nil` removes it.
    public mutating func setRole(_ role: String?, for transferProtocol: TransferProtocol? = nil) {
        secret[SecretKey.name(SecretKey.role, for: transferProtocol)] = role.map(JSONValue.string)
    }

    /// Sets the scope-down policy; `nil` removes it. Stored as a string, or as an object when the secret already held an object.
    public mutating func setPolicy(_ policy: String?, for transferProtocol: TransferProtocol? = nil) {
        let key = SecretKey.name(SecretKey.policy, for: transferProtocol)
        guard let policy else {
            secret[key] = nil
            return
        }
        if case .object = secret[key], let object = try? JSONValue(parsing: policy), case .object = object {
            secret[key] = object
        } else {
            secret[key] = .string(policy)
        }
    }

    /// Sets the home. A `PATH` home removes `HomeDirectoryDetails`, a `LOGICAL` one removes `HomeDirectory`: never both.
    /// Mappings are stored as a string holding JSON (as the originals expect), or as an array when the secret already held an array.
    /// An existing `HomeDirectoryType` key is kept in step.
    public mutating func setHome(_ home: HomeDirectory, for transferProtocol: TransferProtocol? = nil) {
        let pathKey = SecretKey.name(SecretKey.homeDirectory, for: transferProtocol)
        let detailsKey = SecretKey.name(SecretKey.homeDirectoryDetails, for: transferProtocol)
        let typeKey = SecretKey.name(SecretKey.homeDirectoryType, for: transferProtocol)
        switch home {
        case .path(let path):
            secret[detailsKey] = nil
            secret[pathKey] = path.flatMap { $0.isEmpty ? nil : JSONValue.string($0) }
            if secret[typeKey] != nil { secret[typeKey] = .string("PATH") }
        case .logical(let mappings):
            let array = JSONValue.array(mappings.map(\.jsonValue))
            if case .array = secret[detailsKey] {
                secret[detailsKey] = array
            } else {
                secret[detailsKey] = .string(array.jsonText)
            }
            secret[pathKey] = nil
            if secret[typeKey] != nil { secret[typeKey] = .string("LOGICAL") }
        }
    }

    /// Stores a password hash under `PasswordHash` and REMOVES every other password key, at every level
    /// (`Password`, `SFTPPassword`, `FTPSPasswordHash`, ...): after a password change no older password, plain or
    /// per protocol, still logs in. Returns the keys removed besides `PasswordHash`.
    /// Throws when `hash` is not a supported hash string (so a plain password can never be stored here by mistake).
    @discardableResult
    public mutating func setPassword(hash: String) throws(FieldError) -> [String] {
        guard PasswordKind(hashString: hash) != .unsupported else {
            throw FieldError(field: SecretKey.passwordHash, rule: "must be an argon2id, argon2i, bcrypt, yescrypt or sha512-crypt hash string")
        }
        let removed = clearPassword().filter { $0 != SecretKey.passwordHash }
        secret[SecretKey.passwordHash] = .string(hash)
        return removed
    }

    /// Removes every password key at every level (`Password`, `PasswordHash`, `SFTPPassword`, ...); returns their names.
    @discardableResult
    public mutating func clearPassword() -> [String] {
        let present = SecretKey.passwordVariants.filter { secret[$0] != nil }
        for key in present { secret[key] = nil }
        return present
    }

    /// Adds a key at this level, keeping the list's stored shape (string or array, `PublicKey` or `PublicKeys`).
    /// A new list is a comma-separated string under `PublicKey`. Refuses a duplicate fingerprint and more than 50 keys.
    public mutating func addPublicKey(_ key: SSHPublicKey, for transferProtocol: TransferProtocol? = nil) throws(FieldError) {
        var entries = try publicKeyEntriesForEditing(at: transferProtocol)
        var ignored: [FieldError] = []
        if entries.parsedKeys(issues: &ignored).contains(where: { $0.key.fingerprint == key.fingerprint }) {
            throw FieldError(field: entries.key, rule: "the key \(key.fingerprint) is already there")
        }
        if let error = Validation.publicKeyCount(entries.entries.count + 1, field: entries.key) { throw error }
        entries.entries.append(.string(entries.storedLine(for: key)))
        secret[entries.key] = entries.storedValue
    }

    /// Removes the key with this fingerprint from EVERY key list it is in (`PublicKey`, `PublicKeys`,
    /// `SFTPPublicKey`, ...) and its `sftpidp:KeyExpiry` entry; returns the lists it was removed from.
    /// Throws when no list holds it.
    @discardableResult
    public mutating func removePublicKey(fingerprint: String) throws(FieldError) -> [String] {
        var removedFrom: [String] = []
        for name in SecretKey.publicKeyVariants {
            guard let value = secret[name] else { continue }
            var ignored: [FieldError] = []
            guard var entries = PublicKeyEntries(key: name, value: value, issues: &ignored) else { continue }
            let matching = Set(entries.parsedKeys(issues: &ignored).filter { $0.key.fingerprint == fingerprint }.map(\.index))
            guard !matching.isEmpty else { continue }
            entries.entries = entries.entries.enumerated().filter { !matching.contains($0.offset) }.map(\.element)
            secret[name] = entries.storedValue
            removedFrom.append(name)
        }
        guard !removedFrom.isEmpty else {
            throw FieldError(field: SecretKey.publicKey, rule: "no key with fingerprint \(fingerprint.prefix(80))")
        }
        setKeyExpiry(fingerprint: fingerprint, nil)
        return removedFrom
    }

    /// Sets `AcceptedIpNetwork` (one CIDR, or several separated by commas); an empty list removes it.
    public mutating func setNetworks(_ networks: [IPNetwork], for transferProtocol: TransferProtocol? = nil) {
        let key = SecretKey.name(SecretKey.acceptedIpNetwork, for: transferProtocol)
        secret[key] = networks.isEmpty ? nil : .string(networks.map(\.description).joined(separator: ","))
    }

    /// Sets the POSIX profile (as an object, or as a string when the secret already held a string); `nil` removes it.
    public mutating func setPosixProfile(_ profile: PosixProfile?, for transferProtocol: TransferProtocol? = nil) {
        let key = SecretKey.name(SecretKey.posixProfile, for: transferProtocol)
        guard let profile else {
            secret[key] = nil
            return
        }
        if case .string = secret[key] {
            secret[key] = .string(profile.jsonValue.jsonText)
        } else {
            secret[key] = profile.jsonValue
        }
    }

    /// `sftpidp:Disabled`: stores `true`, or removes the key to enable.
    public mutating func setDisabled(_ disabled: Bool) {
        secret[SecretKey.disabled] = disabled ? .bool(true) : nil
    }

    /// `sftpidp:ExpiresAt` as an ISO-8601 UTC date-time; `nil` removes it.
    public mutating func setExpiresAt(_ date: Date?) {
        secret[SecretKey.expiresAt] = date.map { .string(ISODate.format($0)) }
    }

    /// `sftpidp:AllowedServerIds` as comma-separated ids; `nil` or empty removes it (every server allowed).
    public mutating func setAllowedServerIDs(_ ids: [String]?) {
        let list = ids ?? []
        secret[SecretKey.allowedServerIds] = list.isEmpty ? nil : .string(list.joined(separator: ","))
    }

    /// Sets or (with `nil`) removes one fingerprint's expiry in `sftpidp:KeyExpiry`; the key goes when it is empty.
    public mutating func setKeyExpiry(fingerprint: String, _ date: Date?) {
        var object = secret[SecretKey.keyExpiry]?.objectValue ?? [:]
        object[fingerprint] = date.map { .string(ISODate.format($0)) }
        secret[SecretKey.keyExpiry] = object.isEmpty ? nil : .object(object)
    }

    /// `sftpidp:Comment`; `nil` or empty removes it.
    public mutating func setComment(_ comment: String?) {
        secret[SecretKey.comment] = comment.flatMap { $0.isEmpty ? nil : JSONValue.string($0) }
    }

    /// The key list stored at exactly this level, or a new comma-separated `PublicKey` list. Throws when the
    /// stored value has the wrong type (rewriting it would lose it).
    private func publicKeyEntriesForEditing(at transferProtocol: TransferProtocol?) throws(FieldError) -> PublicKeyEntries {
        var issues: [FieldError] = []
        if let entries = UserReading.publicKeyEntries(at: transferProtocol, in: secret, &issues) { return entries }
        if let issue = issues.first { throw issue }
        return PublicKeyEntries(newAt: SecretKey.name(SecretKey.publicKey, for: transferProtocol))
    }
}

extension SFTPUser {
    /// Every rule over the whole user: what cannot be read (``issues``) and the contract's limits for the plain
    /// keys and every protocol override. Empty means the user can be saved.
    public func validate() -> [FieldError] {
        validate(readouts: readouts, storedText: nil)
    }

    /// ``validate()`` over ``readouts`` already made (each part parsed once per protocol level); `storedText`, when
    /// given, is the secret's text as stored, whose size is checked instead of encoding the secret again.
    public func validate(readouts: [UserReadout], storedText: String?) -> [FieldError] {
        var errors: [FieldError] = []
        var seenIssues = Set<FieldError>()
        for readout in readouts {
            errors += readout.issues.filter { seenIssues.insert($0).inserted }
        }
        if readouts.allSatisfy({ $0.role == nil }) {
            errors.append(FieldError(field: SecretKey.role, rule: "is required: a user without a role cannot log in"))
        }
        for readout in readouts {
            errors += limitErrors(readout)
        }
        for id in readouts.first?.allowedServerIDs ?? [] {
            if let error = Validation.serverID(id, field: SecretKey.allowedServerIds) { errors.append(error) }
        }
        if let error = Validation.secretValue(storedText ?? secret.secretString) { errors.append(error) }
        var seen = Set<FieldError>()
        return errors.filter { seen.insert($0).inserted }
    }

    private func limitErrors(_ readout: UserReadout) -> [FieldError] {
        var errors: [FieldError] = []
        let level = readout.transferProtocol
        let reading = UserReading(secret: secret, transferProtocol: level)
        func field(_ key: String) -> String { reading.effectiveKey(key) ?? SecretKey.name(key, for: level) }

        if let role = readout.role, let error = Validation.roleARN(role, field: field(SecretKey.role)) {
            errors.append(error)
        }
        if let policy = readout.policy, let error = Validation.policy(policy, field: field(SecretKey.policy)) {
            errors.append(error)
        }
        switch readout.home {
        case .path(let path):
            if let path, let error = Validation.homeDirectory(path, field: field(SecretKey.homeDirectory)) { errors.append(error) }
        case .logical(let mappings):
            // A home that could not be read is reported once, by the reading, not again as an empty list.
            if readout.homeIsReadable, let error = Validation.homeMappings(mappings, field: field(SecretKey.homeDirectoryDetails)) { errors.append(error) }
        }
        if let profile = readout.posixProfile, let error = Validation.posixProfile(profile, field: field(SecretKey.posixProfile)) {
            errors.append(error)
        }
        if let entries = readout.publicKeyEntries, let error = Validation.publicKeyCount(entries.count, field: entries.key) {
            errors.append(error)
        }
        switch readout.storedPassword {
        case .legacyPlainText(let plain):
            if let error = Validation.password(plain, field: field(SecretKey.password)) { errors.append(error) }
        case .hash(let hash) where PasswordKind(hashString: hash) == .unsupported:
            errors.append(FieldError(field: field(SecretKey.passwordHash), rule: "is not a supported hash (argon2id, argon2i, bcrypt, yescrypt, sha512-crypt)"))
        default:
            break
        }
        return errors
    }
}

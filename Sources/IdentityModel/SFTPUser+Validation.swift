extension SFTPUser {
    /// Every rule over the whole user: what cannot be read (``issues``) and the contract's limits for the plain
    /// keys and every protocol override. Empty means the user can be saved.
    public func validate() -> [FieldError] {
        var errors = issues
        let levels = levels
        if levels.allSatisfy({ role(for: $0) == nil }) {
            errors.append(FieldError(field: SecretKey.role, rule: "is required: a user without a role cannot log in"))
        }
        for level in levels {
            errors += limitErrors(for: level)
        }
        for id in allowedServerIDs ?? [] {
            if let error = Validation.serverID(id, field: SecretKey.allowedServerIds) { errors.append(error) }
        }
        if let error = Validation.secretValue(secret.secretString) { errors.append(error) }
        var seen = Set<FieldError>()
        return errors.filter { seen.insert($0).inserted }
    }

    private func limitErrors(for level: TransferProtocol?) -> [FieldError] {
        var errors: [FieldError] = []
        let reading = UserReading(secret: secret, transferProtocol: level)
        func field(_ key: String) -> String { reading.effectiveKey(key) ?? SecretKey.name(key, for: level) }

        if let role = role(for: level), let error = Validation.roleARN(role, field: field(SecretKey.role)) {
            errors.append(error)
        }
        if let policy = policy(for: level), let error = Validation.policy(policy, field: field(SecretKey.policy)) {
            errors.append(error)
        }
        switch home(for: level) {
        case .path(let path):
            if let path, let error = Validation.homeDirectory(path, field: field(SecretKey.homeDirectory)) { errors.append(error) }
        case .logical(let mappings):
            if let error = Validation.homeMappings(mappings, field: field(SecretKey.homeDirectoryDetails)) { errors.append(error) }
        }
        if let profile = posixProfile(for: level), let error = Validation.posixProfile(profile, field: field(SecretKey.posixProfile)) {
            errors.append(error)
        }
        var ignored: [FieldError] = []
        if let entries = reading.publicKeyEntries(&ignored),
           let error = Validation.publicKeyCount(entries.entries.count, field: entries.key) {
            errors.append(error)
        }
        switch storedPassword(for: level) {
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

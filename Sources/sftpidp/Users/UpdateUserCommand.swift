import ArgumentParser
import IdentityModel
import UserManagement

/// `sftpidp users update USER ...`: changes some fields and writes one new version; other keys are kept.
struct UpdateUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change fields of an SFTP user, keeping every other key of the secret."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var edits: UserEditOptions

    @Argument(help: "The user name.")
    var username: String

    @Option(name: .customLong("add-public-key"), help: ArgumentHelp("Add an OpenSSH public key line (repeatable).", valueName: "KEY"))
    var addedKeys: [String] = []

    @Option(name: .customLong("remove-public-key"), help: ArgumentHelp("Remove the key with this SHA256:... fingerprint (repeatable).", valueName: "FINGERPRINT"))
    var removedFingerprints: [String] = []

    @Flag(help: "Remove the password (key authentication only afterwards).")
    var clearPassword = false

    @Flag(help: "Disable the user: every login is refused until --enable.")
    var disable = false

    @Flag(help: "Enable a disabled user.")
    var enable = false

    @Option(name: .customLong("set"), help: ArgumentHelp("Set any key of the secret to a string value (repeatable).", valueName: "KEY=VALUE"))
    var assignments: [String] = []

    @Option(name: .customLong("unset"), help: ArgumentHelp("Remove a key from the secret (repeatable).", valueName: "KEY"))
    var removals: [String] = []

    func validate() throws {
        if disable, enable { throw ValidationError("--disable and --enable exclude each other") }
        if clearPassword, edits.passwordStdin || edits.generatePassword {
            throw ValidationError("--clear-password excludes --password-stdin and --generate-password")
        }
        let changes = edits.changesAnything || !addedKeys.isEmpty || !removedFingerprints.isEmpty || clearPassword
            || disable || enable || !assignments.isEmpty || !removals.isEmpty
        if !changes { throw ValidationError("nothing to change: give at least one option (see --help)") }
        for assignment in assignments where !assignment.contains("=") {
            throw ValidationError("--set \(assignment): must be KEY=VALUE")
        }
    }

    func run() async throws {
        let directory = try storeOptions.openDirectory()
        let stored = try await withStoreErrors { try await directory.load(username) }
        let secret: UserSecret
        switch stored.secret {
        case .success(let parsed): secret = parsed
        case .failure(let error):
            throw CLIFailure("\(stored.value.name) cannot be edited field by field: \(error.reason). Fix it with `--set`-free tools or delete and re-create it.")
        }
        var edited = secret
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            edited[String(parts[0])] = .string(String(parts[1]))
        }
        for key in removals { edited[key] = nil }
        var user = SFTPUser(secret: edited)
        let generated = try edits.apply(to: &user, hashing: try storeOptions.argon2Parameters())
        if clearPassword { user.clearPassword() }
        if disable { user.setDisabled(true) }
        if enable { user.setDisabled(false) }
        do {
            for line in addedKeys { try user.addPublicKey(try parseKey(line)) }
            for fingerprint in removedFingerprints { try user.removePublicKey(fingerprint: fingerprint) }
        } catch let error as FieldError {
            throw CLIFailure(error.description)
        }
        try checkValid(user)
        let changed = user.secret.changedKeys(comparedTo: secret)
        guard !changed.isEmpty else {
            printToStandardError("\(username) already has these values: nothing written.")
            return
        }
        try await withStoreErrors {
            try await directory.save(user.secret, over: stored, action: "users.update")
        }
        if let generated {
            print(generated)
            printToStandardError("Updated \(username) (\(changed.joined(separator: ", "))). The password above is shown only once: pass it on over a safe channel.")
        } else {
            printToStandardError("Updated \(username) (\(changed.joined(separator: ", "))).")
        }
    }
}

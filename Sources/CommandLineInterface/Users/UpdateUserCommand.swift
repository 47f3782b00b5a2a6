import ArgumentParser
import IdentityModel
import UserManagement
import Foundation

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

    @Option(name: .customLong("remove-public-key"), help: ArgumentHelp("Remove the key with this SHA256:... fingerprint from every key list (repeatable).", valueName: "FINGERPRINT"))
    var removedFingerprints: [String] = []

    @Flag(help: "Remove every password key, per-protocol ones too (key authentication only afterwards).")
    var clearPassword = false

    @Flag(help: "Disable the user: every login is refused until --enable.")
    var disable = false

    @Flag(help: "Enable a disabled user.")
    var enable = false

    @Option(name: .customLong("set"), help: ArgumentHelp("Set any key of the secret to a string value (repeatable); refused for password keys: use --password-stdin.", valueName: "KEY=VALUE"))
    var assignments: [String] = []

    @Option(name: .customLong("unset"), help: ArgumentHelp("Remove a key from the secret (repeatable).", valueName: "KEY"))
    var removals: [String] = []

    func run() async throws {
        let directory = try storeOptions.openDirectory()
        let (edits, generated) = try allEdits(hashing: try storeOptions.argon2Parameters())
        guard !edits.isEmpty else { throw ValidationError("nothing to change: give at least one option (see --help)") }
        let result = try await withStoreErrors {
            try await directory.update(username, edits: edits, action: "users.update")
        }
        guard !result.changedKeys.isEmpty else {
            printToStandardError("\(username) already has these values: nothing written.")
            return
        }
        if let generated {
            printOutput(generated)
            printToStandardError("Updated \(username) (\(result.changedKeys.joined(separator: ", "))). The password above is shown only once: pass it on over a safe channel.")
        } else {
            printToStandardError("Updated \(username) (\(result.changedKeys.joined(separator: ", "))).")
        }
    }

    /// The edits of the options shared with `create` (``UserEditOptions/edits(hashing:)``), then this command's own,
    /// in that order; the generated password, if any, to print once the write succeeded.
    func allEdits(hashing: Argon2Parameters) throws -> (edits: [UserEdit], generated: String?) {
        var (edits, generated) = try self.edits.edits(hashing: hashing)
        do throws(FieldError) {
            if !addedKeys.isEmpty {
                var keys: [SSHPublicKey] = []
                for line in addedKeys { keys += try EditInput.publicKeys(line) }
                edits.append(.addKeys(keys))
            }
            edits += removedFingerprints.map { .removeKey(fingerprint: $0) }
            if clearPassword { edits.append(.clearPassword) }
            if disable { edits.append(.setDisabled(true)) }
            if enable { edits.append(.setDisabled(false)) }
            for assignment in assignments { edits.append(try EditInput.assignment(assignment)) }
            edits += removals.map { .removeRawKey($0) }
        } catch {
            throw CLIFailure(error.description)
        }
        return (edits, generated)
    }
}

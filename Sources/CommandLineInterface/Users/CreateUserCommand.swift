import ArgumentParser
import IdentityModel
import UserManagement

/// `sftpidp users create USER --role ARN ...`: a new user secret, validated before it is written.
struct CreateUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an SFTP user.",
        discussion: "New passwords are stored only as argon2id hashes (PasswordHash). --generate-password prints the password once."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var edits: UserEditOptions

    @Argument(help: "The user name: 3 to 100 of A-Za-z0-9_@.- starting with a letter, digit or _.")
    var username: String

    func validate() throws {
        if let error = Validation.userName(username) { throw ValidationError(error.description) }
        guard edits.role != nil else { throw ValidationError("--role is required: a user without a Role cannot log in") }
    }

    func run() async throws {
        let directory = try storeOptions.openDirectory(missingStore: .create)
        let (edits, generated) = try self.edits.edits(hashing: try storeOptions.argon2Parameters())
        let created = try await withStoreErrors {
            try await directory.create(username, edits: edits, action: "users.create")
        }
        if let generated {
            printOutput(generated)
            printToStandardError("Created \(username). The password above is shown only once: pass it on over a safe channel.")
        } else {
            printToStandardError("Created \(username).")
        }
        for note in Self.notes(on: created.user, username: username) { printToStandardError("Note: \(note)") }
    }

    /// What a user created this way lacks that an admin most likely meant to give: a way to log in, a home.
    static func notes(on user: SFTPUser, username: String) -> [String] {
        var notes: [String] = []
        if user.storedPassword() == nil, user.publicKeys().isEmpty {
            notes.append("\(username) has no password and no public key: every login is denied until one is set "
                + "(sftpidp users update \(username) --add-public-key KEY, or --password-stdin)")
        }
        if case .path(nil) = user.home() {
            notes.append("\(username) has no home directory: a login starts at the root of the server's storage, with "
                + "whatever the role allows there (set one with --home)")
        }
        return notes
    }
}

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
        let directory = try storeOptions.openDirectory()
        let (edits, generated) = try self.edits.edits(hashing: try storeOptions.argon2Parameters())
        try await withStoreErrors {
            try await directory.create(username, edits: edits, action: "users.create")
        }
        if let generated {
            printOutput(generated)
            printToStandardError("Created \(username). The password above is shown only once: pass it on over a safe channel.")
        } else {
            printToStandardError("Created \(username).")
        }
    }
}

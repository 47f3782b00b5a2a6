import ArgumentParser
import IdentityModel
import UserManagement

/// `sftpidp users show USER`: every field of one user, never a password or hash.
struct ShowUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one user: every field, keys with fingerprints; passwords only as their kind."
    )

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The user name.")
    var username: String

    @Flag(help: "Print JSON (see docs/cli.md for the stable format).")
    var json = false

    func run() async throws {
        let directory = try storeOptions.openDirectory()
        let stored = try await withStoreErrors { try await directory.load(username) }
        if json {
            printJSON(try encodeJSON(UserReport(stored: stored)))
        } else {
            printOutput(UserDescription(stored: stored, argon2: try storeOptions.argon2Parameters()).text)
        }
    }
}

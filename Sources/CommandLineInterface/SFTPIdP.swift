import ArgumentParser
import Foundation

/// The `sftpidp` command: the console by default, and a scriptable CLI for everything.
///
/// Exit status: 0 success, 1 failure, 2 usage error.
public struct SFTPIdP: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sftpidp",
        abstract: "Manage the users of an SFTP service with a custom identity provider, and be that identity provider.",
        version: "0.1.0",
        subcommands: [ConsoleCommand.self, UsersCommand.self, StoreCommand.self, AuditCommand.self, TestLoginCommand.self, ServeCommand.self],
        defaultSubcommand: ConsoleCommand.self
    )

    public init() {}

    /// Parses the process's arguments, runs the chosen command and exits with its status (not named `main`:
    /// `ParsableCommand`'s synchronous `main()` would be chosen over it from another module).
    public static func runFromCommandLine() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            printToStandardError("sftpidp: \(failure.message)")
            Foundation.exit(1)
        } catch {
            // Every message, help and usage errors included, goes out neutralised: it may quote a value given.
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if code == .success { printOutput(message) } else { printToStandardError(message) }
            }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

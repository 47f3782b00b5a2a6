import ArgumentParser
import Foundation
import SecretStore
import TerminalText
import UserManagement

/// `sftpidp users history USER`: the kept versions, newest first, with the keys each changed.
struct UserHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the kept versions of a user with their time and the keys each changed."
    )

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The user name.")
    var username: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let directory = try storeOptions.openDirectory()
        let versions = try await withStoreErrors { try await directory.history(username) }
        if json {
            printJSON(try encodeJSON(versions.map(UserVersionJSON.init)))
            return
        }
        for entry in versions {
            let stages = entry.version.stages.isEmpty ? "" : " [\(entry.version.stages.joined(separator: ", "))]"
            let changed = entry.changedKeys.map { $0.isEmpty ? "no key changed" : $0.joined(separator: ", ") } ?? "unreadable"
            printOutput(TerminalText.oneLine("\(formatDate(entry.version.createdAt))  \(entry.version.versionID)\(stages)  \(changed)"))
        }
    }
}

/// `sftpidp users rollback USER [--to VERSION]`: makes an older version current again.
struct RollbackUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Make an older version of a user current again (the previous one by default)."
    )

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The user name.")
    var username: String

    @Option(help: ArgumentHelp("The version id to roll back to (see `users history`); default: the previous version.", valueName: "VERSION"))
    var to: String?

    func run() async throws {
        let directory = try storeOptions.openDirectory()
        let name = try directory.secretName(of: username)
        try await withStoreErrors {
            let current = try await directory.store.getSecret(name: name, version: .current)
            let target = try await directory.store.getSecret(name: name, version: to.map { .id($0) } ?? .previous)
            guard target.versionID != current.versionID else {
                throw CLIFailure("version \(target.versionID) is already the current version of \(username)")
            }
            try await directory.rollback(username, to: target.versionID, replacing: current.versionID, action: "users.rollback")
            printToStandardError("Rolled \(username) back to version \(target.versionID).")
        }
    }
}

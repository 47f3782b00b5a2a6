import ArgumentParser
import Foundation
import UserManagement

/// `sftpidp users delete USER`: schedules the user's secret for deletion (restorable), or removes it at once.
struct DeleteUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete an SFTP user; restorable with `users restore` during the recovery window."
    )

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The user name.")
    var username: String

    @Option(help: ArgumentHelp("Days the deleted user can still be restored (7 to 30). [config: recovery-window-days; default 30]", valueName: "DAYS"))
    var recoveryWindowDays: Int?

    @Flag(help: "Remove the user and every version at once, without any way back.")
    var forceDeleteWithoutRecovery = false

    func validate() throws {
        if let days = recoveryWindowDays, !(7...30).contains(days) {
            throw ValidationError("--recovery-window-days must be between 7 and 30")
        }
        if recoveryWindowDays != nil, forceDeleteWithoutRecovery {
            throw ValidationError("--recovery-window-days and --force-delete-without-recovery contradict each other: a recovery window, or none")
        }
    }

    func run() async throws {
        let directory = try storeOptions.openDirectory(recoveryWindowDays: recoveryWindowDays)
        let deletionDate = try await withStoreErrors {
            try await directory.delete(
                username,
                forceWithoutRecovery: forceDeleteWithoutRecovery,
                action: "users.delete"
            )
        }
        if forceDeleteWithoutRecovery {
            printToStandardError("Deleted \(username) for good.")
        } else {
            printToStandardError("Deleted \(username). It can be restored until \(formatDate(deletionDate)) with: sftpidp users restore \(username)")
        }
    }
}

/// `sftpidp users restore USER`: cancels a scheduled deletion.
struct RestoreUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a deleted SFTP user during its recovery window."
    )

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The user name.")
    var username: String

    func run() async throws {
        let directory = try storeOptions.openDirectory()
        // A user that reads fine is not deleted: say so rather than "Restored" (the store would do nothing).
        if (try? await directory.store.getSecret(name: try directory.secretName(of: username), version: .current)) != nil {
            printToStandardError("\(username) is not deleted: nothing to restore.")
            return
        }
        try await withStoreErrors { try await directory.restore(username, action: "users.restore") }
        printToStandardError("Restored \(username).")
    }
}

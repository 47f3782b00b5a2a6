import ArgumentParser

/// `sftpidp users`: list, show, create, update, delete, restore and roll back SFTP users.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage the SFTP users in the secret store.",
        subcommands: [
            ListUsersCommand.self, ShowUserCommand.self, CreateUserCommand.self, UpdateUserCommand.self,
            DeleteUserCommand.self, RestoreUserCommand.self, UserHistoryCommand.self, RollbackUserCommand.self,
        ]
    )
}

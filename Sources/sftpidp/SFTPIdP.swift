import ArgumentParser

/// The `sftpidp` command: the console by default, and a scriptable CLI for everything.
@main
struct SFTPIdP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sftpidp",
        abstract: "Manage the users of an SFTP service with a custom identity provider, and be that identity provider.",
        version: "0.1.0",
        subcommands: []
    )
}

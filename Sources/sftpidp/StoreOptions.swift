import ArgumentParser
import SecretStore

/// Where the users live and how their secrets are named: options shared by every command that opens a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store: a path to an embedded store file, or 'aws' / 'aws:REGION'.", valueName: "STORE"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Secret naming scheme: sftp (SFTP/{username}), server ({serverId}/{username}), aws-transfer, or a template.", valueName: "SCHEME"))
    var namingScheme: String?

    @Option(name: .long, help: ArgumentHelp("The SFTP server id (s- and 17 hex digits), for naming schemes that use it.", valueName: "ID"))
    var serverId: String?
}

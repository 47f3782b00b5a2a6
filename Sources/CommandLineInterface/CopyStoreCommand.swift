import ArgumentParser
import SecretStore
import TerminalText

/// `sftpidp store copy --from STORE --to STORE`: copies every user secret between two stores, idempotently.
struct CopyStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy every user between two stores (embedded <-> AWS), keeping every key.",
        discussion: """
            Users missing in the destination are created; users that differ are skipped unless --overwrite is given;
            identical users are left alone, so running it again changes nothing. Prints a summary; exit status 1
            when any user failed.
            """
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var progressOptions: ProgressOptions

    @Option(help: ArgumentHelp("The source store: an embedded store path, 'embedded' for the default one, 'aws' or 'aws:REGION'.", valueName: "STORE"))
    var from: String

    @Option(help: ArgumentHelp("The destination store, in the same forms as --from.", valueName: "STORE"))
    var to: String

    @Flag(help: "Report what would be copied, write nothing.")
    var dryRun = false

    @Flag(help: "Replace destination users whose secret differs from the source.")
    var overwrite = false

    func validate() throws {
        if from == to { throw ValidationError("--from and --to name the same store") }
    }

    func run() async throws {
        let config = try ConfigFile.load(environment: storeOptions.environment)
        let source = try storeOptions.openStore(from == "embedded" ? nil : from, config: config, createIfMissing: false)
        let destinationSetting = to == "embedded" ? nil : to
        let destination: (any SecretStore)?
        let destinationName: String
        if dryRun, let missing = storeOptions.missingStoreName(destinationSetting) {
            // A dry run writes nothing, not even a new store file: into a store that does not exist, every user would be created.
            (destination, destinationName) = (nil, missing)
        } else {
            let opened = try storeOptions.openStore(destinationSetting, config: config, createIfMissing: true)
            (destination, destinationName) = (opened, opened.displayName)
        }
        let prefix = try storeOptions.resolvedNamingScheme().prefix(serverID: try storeOptions.resolvedServerID())
        printToStandardError("Copying users under \(prefix) from \(source.displayName) to \(destinationName)\(dryRun ? " (dry run)" : "")...")
        let progress = ProgressReporter.standardError(quiet: progressOptions.quiet)
        let summary = await SecretCopier(from: source, to: destination).copy(prefix: prefix, dryRun: dryRun, overwrite: overwrite, progress: progress.storeProgress(handling: dryRun ? "Checking users" : "Copying users"))
        progress.finish()
        printOutput(summary.description)
        if !summary.succeeded { throw ExitCode.failure }
    }
}

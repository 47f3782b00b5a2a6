import ArgumentParser
import EmbeddedStore
import Foundation
import IdentityModel
import SecretStore
import UserManagement

/// `sftpidp store`: create, check and copy stores.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Create, check and copy secret stores.",
        subcommands: [InitStoreCommand.self, CheckStoreCommand.self, CopyStoreCommand.self]
    )
}

/// `sftpidp store init`: creates the embedded store and its key, or confirms they exist.
struct InitStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the embedded store and its master key (nothing is overwritten)."
    )

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let environment = storeOptions.environment
        let setting = storeOptions.storeSetting(config: try ConfigFile.load(environment: environment))
        if case .aws = StoreOptions.StoreKind(setting: setting) {
            throw CLIFailure("store init is for the embedded store; an AWS store needs no set-up")
        }
        let location = EmbeddedStoreLocation.resolve(storePath: setting, environment: environment)
        let existed = FileManager.default.fileExists(atPath: location.databasePath)
        _ = try storeOptions.openStore(setting, config: try ConfigFile.load(environment: environment), createIfMissing: true)
        printOutput("store: \(location.databasePath)\(existed ? " (existing)" : " (created)")")
        printOutput("key:   \(location.keyPath)")
        printToStandardError("Back up both files: the store cannot be read without its key.")
    }
}

/// `sftpidp store check`: the store's own integrity check plus a validation of every user secret.
struct CheckStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the store's integrity and validate every user secret.",
        discussion: "Exit status 0 when everything is fine, 1 when a problem was found."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var progressOptions: ProgressOptions

    func run() async throws {
        let store = try storeOptions.openStore(.refuse)
        var problems = 0
        if let embedded = store as? EmbeddedSecretStore {
            let report = try withStoreErrorsSync { try embedded.check() }
            let counts = "\(report.secretCount) secret\(report.secretCount == 1 ? "" : "s"), \(report.versionCount) version\(report.versionCount == 1 ? "" : "s")"
            printOutput("\(embedded.displayName): \(counts), \(report.scheduledDeletionCount) scheduled for deletion")
            for problem in report.problems { printOutput("PROBLEM: \(problem)") }
            problems += report.problems.count
        }
        let directory = UserDirectory(store: store, naming: try storeOptions.resolvedNamingScheme(), serverID: try storeOptions.resolvedServerID())
        let overviews = try await readOverviews(directory, stage: "Checking users", quiet: progressOptions.quiet)
        for overview in overviews where !overview.problems.isEmpty {
            problems += 1
            printOutput("\(overview.username): \(overview.problems.joined(separator: "; "))")
        }
        printOutput("\(overviews.count) users checked, \(problems) problem\(problems == 1 ? "" : "s").")
        if problems > 0 { throw ExitCode.failure }
    }
}

/// Runs synchronous store work, turning store errors into CLI failures.
func withStoreErrorsSync<T>(_ work: () throws -> T) throws -> T {
    do {
        return try work()
    } catch let error as SecretStoreError {
        throw error.cliFailure
    }
}

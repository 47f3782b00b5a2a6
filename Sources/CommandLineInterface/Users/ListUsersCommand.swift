import ArgumentParser
import Foundation
import UserManagement

/// `sftpidp users list`: one line per user, or a JSON array with `--json`.
struct ListUsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the SFTP users: authentication, role, home and flags."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var listingCacheOptions: ListingCacheOptions
    @OptionGroup var progressOptions: ProgressOptions

    @Option(help: ArgumentHelp("Only users whose name, role or home contains this text (case-insensitive).", valueName: "TEXT"))
    var filter: String?

    @Flag(help: "Print a JSON array (see docs/cli.md for the stable format).")
    var json = false

    @Flag(help: "Also list deleted users that can still be restored.")
    var includeDeleted = false

    func run() async throws {
        let directory = try storeOptions.openDirectory()
        let cache = try listingCacheOptions.listingCache(for: directory.store)
        let overviews = try await readOverviews(directory, includeDeleted: includeDeleted, cache: cache, stage: "Reading users", quiet: progressOptions.quiet)
        let shown = overviews.filter { filter.map($0.matches) ?? true }
        if json {
            printJSON(try encodeJSON(shown.map(UserOverviewJSON.init)))
        } else if shown.isEmpty {
            printOutput(overviews.isEmpty ? "No users in \(directory.store.displayName) under \(directory.naming)." : "No user matches \"\(filter ?? "")\".")
        } else {
            printOutput(UserTable(overviews: shown).text)
        }
    }
}

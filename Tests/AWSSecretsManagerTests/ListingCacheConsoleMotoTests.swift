import Foundation
import IdentityProvider
import ListingCache
import PeerTesting
import SecretStore
import TerminalUI
import Testing
import UserManagement
@testable import AWSSecretsManager
@testable import Console

extension MotoServer {
    /// Opens the console on the users named by `naming` as a new `sftpidp console` does: a fresh store, the cache
    /// opened from its file at `location`, the reducer and the effect runner in process, each effect run to
    /// completion before the next event, until the list is loaded. The state, and the calls it made.
    func openConsole(naming: NamingScheme, location: ListingCacheLocation, warn: @escaping @Sendable (String) -> Void) async throws -> (state: ConsoleState, calls: [String: Int]) {
        let store = try store()
        let cache = EncryptedListingCache(location: location, scope: store.configuration.description, warn: warn)
        let runner = EffectRunner(directory: UserDirectory(store: store, naming: naming, serverID: nil),
                                  handler: IdentityProviderHandler(configuration: .init(store: store, namingScheme: naming)),
                                  listingCache: cache, inbox: EventInbox())
        var state = ConsoleState(context: ConsoleContext(storeName: store.displayName, naming: naming, serverID: nil, readOnly: true, themeNames: ["default"]),
                                 size: TerminalSize(rows: 24, columns: 100), now: Date())
        var queue = reduce(state: &state, event: .started)
        while !queue.isEmpty {
            if let result = await runner.perform(queue.removeFirst()) { queue += reduce(state: &state, event: result) }
        }
        return (state, store.requestCounts)
    }
}

/// The console's loading path with the listing cache against moto, as `users list`'s is tested above.
extension ListingCacheMotoTests {
    func openConsole(_ prefix: String) async throws -> (state: ConsoleState, calls: [String: Int]) {
        try await moto.openConsole(naming: try NamingScheme(prefix + "{username}"), location: location, warn: warnings.record)
    }

    /// The short role each user's list row shows.
    static func roles(_ state: ConsoleState) -> [String: String] {
        Dictionary(uniqueKeysWithValues: state.list.records.map { ($0.username, $0.summary.role) })
    }

    @Test func consoleReopeningReadsOnlyTheSecretsThatChangedAndTheSelectedUserAndRebuildsADeletedCache() async throws {
        // 230 users: 3 ListSecrets pages, 12 batches of 20 values.
        let prefix = try await seed(230, label: "console")
        let first = try await openConsole(prefix)
        #expect(first.calls == ["ListSecrets": 3, "BatchGetSecretValue": 12])
        #expect(first.state.list.records.count == 230)
        #expect(first.state.list.records.allSatisfy { $0.value != nil })

        // Unchanged: the listing, and one read for the user the detail pane shows (the first one, selected).
        let unchanged = try await openConsole(prefix)
        #expect(unchanged.calls == ["ListSecrets": 3, "BatchGetSecretValue": 1])
        #expect(unchanged.state.list.records.map(\.summary) == first.state.list.records.map(\.summary))
        #expect(unchanged.state.list.records.filter { $0.load == .summarised }.count == 229)
        #expect(unchanged.state.list.selectedRecord?.value != nil)

        // k = 21 users changed by another tool, spread over the pages (the first, selected one among them): read
        // together when the listing ends, ceil(21/20) = 2 batches, and every row shows what the store holds now.
        let changedUsers = try changeRoles(of: (0..<21).map { $0 * 11 }, prefix: prefix)
        let afterChanges = try await openConsole(prefix)
        #expect(afterChanges.calls == ["ListSecrets": 3, "BatchGetSecretValue": 2])
        for (username, role) in Self.roles(afterChanges.state) {
            #expect(role == (changedUsers.contains(username) ? "Changed" : "Original"), "\(username)")
        }
        #expect(try await openConsole(prefix).calls == ["ListSecrets": 3, "BatchGetSecretValue": 1])

        // A deleted cache directory: every user is read once more, and the cache is rebuilt.
        try FileManager.default.removeItem(atPath: location.directory)
        let rebuilt = try await openConsole(prefix)
        #expect(rebuilt.calls == first.calls)
        #expect(Self.roles(rebuilt.state) == Self.roles(afterChanges.state))
        #expect(try await openConsole(prefix).calls == ["ListSecrets": 3, "BatchGetSecretValue": 1])
        #expect(warnings.lines.isEmpty)
    }
}

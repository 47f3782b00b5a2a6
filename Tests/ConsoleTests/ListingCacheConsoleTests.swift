import Foundation
import IdentityModel
import SecretStore
import SecretStoreTesting
import Synchronization
import Testing
import UserManagement
@testable import Console

/// A listing cache in memory: what the console keeps between starts, and how often it was written.
final class MemoryOverviewCache: UserOverviewCache {
    private let state = Mutex<(entries: [String: CachedUserOverview], updates: Int)>(([:], 0))

    func entry(secretName: String, versionID: String) -> CachedUserOverview? {
        state.withLock { $0.entries[secretName] }.flatMap { $0.versionID == versionID ? $0 : nil }
    }

    func update(_ entries: [String: CachedUserOverview], prefix: String, listed: Set<String>) {
        state.withLock { state in
            state.entries.merge(entries) { $1 }
            state.entries = state.entries.filter { !$0.key.hasPrefix(prefix) || listed.contains($0.key) }
            state.updates += 1
        }
    }

    var names: Set<String> { state.withLock { Set($0.entries.keys) } }
    var updates: Int { state.withLock { $0.updates } }
}

@Suite("Console with the listing cache: cached users are summarised without a read, and read when opened")
struct ListingCacheConsoleTests {
    static let users = ["alice", "bob", "carol", "dave"]

    /// A store listing version ids (as AWS does), and a cache filled by one console start over it.
    static func warmStore() async throws -> (InMemorySecretStore, MemoryOverviewCache, first: ConsoleDriver) {
        let store = try await Fixtures.store(listsVersionIDs: true)
        let cache = MemoryOverviewCache()
        let first = ConsoleDriver(store: store, listingCache: cache)
        await first.start()
        #expect(cache.names == Set(users.map { "SFTP/" + $0 }))
        #expect(cache.updates == 1)
        return (store, cache, first)
    }

    /// A second console started over a warm store and cache.
    static func reopened() async throws -> (InMemorySecretStore, ConsoleDriver) {
        let (store, cache, _) = try await warmStore()
        let second = ConsoleDriver(store: store, listingCache: cache)
        await second.start()
        return (store, second)
    }

    /// Another tool moves bob's home after the console listed him: the version the console's cache summarised.
    static func moveBob(_ store: InMemorySecretStore) async throws -> String {
        let bob = try await store.getSecret(name: "SFTP/bob", version: .current)
        _ = try await store.putSecret(name: "SFTP/bob", value: Fixtures.user(home: "/bucket/home/bob-moved"), replacing: bob.versionID,
                                      context: WriteContext(action: "test.other", actor: "other"))
        return bob.versionID
    }

    /// Selects bob (the reducer alone): the id of the one read it asks for, of bob's secret only.
    static func selectBob(_ state: inout ConsoleState) -> OperationID? {
        let effects = reduce(state: &state, event: .key(.character("j")))
        guard effects.count == 1, case .fetchUsers(let id, let names) = effects[0], names == ["SFTP/bob"] else {
            Issue.record("expected one fetchUsers effect for bob, got \(effects)")
            return nil
        }
        return id
    }

    /// The secret names of every value read the driver asked for, in order.
    static func reads(_ driver: ConsoleDriver) -> [[String]] {
        driver.effects.compactMap { if case .fetchUsers(_, let names) = $0 { names } else { nil } }
    }

    @Test("a reopened console shows cached users' columns without reading them; only the selected user is read")
    func cachedColumnsWithoutValues() async throws {
        let (store, cache, first) = try await Self.warmStore()
        #expect(Self.reads(first) == [Self.users.map { "SFTP/" + $0 }])

        let second = ConsoleDriver(store: store, listingCache: cache)
        await second.start()
        #expect(Self.reads(second) == [["SFTP/alice"]])
        #expect(second.state.list.records.map(\.summary) == first.state.list.records.map(\.summary))
        #expect(second.state.list.records.map(\.load).map { $0 == .summarised } == [false, true, true, true])
        #expect(second.state.list.record(named: "alice")?.value != nil)
        #expect(second.state.list.record(named: "bob")?.value == nil)
        #expect(second.screen.contains("4 users loaded"))
        #expect(second.screen.contains("legacy plain text"))
        #expect(cache.updates == 2)
        #expect(second.effects.filter { if case .updateListingCache = $0 { true } else { false } }.count == 1)
    }

    @Test("the onboarding wizard suggests the common role and home from summarised users, not only from the users read")
    func wizardSuggestsFromSummaries() async throws {
        // alice, listed first and so read on a reopen, is the odd one out; the three after her agree.
        let store = InMemorySecretStore(displayName: "in-memory test store", listsVersionIDs: true)
        let context = WriteContext(action: "test.seed", actor: "test")
        _ = try await store.createSecret(name: "SFTP/alice", value: Fixtures.user(role: "arn:aws:iam::123456789012:role/auditors", home: "/audit/alice"), context: context)
        for name in ["bob", "carol", "dave"] {
            _ = try await store.createSecret(name: "SFTP/\(name)", value: Fixtures.user(home: "/bucket/home/\(name)"), context: context)
        }
        let cache = MemoryOverviewCache()
        await ConsoleDriver(store: store, listingCache: cache).start()
        let reopened = ConsoleDriver(store: store, listingCache: cache)
        await reopened.start()
        #expect(reopened.state.list.records.map { $0.value != nil } == [true, false, false, false])
        let suggested = wizardSuggestions(reopened.state)
        #expect(suggested.role == Fixtures.role)
        #expect(suggested.home == "/bucket/home/")
    }

    @Test("selecting a summarised user reads it: the detail shows the value the store holds now")
    func selectingReads() async throws {
        let (store, second) = try await Self.reopened()
        // Changed after this console listed it: the summary is old, what selecting shows is not.
        let summarisedVersion = try await Self.moveBob(store)
        await second.press(.character("j"))
        #expect(Self.reads(second) == [["SFTP/alice"], ["SFTP/bob"]])
        let record = try #require(second.state.list.record(named: "bob"))
        #expect(record.value?.versionID != summarisedVersion)
        #expect(record.summary.home == "/bucket/home/bob-moved")
        #expect(second.screen.contains("/bucket/home/bob-moved"))
        // Reading again only when it is summarised: moving back and forth reads nothing more.
        await second.press(.character("k"), .character("j"))
        #expect(Self.reads(second).count == 2)
    }

    @Test("e pressed before the value arrives opens the editor when it arrives, on the fresh value")
    func editsTheFreshValue() async throws {
        let (store, second) = try await Self.reopened()
        var state = second.state
        _ = try await Self.moveBob(store)

        // The reducer alone: selecting bob asks for his value; `e` before it arrives opens nothing yet, and says so.
        guard let id = Self.selectBob(&state) else { return }
        #expect(reduce(state: &state, event: .key(.character("e"))).isEmpty)
        #expect(state.topModal == nil)
        #expect(state.message?.text == "Reading bob...")

        // The value arrives: the editor opens on it, and the save replaces the version read, without a conflict.
        let result = try #require(await second.runner.perform(.fetchUsers(id, names: ["SFTP/bob"])))
        second.state = state
        await second.send(result)
        #expect(second.screen.contains("Edit bob"))
        #expect(second.state.message?.text != "Reading bob...")
        await second.press(.control("u"))
        await second.type("arn:aws:iam::123456789012:role/uploaders")
        await second.press(.control("s"))
        #expect(second.state.topModal == nil)
        let saved = try UserSecret(secretString: try await store.getSecret(name: "SFTP/bob", version: .current).string)
        #expect(saved["Role"] == .string("arn:aws:iam::123456789012:role/uploaders"))
        #expect(saved["HomeDirectory"] == .string("/bucket/home/bob-moved"))
        #expect(try await store.listVersions(name: "SFTP/bob").count == 3)
    }

    @Test("a key pressed before the value arrives is dropped when the selection moves or a screen opens meanwhile")
    func earlyKeyFollowsTheSelection() async throws {
        let (_, second) = try await Self.reopened()
        var state = second.state
        guard let id = Self.selectBob(&state) else { return }
        _ = reduce(state: &state, event: .key(.character("p")))
        #expect(state.pendingUserAction == PendingUserAction(key: .character("p"), username: "bob"))
        // Moved to carol before bob's value came: bob's password dialog never opens.
        _ = reduce(state: &state, event: .key(.character("j")))
        #expect(state.pendingUserAction == nil)
        let result = try #require(await second.runner.perform(.fetchUsers(id, names: ["SFTP/bob"])))
        _ = reduce(state: &state, event: result)
        #expect(state.topModal == nil)

        // Back on a summarised user, `K` then the help screen: the help stays, the keys editor does not open over it.
        var again = second.state
        guard let bobRead = Self.selectBob(&again) else { return }
        _ = reduce(state: &again, event: .key(.character("K")))
        _ = reduce(state: &again, event: .key(.character("?")))
        let read = try #require(await second.runner.perform(.fetchUsers(bobRead, names: ["SFTP/bob"])))
        _ = reduce(state: &again, event: read)
        #expect(again.pendingUserAction == nil)
        guard case .help = again.topModal else {
            Issue.record("expected the help screen on top, got \(String(describing: again.topModal))")
            return
        }
    }

    @Test("a failed read of the selected summarised user says so on the record and the status line, and is not retried in a loop")
    func failedSelectedRead() async throws {
        let (_, second) = try await Self.reopened()
        var state = second.state
        guard let id = Self.selectBob(&state) else { return }
        #expect(reduce(state: &state, event: .failed(id, "the store is unavailable")).isEmpty)
        #expect(state.list.record(named: "bob")?.load == .failed("the store is unavailable"))
        #expect(state.message?.text == "Could not read bob: the store is unavailable (press r to retry)")
        #expect(reduce(state: &state, event: .tick(state.now)).isEmpty)
        second.state = state
        #expect(second.screen.contains("the store is unavailable"))
    }

    @Test("a user changed since the cache was filled is read with the listing; a deleted one is forgotten")
    func changedAndDeletedUsers() async throws {
        let (store, cache, _) = try await Self.warmStore()
        let dave = try await store.getSecret(name: "SFTP/dave", version: .current)
        _ = try await store.putSecret(name: "SFTP/dave", value: Fixtures.user(role: nil, home: "/bucket/home/dave2"), replacing: dave.versionID,
                                      context: WriteContext(action: "test.other", actor: "other"))
        _ = try await store.deleteSecret(name: "SFTP/carol", recoveryWindowDays: 7, forceWithoutRecovery: false,
                                         context: WriteContext(action: "test.other", actor: "other"))
        let third = ConsoleDriver(store: store, listingCache: cache)
        await third.start()
        #expect(Self.reads(third) == [["SFTP/dave"], ["SFTP/alice"]])
        #expect(third.state.list.record(named: "dave")?.summary.home == "/bucket/home/dave2")
        #expect(cache.names == ["SFTP/alice", "SFTP/bob", "SFTP/dave"])
    }

    @Test("without version ids in the listing (the embedded store), every user is read as before")
    func noVersionIDsReadsAll() async throws {
        let store = try await Fixtures.store()
        let cache = MemoryOverviewCache()
        for _ in 0..<2 {
            let driver = ConsoleDriver(store: store, listingCache: cache)
            await driver.start()
            #expect(Self.reads(driver) == [Self.users.map { "SFTP/" + $0 }])
            #expect(driver.state.list.records.allSatisfy { $0.value != nil })
        }
    }
}

import EmbeddedStore
import Foundation
import ListingCache
import PeerTesting
import SecretStore
import Synchronization
import Testing
import UserManagement

/// Users' overviews kept in the embedded store beside each version: a first listing of a store sftpidp wrote reads
/// no value, users written by other writers are read once and then kept, and the listing always shows what the store
/// holds (the same overviews as reading every value).
final class StoreKeptOverviewsTests {
    let directory = NSTemporaryDirectory() + "store-kept-overviews-\(UUID().uuidString)"
    let warnings = CollectedLines()
    var databasePath: String { directory + "/users.db" }
    var keyPath: String { directory + "/master.key" }
    let context = WriteContext(action: "test", actor: "store-kept-overviews-tests")
    static let naming = try! NamingScheme("SFTP/{username}")

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A handle on the store file; `summarising` as the sftpidp CLI opens it, otherwise as an older writer did.
    func openStore(summarising: Bool = true) throws -> EmbeddedSecretStore {
        try EmbeddedSecretStore.open(databasePath: databasePath, keyPath: keyPath, createIfMissing: true,
                                     summariser: summarising ? .userOverviews(naming: Self.naming, serverID: nil) : nil)
    }

    /// Writes `secrets` in one batch, as the sftpidp CLI does (`summarising`) or as an older writer did.
    func seed(_ secrets: [(name: String, value: String)], summarising: Bool) async throws {
        let store = try openStore(summarising: summarising)
        defer { try? store.close() }
        _ = try await store.createSecrets(secrets, context: context)
    }

    enum Cache {
        /// Every value read.
        case none
        /// The overviews kept in the store alone.
        case store
        /// The listing cache file, then the store.
        case fileThenStore
        /// The listing cache file alone.
        case fileOnly
    }

    /// Lists as a new `sftpidp users list` does: the overviews, and how many users had to be read from the store.
    func list(_ cache: Cache, naming: NamingScheme = naming, now: Date = Date()) async throws -> (overviews: [UserOverview], read: Int) {
        let store = try openStore()
        defer { try? store.close() }
        let file = EncryptedListingCache(location: ListingCacheLocation(directory: directory + "/cache/sftpidp"), scope: "embedded " + databasePath,
                                         warn: warnings.record)
        let chosen: (any UserOverviewCache)? = switch cache {
        case .none: nil
        case .store: StoreKeptOverviews(store: store, file: nil, warn: warnings.record)
        case .fileThenStore: StoreKeptOverviews(store: store, file: file, warn: warnings.record)
        case .fileOnly: file
        }
        let read = Mutex(0)
        let overviews = try await UserDirectory(store: store, naming: naming, serverID: nil).overviews(now: now, cache: chosen) { progress in
            if case .handling(_, let total) = progress { read.withLock { $0 = total } }
        }
        return (overviews, read.withLock { $0 })
    }

    /// Users of every shape a listing shows: roles, homes, keys, passwords, flags, problems and unreadable values.
    static func corpus(_ count: Int) -> [(name: String, value: String)] {
        let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
        let shapes = [
            #"{"Role":"arn:aws:iam::123456789012:role/Reader","HomeDirectory":"/acme/home"}"#,
            #"{"Password":"legacy-text","Role":"arn:aws:iam::123456789012:role/Writer","HomeDirectory":"/acme/w"}"#,
            #"{"PublicKey":"\#(key)","Role":"arn:aws:iam::123456789012:role/Keys","HomeDirectoryType":"LOGICAL","HomeDirectoryDetails":"[{\"Entry\":\"/\",\"Target\":\"/acme/k\"}]"}"#,
            #"{"Role":"arn:aws:iam::123456789012:role/Later","HomeDirectory":"/acme/l","sftpidp:ExpiresAt":"2031-01-01T00:00:00Z","sftpidp:Disabled":true}"#,
            #"{"Role":"not an arn","HomeDirectory":"relative"}"#,
            #"not json at all"#,
        ]
        return (0..<count).map { (name: String(format: "SFTP/user%03d", $0), value: shapes[$0 % shapes.count]) }
    }

    @Test func aStoreSftpidpWroteIsListedWithoutReadingAValue() async throws {
        try await seed(Self.corpus(60), summarising: true)
        // One more through the single-secret create.
        let single = try openStore()
        _ = try await single.createSecret(name: "SFTP/single", value: #"{"Role":"arn:aws:iam::123456789012:role/One"}"#, context: context)
        try single.close()

        let everyValue = try await list(.none)
        #expect(everyValue.read == 61)
        let kept = try await list(.store)
        #expect(kept.read == 0)
        #expect(kept.overviews == everyValue.overviews)
        // The expiry is worked out at each listing, from the kept date.
        let later = Date(timeIntervalSince1970: 2_000_000_000)
        let keptLater = try await list(.store, now: later)
        #expect(keptLater.overviews == (try await list(.none, now: later)).overviews)
        #expect(keptLater.overviews.first { $0.username == "user003" }?.flags.contains(.expired) == true)
        #expect(warnings.lines.isEmpty, "\(warnings.lines)")
    }

    @Test func usersOtherWritersWroteAreReadOnceThenKept() async throws {
        try await seed(Self.corpus(40), summarising: false)

        let first = try await list(.store)
        #expect(first.read == 40)
        let second = try await list(.store)
        #expect(second.read == 0)
        #expect(second.overviews == first.overviews)

        // Changes by both kinds of writer, and a deletion: only the version no summary was written for is read.
        let older = try openStore(summarising: false)
        let current = try await older.getSecret(name: "SFTP/user000", version: .current)
        _ = try await older.putSecret(name: "SFTP/user000", value: #"{"Role":"arn:aws:iam::123456789012:role/ByAnOlderWriter"}"#,
                                      replacing: current.versionID, context: context)
        try older.close()
        let sftpidp = try openStore()
        let other = try await sftpidp.getSecret(name: "SFTP/user001", version: .current)
        _ = try await sftpidp.putSecret(name: "SFTP/user001", value: #"{"Role":"arn:aws:iam::123456789012:role/BySftpidp"}"#,
                                        replacing: other.versionID, context: context)
        try await sftpidp.deleteSecret(name: "SFTP/user002", recoveryWindowDays: 7, forceWithoutRecovery: false, context: context)
        try sftpidp.close()

        let changed = try await list(.store)
        #expect(changed.read == 1)
        #expect(changed.overviews == (try await list(.none)).overviews)
        #expect(changed.overviews.first { $0.username == "user000" }?.roleShortName == "ByAnOlderWriter")
        #expect(changed.overviews.first { $0.username == "user001" }?.roleShortName == "BySftpidp")
        #expect(!changed.overviews.contains { $0.username == "user002" })
        #expect(try await list(.store).read == 0)
    }

    @Test func theUsersReadAreKeptInTheStoreAndTheFileAndNothingIsWrittenTwice() async throws {
        try await seed(Self.corpus(30), summarising: false)
        let first = try await list(.fileThenStore)
        #expect(first.read == 30)
        // Each alone now answers for every user.
        let fromFile = try await list(.fileOnly)
        #expect(fromFile.read == 0 && fromFile.overviews == first.overviews)
        let fromStore = try await list(.store)
        #expect(fromStore.read == 0 && fromStore.overviews == first.overviews)

        // An overview handed back as the store keeps it (the console reads the selected user fresh) writes nothing.
        let store = try openStore()
        defer { try? store.close() }
        let cache = StoreKeptOverviews(store: store, file: nil, warn: warnings.record)
        let alice = try await store.getSecret(name: "SFTP/user000", version: .current)
        let entry = try #require(cache.entry(secretName: "SFTP/user000", versionID: alice.versionID))
        let before = try store.changeToken()
        cache.update(["SFTP/user000": entry], prefix: "SFTP/", listed: ["SFTP/user000"])
        #expect(try store.changeToken() == before, "an overview the store holds was written again")
        // One it does not hold is written, and the token sees that write.
        let altered = StoredUser(username: "user000", value: SecretValue(version: alice.version, string: #"{"Role":"arn:aws:iam::123456789012:role/Other"}"#))
        cache.update(["SFTP/user000": CachedUserOverview(UserOverview(stored: altered), of: altered)], prefix: "SFTP/", listed: ["SFTP/user000"])
        #expect(try store.changeToken() != before)
        #expect(cache.entry(secretName: "SFTP/user000", versionID: alice.versionID)?.overview(now: Date()).roleShortName == "Other")
        #expect(cache.entry(secretName: "SFTP/user000", versionID: "another-version") == nil)
        #expect(warnings.lines.isEmpty, "\(warnings.lines)")
    }

    @Test func anOverviewMadeUnderAnotherNamingIsNotTaken() async throws {
        try await seed(Self.corpus(12), summarising: true)
        // The same secrets listed under a scheme that names their users differently: user003 becomes 003.
        let otherNaming = try NamingScheme("SFTP/user{username}")
        let listed = try await list(.store, naming: otherNaming)
        #expect(listed.read == 12)
        #expect(listed.overviews.map(\.username) == (0..<12).map { String(format: "%03d", $0) })
        #expect(listed.overviews == (try await list(.none, naming: otherNaming)).overviews)
    }
}

import EmbeddedStore
import Foundation
import ListingCache
import PeerTesting
import SecretStore
import Synchronization
import Testing
import UserManagement

/// The listing cache over a real embedded store: a reopened listing reads only the users whose current version
/// changed, whoever changed them (another process's handle on the same file), and always shows what the store holds.
final class EmbeddedStoreListingCacheTests {
    let directory = NSTemporaryDirectory() + "embedded-listing-cache-\(UUID().uuidString)"
    let warnings = CollectedLines()
    var databasePath: String { directory + "/users.db" }
    var keyPath: String { directory + "/master.key" }
    var location: ListingCacheLocation { ListingCacheLocation(directory: directory + "/cache/sftpidp") }
    let context = WriteContext(action: "test", actor: "embedded-listing-cache-tests")

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A handle on the store file, as each `sftpidp` process opens its own.
    func openStore() throws -> EmbeddedSecretStore {
        try EmbeddedSecretStore.open(databasePath: databasePath, keyPath: keyPath, createIfMissing: true)
    }

    static func value(role: String, extra: String = "") -> String {
        #"{"Role":"arn:aws:iam::123456789012:role/\#(role)","HomeDirectory":"/acme-sftp/home"\#(extra)}"#
    }

    /// Lists as a new `sftpidp users list` does (a fresh store handle and the cache opened from its file): the
    /// overviews, and how many users had to be read from the store.
    func list(now: Date = Date(), cached: Bool = true) async throws -> (overviews: [UserOverview], read: Int) {
        let store = try openStore()
        defer { try? store.close() }
        let directory = UserDirectory(store: store, naming: try NamingScheme("SFTP/{username}"), serverID: nil)
        let cache = cached ? EncryptedListingCache(location: location, scope: "embedded " + databasePath, warn: warnings.record) : nil
        let read = Mutex(0)
        let overviews = try await directory.overviews(now: now, cache: cache) { progress in
            if case .handling(_, let total) = progress { read.withLock { $0 = total } }
        }
        return (overviews, read.withLock { $0 })
    }

    func overview(_ username: String, in overviews: [UserOverview]) throws -> UserOverview {
        try #require(overviews.first { $0.username == username })
    }

    @Test func aReopenedListingReadsOnlyWhatChangedAndNeverShowsAStaleUser() async throws {
        let seeding = try openStore()
        _ = try await seeding.createSecrets((0..<250).map { (name: String(format: "SFTP/user%03d", $0), value: Self.value(role: "Original")) }, context: context)
        try seeding.close()

        let first = try await list()
        #expect(first.read == 250 && first.overviews.count == 250)
        let reopened = try await list()
        #expect(reopened.read == 0)
        #expect(reopened.overviews == first.overviews)

        // Another process changes five users: a new role, disabled, an expiry date, a key, and one deleted.
        let other = try openStore()
        func put(_ username: String, _ value: String) async throws {
            let name = "SFTP/" + username
            let current = try await other.getSecret(name: name, version: .current)
            _ = try await other.putSecret(name: name, value: value, replacing: current.versionID, context: context)
        }
        try await put("user010", Self.value(role: "Changed"))
        try await put("user020", Self.value(role: "Original", extra: #","sftpidp:Disabled":true"#))
        try await put("user030", Self.value(role: "Original", extra: #","sftpidp:ExpiresAt":"2030-01-01T00:00:00Z""#))
        try await put("user040", Self.value(role: "Original", extra: #","PublicKey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl""#))
        _ = try await other.deleteSecret(name: "SFTP/user050", recoveryWindowDays: 7, forceWithoutRecovery: false, context: context)

        let changed = try await list()
        #expect(changed.read == 4, "only the four live users with a new version are read")
        #expect(changed.overviews == (try await list(cached: false)).overviews)
        #expect(try overview("user010", in: changed.overviews).roleShortName == "Changed")
        #expect(try overview("user020", in: changed.overviews).flags.contains(.disabled))
        #expect(try overview("user040", in: changed.overviews).publicKeyCount == 1)
        #expect(!changed.overviews.contains { $0.username == "user050" })
        #expect(try overview("user030", in: changed.overviews).flags.isEmpty)
        // The expiry is checked against the clock on every listing, also for a user summarised from the cache.
        let later = try await list(now: Date(timeIntervalSince1970: 1_900_000_000))
        #expect(later.read == 0)
        #expect(try overview("user030", in: later.overviews).flags == [.expired])

        // Rolled back: the older version is current again, and it is read, not taken for the newer one.
        let versions = try await other.listVersions(name: "SFTP/user010")
        let previous = try #require(versions.first { $0.stages.contains("AWSPREVIOUS") })
        let current = try #require(versions.first { $0.stages.contains("AWSCURRENT") })
        _ = try await other.promoteVersion(name: "SFTP/user010", versionID: previous.versionID, replacing: current.versionID, context: context)
        try other.close()
        let rolledBack = try await list()
        #expect(rolledBack.read == 1)
        #expect(try overview("user010", in: rolledBack.overviews).roleShortName == "Original")
        #expect(warnings.lines.isEmpty, "\(warnings.lines)")
    }

    @Test func aDeletedCacheIsRebuiltAndAStoreMadeAgainAtTheSamePathSharesNothing() async throws {
        let seeding = try openStore()
        _ = try await seeding.createSecrets((0..<30).map { (name: String(format: "SFTP/user%03d", $0), value: Self.value(role: "Original")) }, context: context)
        try seeding.close()
        #expect(try await list().read == 30)

        try FileManager.default.removeItem(atPath: location.directory)
        let rebuilt = try await list()
        #expect(rebuilt.read == 30 && rebuilt.overviews.count == 30)
        #expect(try await list().read == 0)

        // The same names in a new store at the same path: new version ids, so every user is read again.
        try FileManager.default.removeItem(atPath: databasePath)
        try FileManager.default.removeItem(atPath: keyPath)
        let again = try openStore()
        _ = try await again.createSecrets((0..<30).map { (name: String(format: "SFTP/user%03d", $0), value: Self.value(role: "Remade")) }, context: context)
        try again.close()
        let remade = try await list()
        #expect(remade.read == 30)
        #expect(remade.overviews.allSatisfy { $0.roleShortName == "Remade" })
        #expect(warnings.lines.isEmpty, "\(warnings.lines)")
    }
}

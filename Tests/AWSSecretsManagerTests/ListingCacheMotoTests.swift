import Foundation
import ListingCache
import PeerTesting
import SecretStore
import Testing
import UserManagement
@testable import AWSSecretsManager

/// The listing cache against moto, changes made by the real AWS CLI: the calls each reopening makes, and that the
/// list always shows what the store holds.
@Suite(.motoServer) final class ListingCacheMotoTests {
    let moto: MotoServer
    let location = ListingCacheLocation(directory: NSTemporaryDirectory() + "listing-cache-moto-\(UUID().uuidString)/sftpidp")
    let warnings = CollectedLines()

    init() throws {
        moto = try #require(MotoServer.current)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: (location.directory as NSString).deletingLastPathComponent)
    }

    static let passwordHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4hS6vCw1nSoqYV2gg8qjXmEXxo9GSNbG4WV0ZoS5mpQ"

    static func value(role: String) -> String {
        #"{"PasswordHash":"\#(passwordHash)","Role":"arn:aws:iam::123456789012:role/\#(role)","HomeDirectory":"/acme-sftp/home"}"#
    }

    @discardableResult
    func aws(_ arguments: [String]) throws -> String {
        try ExternalProcess.run("aws", ["secretsmanager"] + arguments + ["--output", "json"], environment: moto.cliEnvironment())
    }

    /// `count` users under a fresh prefix, named user000, user001, ...
    func seed(_ count: Int, label: String) async throws -> String {
        let prefix = uniquePrefix(label)
        let store = try moto.store()
        for index in 0..<count {
            _ = try await store.createSecret(name: prefix + String(format: "user%03d", index), value: Self.value(role: "Original"), context: testContext)
        }
        return prefix
    }

    /// Gives the seeded users numbered `indices` a new version with the role `Changed`, as another tool (the real AWS
    /// CLI) does: their user names.
    func changeRoles(of indices: [Int], prefix: String) throws -> Set<String> {
        let usernames = indices.map { String(format: "user%03d", $0) }
        for username in usernames {
            try aws(["put-secret-value", "--secret-id", prefix + username, "--secret-string", Self.value(role: "Changed")])
        }
        return Set(usernames)
    }

    /// Lists the users as a new `sftpidp users list` does: a fresh store and the cache opened from its file.
    func list(_ prefix: String, includeDeleted: Bool = false) async throws -> (overviews: [UserOverview], calls: [String: Int]) {
        let store = try moto.store()
        let directory = UserDirectory(store: store, naming: try NamingScheme(prefix + "{username}"), serverID: nil)
        let cache = EncryptedListingCache(location: location, scope: store.configuration.description, warn: warnings.record)
        let overviews = try await directory.overviews(includeDeleted: includeDeleted, cache: cache)
        return (overviews, store.requestCounts)
    }

    @Test func reopeningReadsOnlyTheSecretsThatChanged() async throws {
        // 230 users: 3 ListSecrets pages, 12 batches of 20 values.
        let prefix = try await seed(230, label: "changes")
        let first = try await list(prefix)
        #expect(first.calls == ["ListSecrets": 3, "BatchGetSecretValue": 12])
        #expect(first.overviews.count == 230)

        let unchanged = try await list(prefix)
        #expect(unchanged.calls == ["ListSecrets": 3])
        #expect(unchanged.overviews == first.overviews)

        // k = 7 users changed by another tool: one more batch, and the list shows their new values.
        let changedUsers = try changeRoles(of: (0..<7).map { $0 * 30 }, prefix: prefix)
        let afterChanges = try await list(prefix)
        #expect(afterChanges.calls == ["ListSecrets": 3, "BatchGetSecretValue": 1])
        for overview in afterChanges.overviews {
            #expect(overview.roleShortName == (changedUsers.contains(overview.username) ? "Changed" : "Original"), "\(overview.username)")
        }
        #expect(try await list(prefix).calls == ["ListSecrets": 3])
        #expect(warnings.lines.isEmpty)
    }

    @Test func deletedSecretsDisappearAndScheduledOnesShowAsBefore() async throws {
        let prefix = try await seed(5, label: "deletes")
        _ = try await list(prefix)
        try aws(["delete-secret", "--secret-id", prefix + "user001", "--force-delete-without-recovery"])
        try aws(["delete-secret", "--secret-id", prefix + "user002", "--recovery-window-in-days", "7"])

        let listed = try await list(prefix)
        #expect(listed.calls == ["ListSecrets": 1])
        #expect(listed.overviews.map(\.username) == ["user000", "user003", "user004"])
        let withDeleted = try await list(prefix, includeDeleted: true)
        #expect(withDeleted.calls == ["ListSecrets": 1])
        #expect(withDeleted.overviews.map(\.username) == ["user000", "user002", "user003", "user004"])
        #expect(withDeleted.overviews.first { $0.username == "user002" }?.flags == [.deleted])

        // Restored, it is listed again with its summary, read once more (it was dropped from the cache).
        try aws(["restore-secret", "--secret-id", prefix + "user002"])
        let restored = try await list(prefix)
        #expect(restored.overviews.map(\.username) == ["user000", "user002", "user003", "user004"])
        #expect(restored.overviews.first { $0.username == "user002" }?.roleShortName == "Original")
        #expect(restored.calls == ["ListSecrets": 1, "BatchGetSecretValue": 1])
    }

    @Test func deletedCacheDirectoryIsRebuiltAndTamperedCacheIsDiscarded() async throws {
        let prefix = try await seed(30, label: "rebuild")
        let first = try await list(prefix)
        #expect(first.calls == ["ListSecrets": 1, "BatchGetSecretValue": 2])

        try FileManager.default.removeItem(atPath: location.directory)
        let rebuilt = try await list(prefix)
        #expect(rebuilt.calls == first.calls)
        #expect(rebuilt.overviews == first.overviews)
        #expect(warnings.lines.isEmpty)
        #expect(try await list(prefix).calls == ["ListSecrets": 1])

        let path = location.cachePath(scope: try moto.store().configuration.description)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 1] ^= 0x80
        try bytes.write(to: URL(fileURLWithPath: path))
        let afterTamper = try await list(prefix)
        #expect(afterTamper.calls == first.calls)
        #expect(afterTamper.overviews == first.overviews)
        #expect(warnings.lines.count == 1)
        #expect(warnings.lines.first?.contains("discarded and rebuilt") == true)
        #expect(try await list(prefix).calls == ["ListSecrets": 1])
    }

    @Test func cacheFileHoldsNoValueInClear() async throws {
        let prefix = try await seed(3, label: "clear")
        _ = try await list(prefix)
        let path = location.cachePath(scope: try moto.store().configuration.description)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count > 100)
        for clear in [Self.passwordHash, "c29tZXNhbHRzb21lc2FsdA", "arn:aws:iam::123456789012:role/Original", "/acme-sftp/home", "user001", prefix] {
            #expect(bytes.range(of: Data(clear.utf8)) == nil, "\(clear) is in the cache file in clear")
        }
    }

    /// Another identity on the same endpoint gets a cache of its own.
    @Test func eachIdentityHasItsOwnCache() async throws {
        let store = try moto.store()
        let otherRegion = try moto.store(region: "eu-west-1")
        #expect(location.cachePath(scope: store.configuration.description) != location.cachePath(scope: otherRegion.configuration.description))
        #expect(store.configuration.description.contains(moto.accessKeyID))
    }
}

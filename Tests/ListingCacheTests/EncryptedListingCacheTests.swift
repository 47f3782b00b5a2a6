import EmbeddedStore
import Foundation
@testable import ListingCache
import SecretStore
import PeerTesting
import Testing
import UserManagement

/// The cache file on its own: what it keeps, what it refuses, and that it is rebuilt rather than trusted.
final class EncryptedListingCacheTests {
    let directory: String
    let location: ListingCacheLocation
    let scope = "AWS Secrets Manager us-east-1 at http://127.0.0.1:1 as AKIDEXAMPLE (env)"
    let warnings = CollectedLines()

    init() throws {
        directory = NSTemporaryDirectory() + "listing-cache-\(UUID().uuidString)"
        location = ListingCacheLocation(directory: directory + "/sftpidp")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func open(scope: String? = nil) -> EncryptedListingCache {
        EncryptedListingCache(location: location, scope: scope ?? self.scope, warn: warnings.record)
    }

    /// A cache entry for `username` made from a real secret value, the way a listing makes it.
    static func entry(_ username: String, versionID: String = UUID().uuidString, value: String = sampleValue) -> (String, CachedUserOverview) {
        let name = "SFTP/\(username)"
        let stored = StoredUser(username: username, value: SecretValue(
            version: SecretVersionInfo(name: name, versionID: versionID, stages: ["AWSCURRENT"], createdAt: Date(timeIntervalSince1970: 1_800_000_000)),
            string: value))
        return (name, CachedUserOverview(UserOverview(stored: stored), of: stored))
    }

    static let passwordHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4hS6vCw1nSoqYV2gg8qjXmEXxo9GSNbG4WV0ZoS5mpQ"
    static let sampleValue = #"{"PasswordHash":"\#(passwordHash)","Role":"arn:aws:iam::123456789012:role/SFTPUploaders","HomeDirectory":"/acme-sftp/home/jess"}"#

    @Test func keepsOverviewsPerVersionAcrossOpens() throws {
        let (name, entry) = Self.entry("jess", versionID: "v1")
        open().update([name: entry], prefix: "SFTP/", listed: [name])

        let reopened = open()
        #expect(reopened.entry(secretName: name, versionID: "v1") == entry)
        #expect(reopened.entry(secretName: name, versionID: "v2") == nil)
        let overview = try #require(reopened.entry(secretName: name, versionID: "v1")?.overview(now: Date()))
        #expect(overview.passwordKind == "argon2id")
        #expect(overview.roleShortName == "SFTPUploaders")
        #expect(overview.home == .path("/acme-sftp/home/jess"))
        #expect(warnings.lines.isEmpty)
    }

    /// A listing that changes nothing leaves the file alone (another process may have written a newer one).
    @Test func unchangedListingDoesNotRewriteTheFile() throws {
        let (name, entry) = Self.entry("jess")
        open().update([name: entry], prefix: "SFTP/", listed: [name])
        let inode = { (path: String) in try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int }
        let before = try inode(open().path)
        open().update([:], prefix: "SFTP/", listed: [name])
        #expect(try inode(open().path) == before)
        open().update([:], prefix: "SFTP/", listed: [])
        #expect(try inode(open().path) != before)
        #expect(open().count == 0)
    }

    @Test func filesArePrivateAndHoldNoValueInClear() throws {
        let (name, entry) = Self.entry("jess")
        let cache = open()
        cache.update([name: entry], prefix: "SFTP/", listed: [name])
        for path in [cache.path, location.keyPath] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(path)")
        }
        let directoryMode = try FileManager.default.attributesOfItem(atPath: location.directory)[.posixPermissions] as? Int
        #expect(directoryMode == 0o700)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: cache.path))
        for clear in [Self.passwordHash, "argon2id", "SFTPUploaders", "/acme-sftp/home/jess", "jess"] {
            #expect(bytes.range(of: Data(clear.utf8)) == nil, "\(clear) is in the cache file in clear")
        }
    }

    @Test func deletedDirectoryIsRebuiltSilently() throws {
        let (name, entry) = Self.entry("jess")
        open().update([name: entry], prefix: "SFTP/", listed: [name])
        try FileManager.default.removeItem(atPath: location.directory)

        let rebuilt = open()
        #expect(rebuilt.count == 0)
        rebuilt.update([name: entry], prefix: "SFTP/", listed: [name])
        #expect(open().entry(secretName: name, versionID: entry.versionID) == entry)
        #expect(warnings.lines.isEmpty)
    }

    @Test func tamperedCacheIsDiscardedWithAWarningAndRebuilt() throws {
        let (name, entry) = Self.entry("jess")
        let cache = open()
        cache.update([name: entry], prefix: "SFTP/", listed: [name])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: cache.path))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: cache.path))

        let reopened = open()
        #expect(reopened.count == 0)
        #expect(warnings.lines.count == 1)
        #expect(warnings.lines.first?.contains("does not decrypt") == true)
        #expect(warnings.lines.first?.contains(cache.path) == true)
        reopened.update([name: entry], prefix: "SFTP/", listed: [name])
        #expect(open().count == 1)
        #expect(warnings.lines.count == 1)
    }

    @Test func truncatedOrForeignFilesAreDiscarded() throws {
        let (name, entry) = Self.entry("jess")
        let cache = open()
        cache.update([name: entry], prefix: "SFTP/", listed: [name])
        for damaged in [Data(), Data("not a cache".utf8), try Data(contentsOf: URL(fileURLWithPath: cache.path)).prefix(20)] {
            try damaged.write(to: URL(fileURLWithPath: cache.path))
            chmod(cache.path, 0o600)
            #expect(open().count == 0)
        }
        #expect(warnings.lines.count == 3)
    }

    /// A cache file copied over another scope's (another account's or region's) is not taken for it.
    @Test func cacheOfAnotherScopeDoesNotOpen() throws {
        let (name, entry) = Self.entry("jess")
        let mine = open()
        mine.update([name: entry], prefix: "SFTP/", listed: [name])
        let other = open(scope: scope + ", profile other")
        #expect(other.path != mine.path)
        try FileManager.default.copyItem(atPath: mine.path, toPath: other.path)

        #expect(open(scope: scope + ", profile other").count == 0)
        #expect(warnings.lines.count == 1)
    }

    @Test func cacheOthersCanReadIsDiscarded() throws {
        let (name, entry) = Self.entry("jess")
        let cache = open()
        cache.update([name: entry], prefix: "SFTP/", listed: [name])
        chmod(cache.path, 0o644)
        #expect(open().count == 0)
        #expect(warnings.lines.first?.contains("group or others can access it (mode 644)") == true)
    }

    @Test func symlinkedCacheIsNotFollowed() throws {
        let (name, entry) = Self.entry("jess")
        let cache = open()
        cache.update([name: entry], prefix: "SFTP/", listed: [name])
        let elsewhere = directory + "/elsewhere.cache"
        try FileManager.default.moveItem(atPath: cache.path, toPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: cache.path, withDestinationPath: elsewhere)

        let reopened = open()
        #expect(reopened.count == 0)
        #expect(warnings.lines.count == 1)
        // The next write replaces the link itself and leaves its target alone.
        let before = try Data(contentsOf: URL(fileURLWithPath: elsewhere))
        reopened.update([name: entry], prefix: "SFTP/", listed: [name])
        #expect(try Data(contentsOf: URL(fileURLWithPath: elsewhere)) == before)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: cache.path)) == nil)
        #expect(open().count == 1)
    }

    @Test func unusableKeyIsReplacedAndTheCacheRebuilt() throws {
        let (name, entry) = Self.entry("jess")
        open().update([name: entry], prefix: "SFTP/", listed: [name])
        chmod(location.keyPath, 0o640)

        let reopened = open()
        #expect(reopened.count == 0)
        #expect(warnings.lines.contains { $0.contains("listing cache key") && $0.contains("making a new key") })
        let mode = try FileManager.default.attributesOfItem(atPath: location.keyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        reopened.update([name: entry], prefix: "SFTP/", listed: [name])
        #expect(open().count == 1)
    }

    @Test func unwritableDirectoryMeansNoCacheNotAFailure() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: location.directory, contents: Data("a file where the directory goes".utf8))
        let (name, entry) = Self.entry("jess")
        let cache = open()
        cache.update([name: entry], prefix: "SFTP/", listed: [name])
        #expect(cache.entry(secretName: name, versionID: entry.versionID) == nil)
        #expect(warnings.lines.contains { $0.contains("no listing cache this time") })
    }

    @Test func namesNoLongerListedAreDroppedOnlyUnderTheListedPrefix() throws {
        let (jess, jessEntry) = Self.entry("jess")
        let (kim, kimEntry) = Self.entry("kim")
        let other = ("s-0123456789abcdef0/lee", Self.entry("lee").1)
        let cache = open()
        cache.update([jess: jessEntry, kim: kimEntry, other.0: other.1], prefix: "", listed: [jess, kim, other.0])
        cache.update([:], prefix: "SFTP/", listed: [kim])

        let reopened = open()
        #expect(reopened.entry(secretName: jess, versionID: jessEntry.versionID) == nil)
        #expect(reopened.entry(secretName: kim, versionID: kimEntry.versionID) == kimEntry)
        #expect(reopened.entry(secretName: other.0, versionID: other.1.versionID) == other.1)
    }

    /// Expiry depends on the clock, not on the secret: it is worked out at each use, never taken from the cache.
    @Test func expiryIsWorkedOutWhenUsed() throws {
        let value = #"{"Role":"arn:aws:iam::123456789012:role/R","Password":"legacy-secret","sftpidp:Disabled":true,"sftpidp:ExpiresAt":"2030-01-31T00:00:00Z"}"#
        let (_, entry) = Self.entry("old", value: value)
        let before = entry.overview(now: ISO8601DateFormatter().date(from: "2030-01-30T00:00:00Z")!)
        let after = entry.overview(now: ISO8601DateFormatter().date(from: "2030-01-31T00:00:01Z")!)
        #expect(before.flags == [.disabled, .legacyPassword])
        #expect(after.flags == [.disabled, .expired, .legacyPassword])
    }

    /// Every shape of entry a listing makes comes back from the file exactly as it went in.
    @Test func entriesOfEveryShapeSurviveTheFile() throws {
        let values = [
            Self.sampleValue,
            #"{"Role":"arn:aws:iam::123456789012:role/R","Password":"legacy-secret","sftpidp:Disabled":true,"sftpidp:ExpiresAt":"2030-01-31T00:00:00Z"}"#,
            #"{"Role":"arn:aws:iam::123456789012:role/Été","HomeDirectoryType":"LOGICAL","HomeDirectoryDetails":"[{\"Entry\":\"/\",\"Target\":\"/b/ü\"}]","PublicKey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"}"#,
            #"{"Role":"arn:aws:iam::123456789012:role/R"}"#,
            "not json at all",
            #"{"HomeDirectoryType":"LOGICAL","HomeDirectoryDetails":"[broken"}"#,
        ]
        let entries = Dictionary(uniqueKeysWithValues: values.enumerated().map { Self.entry("user\($0.offset)", value: $0.element) })
        #expect(Set(entries.values.map { $0.overview(now: Date()).home }).count >= 4, "path, no path, logical and unknown homes")
        #expect(entries.values.contains { !$0.overview(now: Date()).problems.isEmpty })
        #expect(try EncryptedListingCache.decode(EncryptedListingCache.encode(entries)) == entries)
        open().update(entries, prefix: "SFTP/", listed: Set(entries.keys))
        let reopened = open()
        for (name, entry) in entries {
            #expect(reopened.entry(secretName: name, versionID: entry.versionID) == entry)
        }
        #expect(warnings.lines.isEmpty)
    }

    /// Contents that decrypt but are damaged (a forged file sealed with the key, or a bug) are an error at every
    /// length and every altered byte: never a crash, a hang or a huge allocation.
    @Test func damagedContentsAreAnErrorNeverACrash() throws {
        let entries = Dictionary(uniqueKeysWithValues: [Self.entry("jess"), Self.entry("kim", value: "not json at all")])
        let encoded = EncryptedListingCache.encode(entries)
        for length in 0..<encoded.count {
            #expect(throws: ByteRecordError.self) { try EncryptedListingCache.decode(Array(encoded.prefix(length))) }
        }
        #expect(throws: ByteRecordError.self) { try EncryptedListingCache.decode(encoded + [0]) }
        for index in encoded.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var altered = encoded
                altered[index] ^= flip
                _ = try? EncryptedListingCache.decode(altered)
            }
        }
        var huge = EncryptedListingCache.formatHeader
        huge.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: ByteRecordError.self) { try EncryptedListingCache.decode(huge) }
    }

    /// A cache in the earlier sealed-JSON layout is rebuilt without a word; other contents that decrypt but are not
    /// a cache are rebuilt with a warning.
    @Test func contentsInAnotherLayoutAreRebuilt() throws {
        let (name, entry) = Self.entry("jess")
        let cache = open()
        cache.update([name: entry], prefix: "SFTP/", listed: [name])
        let key = try MasterKey.load(path: location.keyPath).key
        try EncryptedListingCache.seal(Data(#"{"entries":{}}"#.utf8), using: key, scope: scope).write(to: URL(fileURLWithPath: cache.path))
        #expect(open().count == 0)
        #expect(warnings.lines.isEmpty, "\(warnings.lines)")

        try EncryptedListingCache.seal(Data("something else".utf8), using: key, scope: scope).write(to: URL(fileURLWithPath: cache.path))
        #expect(open().count == 0)
        #expect(warnings.lines == ["the listing cache \(cache.path) is discarded and rebuilt: it decrypts but does not start with its format's header"])
    }
}

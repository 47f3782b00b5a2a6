import Crypto
import EmbeddedStore
import Foundation
import SecretStore
import Synchronization
import UserManagement

/// A ``UserOverviewCache`` kept in one private file, sealed with AES-256-GCM under a key file next to it (kept as the
/// embedded store keeps its master key: one line of base64, mode 0600, refused when others can read it).
///
/// Safe to delete: a missing cache or key is made again without a word. A cache that does not decrypt (altered,
/// damaged, made with another key or for another scope), that is not a private regular file, or whose key file is
/// unusable, is discarded with a warning (one line to `warn`) and rebuilt; it is never trusted and never a crash. Writes go to a
/// temporary file renamed over the cache, so two processes writing at once leave one whole cache, never a mix.
public final class EncryptedListingCache: UserOverviewCache, Sendable {
    /// The cache file.
    public let path: String
    /// What the cache is for (for AWS: region, endpoint and identity); bound to the ciphertext.
    public let scope: String
    /// Nil when no key could be had: the cache then keeps nothing and reads every secret.
    private let key: SymmetricKey?
    private let warn: @Sendable (String) -> Void
    /// The entries, and whether the file must be written; a write happens under the lock, so writers take turns.
    private let state: Mutex<State>

    private struct State {
        var entries: [String: CachedUserOverview]
        /// True when the file does not hold ``entries`` (missing, or discarded): the next update writes it even unchanged.
        var mustWrite: Bool
    }

    /// The largest cache file read; far more than 100,000 users take.
    static let maximumFileBytes = 512 * 1024 * 1024

    /// The first bytes of what is sealed: the format of the entries after it (``ByteRecord``: a count, then each
    /// secret name and its entry) and the rules that made them (``CachedUserOverview/summaryFormat``).
    static let formatHeader = Array("\(formatHeaderStart)\(CachedUserOverview.summaryFormat)\n".utf8)
    private static let formatHeaderStart = "sftpidp listing cache, "


    /// Opens (or starts) the cache of `scope` in `location`, making the directory (0700) and key (0600) when missing.
    /// `warn` gets one line (a path and a reason, never a value) for each cache or key discarded.
    public init(location: ListingCacheLocation, scope: String, warn: @escaping @Sendable (String) -> Void) {
        let path = location.cachePath(scope: scope)
        let key = Self.key(at: location.keyPath, warn: warn)
        self.path = path
        self.scope = scope
        self.warn = warn
        self.key = key
        let read = key.flatMap { Self.read(path, key: $0, scope: scope, warn: warn) }
        state = Mutex(State(entries: read ?? [:], mustWrite: read == nil))
    }

    /// How many users the cache holds.
    public var count: Int { state.withLock { $0.entries.count } }

    public func entry(secretName: String, versionID: String) -> CachedUserOverview? {
        state.withLock { $0.entries[secretName] }.flatMap { $0.versionID == versionID ? $0 : nil }
    }

    public func update(_ newEntries: [String: CachedUserOverview], prefix: String, listed: Set<String>) {
        guard let key else { return }
        state.withLock { state in
            // In place: at 100,000 users each copy of the entries is about 40 MB.
            let gone = state.entries.keys.filter { $0.hasPrefix(prefix) && !listed.contains($0) }
            for name in gone { state.entries.removeValue(forKey: name) }
            var changed = !gone.isEmpty
            if state.entries.isEmpty {
                // A first listing: the entries read are the cache, taken as they are.
                state.entries = newEntries
                changed = changed || !newEntries.isEmpty
            } else {
                // Entries read again at a version the cache already holds change nothing: no write for them.
                for (name, entry) in newEntries where state.entries[name] != entry {
                    state.entries[name] = entry
                    changed = true
                }
            }
            guard state.mustWrite || changed else { return }
            state.mustWrite = false
            do {
                try CacheFile.replace(path, with: try Self.seal(Self.encode(state.entries), using: key, scope: scope))
            } catch {
                warn("the listing cache \(path) could not be written (\(error)); the next listing reads every user again")
            }
        }
    }

    /// `plaintext` sealed with AES-256-GCM under `key`, bound to `scope`: nonce, ciphertext and tag.
    static func seal(_ plaintext: some DataProtocol, using key: SymmetricKey, scope: String) throws -> Data {
        guard let sealed = try AES.GCM.seal(plaintext, using: key, authenticating: associatedData(scope: scope)).combined else {
            throw CacheFileError("AES-GCM produced no combined box")
        }
        return sealed
    }

    /// `sftpidp-listing-cache-v1 NUL scope`: a cache copied to another scope's file name does not decrypt.
    private static func associatedData(scope: String) -> Data {
        Data("sftpidp-listing-cache-v1\u{0}\(scope)".utf8)
    }

    /// The key at `path`, made when missing; an unusable key file (a symlink, not private, not a key) is replaced,
    /// which discards every cache it sealed.
    private static func key(at path: String, warn: (String) -> Void) -> SymmetricKey? {
        do {
            return try MasterKey.loadOrCreate(path: path).key
        } catch {
            warn("the listing cache key \(path) cannot be used (\(describe(error))); making a new key, the caches are rebuilt")
        }
        unlink(path)
        do {
            return try MasterKey.loadOrCreate(path: path).key
        } catch {
            warn("no listing cache this time: the key \(path) cannot be made (\(describe(error)))")
            return nil
        }
    }

    /// The entries sealed in `path`; nil when there is no file, or (with a warning) when it cannot be trusted.
    private static func read(_ path: String, key: SymmetricKey, scope: String, warn: (String) -> Void) -> [String: CachedUserOverview]? {
        let sealed: Data
        do {
            guard let data = try CacheFile.contents(of: path, maximumBytes: maximumFileBytes) else { return nil }
            sealed = data
        } catch {
            warn("the listing cache \(path) is discarded and rebuilt: \(error)")
            return nil
        }
        do {
            let plaintext = try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key,
                                             authenticating: associatedData(scope: scope))
            do {
                return try decode(Array(plaintext))
            } catch {
                // A cache written by an earlier sftpidp (sealed JSON, or entries in another format or revision) is
                // rebuilt without a word: nothing is wrong.
                if plaintext.first != UInt8(ascii: "{") && !plaintext.starts(with: formatHeaderStart.utf8) {
                    warn("the listing cache \(path) is discarded and rebuilt: it decrypts but \(error)")
                }
                return nil
            }
        } catch {
            warn("the listing cache \(path) is discarded and rebuilt: it does not decrypt (altered, damaged, or sealed with another key)")
            return nil
        }
    }

    /// The sealed form of `entries`: ``formatHeader``, the count, then each secret name and its entry.
    static func encode(_ entries: [String: CachedUserOverview]) -> [UInt8] {
        // An entry with a role ARN and a home path takes about 170 bytes: reserved once, not grown (and copied) a
        // dozen times.
        var writer = ByteRecord.Writer(reservingCapacity: formatHeader.count + 4 + entries.count * 192)
        for byte in formatHeader { writer.append(byte) }
        writer.append(UInt32(entries.count))
        for (name, entry) in entries {
            writer.append(name)
            entry.write(to: &writer)
        }
        return writer.bytes
    }

    /// The entries ``encode(_:)`` made; throws when the bytes are in another format or do not hold them all.
    static func decode(_ plaintext: [UInt8]) throws(ByteRecordError) -> [String: CachedUserOverview] {
        var reader = ByteRecord.Reader(plaintext)
        try reader.expect(formatHeader)
        let count = Int(try reader.readUInt32())
        guard count <= reader.remaining else { throw ByteRecordError("it counts more entries than it holds") }
        var entries: [String: CachedUserOverview] = [:]
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let name = try reader.readString()
            entries[name] = try CachedUserOverview(reading: &reader)
        }
        guard reader.remaining == 0 else { throw ByteRecordError("there are bytes after its last entry") }
        return entries
    }

    private static func describe(_ error: any Error) -> String {
        (error as? SecretStoreError)?.message ?? "\(error)"
    }
}

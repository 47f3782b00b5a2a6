import EmbeddedStore
import Foundation
import SecretStore
import UserManagement

/// A ``UserOverviewCache`` for an embedded store: the overviews the store keeps beside each version
/// (``EmbeddedSecretStore/keptSummaries(of:format:)``), so that even a first listing reads no value of a user that
/// sftpidp wrote, and the listing cache file for the users whose overviews could not be kept there.
///
/// Users it had to read (written by an older sftpidp, by a store opened without a summariser, or summarised in an
/// older revision) get their overviews kept in the store at the next ``update(_:prefix:listed:)``, and in the file.
/// Nothing is held between calls: the store is the cache.
public final class StoreKeptOverviews: UserOverviewCache, Sendable {
    /// The store the overviews are kept in.
    public let store: EmbeddedSecretStore
    /// The listing cache file, asked first; nil to use the store alone.
    public let file: EncryptedListingCache?
    private let warn: @Sendable (String) -> Void

    /// The most names one store statement asks about.
    static let namesPerRead = 1_000
    /// The most overviews made and kept at once.
    static let namesPerWrite = 5_000

    /// `warn` gets one line when overviews cannot be kept in the store (the file still keeps them).
    public init(store: EmbeddedSecretStore, file: EncryptedListingCache?, warn: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.file = file
        self.warn = warn
    }

    public func entry(secretName: String, versionID: String) -> CachedUserOverview? {
        entries(for: [secretName: versionID])[secretName]
    }

    public func entries(for versions: [String: String]) -> [String: CachedUserOverview] {
        var found: [String: CachedUserOverview] = [:]
        found.reserveCapacity(versions.count)
        var wanted: [String] = []
        for (name, versionID) in versions {
            if let entry = file?.entry(secretName: name, versionID: versionID) {
                found[name] = entry
            } else {
                wanted.append(name)
            }
        }
        for (name, entry) in keptEntries(of: wanted) where versions[name] == entry.versionID {
            found[name] = entry
        }
        return found
    }

    /// Keeps the overviews of the users read in the store (those it does not hold already), and in the file.
    public func update(_ entries: [String: CachedUserOverview], prefix: String, listed: Set<String>) {
        // One step after the other, so that what keeping made is freed before the file is sealed.
        keepInStore(entries)
        file?.update(entries, prefix: prefix, listed: listed)
    }

    private func keepInStore(_ entries: [String: CachedUserOverview]) {
        // A selected user is read fresh even when its overview was kept: no write for an overview the store holds.
        let kept = keptEntries(of: Array(entries.keys))
        // In name order: the store finds each version through its name, and neighbours share index pages.
        let pending = entries.filter { name, entry in kept[name] != entry }.sorted { $0.key < $1.key }
        do {
            // The summaries made a few thousand at a time, as the store seals and writes them.
            for start in stride(from: 0, to: pending.count, by: Self.namesPerWrite) {
                try store.keepSummaries(pending[start..<min(start + Self.namesPerWrite, pending.count)].map { name, entry in
                    (name: name, versionID: entry.versionID, bytes: entry.summary)
                }, format: CachedUserOverview.summaryFormat)
            }
        } catch {
            warn("the overviews of \(pending.count) users could not be kept in \(store.databasePath) (\((error as? SecretStoreError)?.message ?? "\(error)")); the listing cache file keeps them")
        }
    }

    /// The overviews the store keeps for the current versions of `names` that open and read back whole.
    private func keptEntries(of names: [String]) -> [String: CachedUserOverview] {
        var found: [String: CachedUserOverview] = [:]
        for start in stride(from: 0, to: names.count, by: Self.namesPerRead) {
            // A store that cannot be read now: the listing reads those users' values itself.
            guard let kept = try? store.keptSummaries(of: Array(names[start..<min(start + Self.namesPerRead, names.count)]),
                                                      format: CachedUserOverview.summaryFormat) else { break }
            for (name, summary) in kept {
                guard let entry = CachedUserOverview(summary: summary.bytes), entry.versionID == summary.versionID else { continue }
                found[name] = entry
            }
        }
        return found
    }
}

extension ValueSummariser {
    /// Summarises each version as the user's overview (``CachedUserOverview/summary``), for secrets named by `naming`
    /// (with `serverID`); other secrets get no summary.
    public static func userOverviews(naming: NamingScheme, serverID: String?) -> ValueSummariser {
        ValueSummariser(format: CachedUserOverview.summaryFormat) { value in
            guard let username = naming.username(fromSecretName: value.version.name, serverID: serverID) else { return nil }
            let stored = StoredUser(username: username, value: value)
            return CachedUserOverview(UserOverview(stored: stored, now: value.version.createdAt), of: stored).summary
        }
    }
}

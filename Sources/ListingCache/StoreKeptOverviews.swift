import EmbeddedStore
import Foundation
import SecretStore
import Synchronization
import UserManagement

/// A ``UserOverviewCache`` for an embedded store: the listing cache file first, then the overviews the store keeps
/// beside each version (``EmbeddedSecretStore/keptSummaries(of:format:)``), so that even a first listing reads no
/// value of a user that sftpidp wrote.
///
/// Users it had to read (written by an older sftpidp, by a store opened without a summariser, or summarised in an
/// older revision) get their overviews kept in the store at the next ``update(_:prefix:listed:)``, and the file gets
/// every overview listed, so that the next open reads one file.
public final class StoreKeptOverviews: UserOverviewCache, Sendable {
    /// The store the overviews are kept in.
    public let store: EmbeddedSecretStore
    /// The listing cache file, asked first; nil to use the store alone.
    public let file: EncryptedListingCache?
    private let warn: @Sendable (String) -> Void
    private let state = Mutex(State())

    private struct State {
        /// Overviews read from the store for the names prepared so far, by secret name.
        var fromStore: [String: CachedUserOverview] = [:]
    }

    /// The most names one store statement asks about.
    static let namesPerRead = 1_000

    /// `warn` gets one line when overviews cannot be kept in the store (the next listing then reads those users again).
    public init(store: EmbeddedSecretStore, file: EncryptedListingCache?, warn: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.file = file
        self.warn = warn
    }

    public func prepare(_ versions: [String: String]) {
        let wanted = versions.filter { name, versionID in
            file?.entry(secretName: name, versionID: versionID) == nil
        }.keys.sorted()
        var found: [String: CachedUserOverview] = [:]
        for start in stride(from: 0, to: wanted.count, by: Self.namesPerRead) {
            let names = Array(wanted[start..<min(start + Self.namesPerRead, wanted.count)])
            // A store that cannot be read now is read again, value by value, by the listing itself.
            guard let kept = try? store.keptSummaries(of: names, format: CachedUserOverview.summaryFormat) else { return }
            for (name, summary) in kept {
                guard let entry = CachedUserOverview(summary: summary.bytes), entry.versionID == summary.versionID else { continue }
                found[name] = entry
            }
        }
        state.withLock { $0.fromStore.merge(found) { $1 } }
    }

    public func entry(secretName: String, versionID: String) -> CachedUserOverview? {
        if let entry = file?.entry(secretName: secretName, versionID: versionID) { return entry }
        return state.withLock { $0.fromStore[secretName] }.flatMap { $0.versionID == versionID ? $0 : nil }
    }

    /// Keeps the overviews of the users read in the store, then writes the file with them and every overview the
    /// store gave for a listed user.
    public func update(_ entries: [String: CachedUserOverview], prefix: String, listed: Set<String>) {
        let fromStore = state.withLock { state in
            defer { state.fromStore = [:] }
            return state.fromStore
        }
        // Entries the store or the file gave back come back here too: only those read from a value are new.
        let read = entries.filter { name, entry in
            fromStore[name] != entry && file?.entry(secretName: name, versionID: entry.versionID) != entry
        }
        if !read.isEmpty {
            do {
                try store.keepSummaries(read.map { (name: $0.key, versionID: $0.value.versionID, bytes: $0.value.summary) },
                                        format: CachedUserOverview.summaryFormat)
            } catch {
                warn("the overviews of \(read.count) users could not be kept in \(store.databasePath) (\((error as? SecretStoreError)?.message ?? "\(error)")); the next listing reads them again")
            }
        }
        guard let file else { return }
        var all = entries
        for (name, entry) in fromStore where listed.contains(name) && all[name] == nil {
            all[name] = entry
        }
        file.update(all, prefix: prefix, listed: listed)
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

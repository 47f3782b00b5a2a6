import Foundation
import SecretStore

/// Keeps recent secret reads (values and "not found") for a short time, so a slow remote store is not asked
/// on every login. A time-to-live of zero turns it off: every read goes to the store.
///
/// Changes made through sftpidp call ``invalidate(name:)`` (or ``invalidateAll()``) so they take effect at once.
/// At most ``capacity`` names are kept; past that the oldest reads are dropped.
public actor SecretCache {
    /// What a read came to.
    enum Lookup: Sendable {
        case found(String)
        case notFound
        /// The store refuses the name itself (too long, characters it does not allow): no such user can exist.
        case refusedName(String)
    }

    private struct Entry {
        var lookup: Lookup
        var storedAt: Date
    }

    public let store: any SecretStore
    public let timeToLive: Duration
    public let capacity: Int
    private let now: @Sendable () -> Date
    private var entries: [String: Entry] = [:]
    /// Bumped by every invalidation, so a read that was in flight meanwhile is not cached.
    private var generation = 0

    /// A cache over `store`; `timeToLive` zero means no caching.
    public init(store: any SecretStore, timeToLive: Duration, capacity: Int = 10_000, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.timeToLive = timeToLive
        self.capacity = max(1, capacity)
        self.now = now
    }

    /// Whether reads are cached at all.
    public nonisolated var isEnabled: Bool { timeToLive > .zero }

    /// Forgets one secret, so the next read asks the store.
    public func invalidate(name: String) {
        entries[name] = nil
        generation += 1
    }

    /// Forgets everything.
    public func invalidateAll() {
        entries.removeAll()
        generation += 1
    }

    /// How many names are cached now.
    public var count: Int { entries.count }

    /// The current value of `name`, `.notFound`, or `.refusedName` when the store calls the name invalid; other store failures are thrown and never cached.
    ///
    /// With caching off this goes straight to the store, without a hop onto the cache's executor.
    nonisolated func lookup(name: String) async throws -> Lookup {
        guard isEnabled else { return try await Self.read(name, from: store) }
        return try await cachedLookup(name: name)
    }

    private func cachedLookup(name: String) async throws -> Lookup {
        let time = now()
        if let entry = entries[name], time.timeIntervalSince(entry.storedAt) < timeToLive.timeInterval {
            return entry.lookup
        }
        let generationBefore = generation
        let lookup = try await Self.read(name, from: store)
        if generation == generationBefore {
            remember(lookup, for: name, at: time)
        }
        return lookup
    }

    /// One read of `name` from `store`, as a ``Lookup``.
    static func read(_ name: String, from store: any SecretStore) async throws -> Lookup {
        do {
            return .found(try await store.getSecret(name: name, version: .current).string)
        } catch let error as SecretStoreError where error.kind == .notFound || error.kind == .markedForDeletion {
            return .notFound
        } catch let error as SecretStoreError where error.kind == .invalidRequest {
            return .refusedName(error.message)
        }
    }

    private func remember(_ lookup: Lookup, for name: String, at time: Date) {
        if entries[name] == nil, entries.count >= capacity {
            let dropCount = max(1, capacity / 10)
            for (key, _) in entries.sorted(by: { $0.value.storedAt < $1.value.storedAt }).prefix(dropCount) {
                entries[key] = nil
            }
        }
        entries[name] = Entry(lookup: lookup, storedAt: time)
    }
}

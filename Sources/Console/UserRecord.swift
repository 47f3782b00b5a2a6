import Foundation
import IdentityModel
import SecretStore
import UserManagement

/// One user of the list: its secret name, and once fetched, its value and what the list shows about it.
struct UserRecord: Sendable, Hashable {
    /// Where the record is in its loading.
    enum Load: Sendable, Hashable {
        /// Listed, value not fetched yet (or being fetched).
        case pending
        /// Listed and summarised from the listing cache: the columns are known, the value is read when the user is
        /// selected (a pane, an editor or a test always works on a value read from the store).
        case summarised
        /// The value was read; `user` is nil when it does not parse (see `problem`). Boxed (`indirect`), so that a
        /// record is no larger than its columns need (100,000 records are held in one array).
        indirect case loaded(SecretValue)
        /// The value could not be read from the store.
        case failed(String)
    }

    var username: String
    var secretName: String
    var lastChangedAt: Date?
    var deletedAt: Date?
    var load: Load = .pending
    /// Why the secret cannot be used as a user, when it does not parse or fetching failed.
    var problem: String?
    /// The columns of the list, computed once per load (the list draws thousands of rows).
    var summary: UserSummary
    /// The name in lower case, for filtering.
    let searchKey: String

    init(username: String, secretName: String, lastChangedAt: Date? = nil, deletedAt: Date? = nil) {
        self.username = username
        self.secretName = secretName
        self.lastChangedAt = lastChangedAt
        self.deletedAt = deletedAt
        summary = UserSummary.pending
        searchKey = username.lowercased()
    }

    /// Records the fetched value and recomputes the list columns.
    mutating func apply(_ value: SecretValue, now: Date) {
        apply(FetchedUser(username: username, value: value, now: now))
    }

    /// Takes a value read and summarised elsewhere.
    mutating func apply(_ fetched: FetchedUser) {
        load = fetched.load
        if let changed = fetched.lastChangedAt { lastChangedAt = changed }
        problem = fetched.problem
        summary = fetched.summary
    }

    /// True while the value is not read yet but will be (listed, or summarised from the listing cache).
    var isBeingRead: Bool {
        switch load {
        case .pending, .summarised: true
        case .loaded, .failed: false
        }
    }

    /// The value as read, when loaded.
    var value: SecretValue? {
        if case .loaded(let value) = load { return value }
        return nil
    }

    /// The parsed secret, when loaded and a JSON object. Parsed when asked (for the one user a pane or an editor
    /// shows): the list keeps each user's columns and the value text of at most
    /// ``UserListState/heldValueLimit`` users listed and those selected, so 100,000 users fit in memory.
    var secret: UserSecret? {
        value.flatMap { try? UserSecret(secretString: $0.string) }
    }
}

/// One user's value as read, with everything the list derives from it (parsed secret, problem, columns).
///
/// Built in the fetch task while the list loads, so that parsing and summarising thousands of users runs on
/// the concurrency pool, in parallel, and the loop only files the results.
public struct FetchedUser: Sendable {
    let username: String
    private(set) var load: UserRecord.Load
    let lastChangedAt: Date?
    let problem: String?
    let summary: UserSummary
    /// What the listing cache keeps of this read, when the read was for a listing with a cache.
    let cacheEntry: CachedUserOverview?

    init(username: String, value: SecretValue, now: Date, caching: Bool = false) {
        self.username = username
        load = .loaded(value)
        lastChangedAt = value.version.createdAt
        let stored = StoredUser(username: username, value: value)
        switch stored.secret {
        case .success:
            problem = nil
        case .failure(let error):
            problem = error.reason
        }
        let overview = UserOverview(stored: stored, now: now)
        summary = UserSummary(overview)
        cacheEntry = caching ? CachedUserOverview(overview, of: stored) : nil
    }

    /// A user the listing cache summarised at its listed version: columns without a value.
    init(username: String, cached: CachedUserOverview, now: Date) {
        self.username = username
        load = .summarised
        let overview = cached.overview(now: now)
        lastChangedAt = overview.lastChangedAt
        problem = nil
        summary = UserSummary(overview)
        cacheEntry = nil
    }

    /// The same read with its value given up: the columns stay, and the user is read again when selected.
    var withoutValue: FetchedUser {
        guard case .loaded = load else { return self }
        var summarised = self
        summarised.load = .summarised
        return summarised
    }

    init(username: String, error: SecretStoreError) {
        self.username = username
        load = .failed(error.message)
        lastChangedAt = nil
        problem = error.message
        summary = UserSummary(UserOverview(username: username, loadError: error))
        cacheEntry = nil
    }

    /// Every result of a batch read, by secret name; a name outside the naming scheme keeps its secret name.
    /// `caching` also makes each readable user's listing cache entry.
    static func all(_ results: [String: Result<SecretValue, SecretStoreError>], naming: NamingScheme, serverID: String?, now: Date, caching: Bool = false) -> [String: FetchedUser] {
        var fetched: [String: FetchedUser] = [:]
        for (secretName, result) in results {
            let username = naming.username(fromSecretName: secretName, serverID: serverID) ?? secretName
            switch result {
            case .success(let value): fetched[secretName] = FetchedUser(username: username, value: value, now: now, caching: caching)
            case .failure(let error): fetched[secretName] = FetchedUser(username: username, error: error)
            }
        }
        return fetched
    }
}

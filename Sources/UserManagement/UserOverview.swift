import Foundation
import IdentityModel
import SecretStore

/// One line's worth of a user: what the user list shows in the console and in `sftpidp users list`.
public struct UserOverview: Sendable, Hashable {
    /// A condition worth flagging next to a user.
    public enum Flag: String, Sendable, Hashable, CaseIterable, Codable {
        case disabled
        case expired
        case legacyPassword = "legacy-password"
        case invalidSecret = "invalid-secret"
        case deleted
    }

    public var username: String
    /// The kind of stored password ("argon2id", "legacy plain text", ...), nil when there is none.
    public var passwordKind: String?
    public var publicKeyCount: Int
    /// The full role ARN, when set.
    public var role: String?
    /// `PATH` home, `nil` for the bucket root; or the number of `LOGICAL` mappings.
    public var home: HomeSummary
    public var flags: [Flag]
    /// Why the secret is invalid or which fields break a rule; empty when all is well.
    public var problems: [String]
    /// When the user's secret was last written, when known.
    public var lastChangedAt: Date?

    /// The short form of a home directory for a list column.
    public enum HomeSummary: Sendable, Hashable {
        case path(String?)
        case logical(entries: Int)
        case unknown

        /// `/bucket/home`, `bucket root`, `logical: 3 entries` or `?`.
        public var text: String {
            switch self {
            case .path(let path): path ?? "bucket root"
            case .logical(let entries): "logical: \(entries) entr\(entries == 1 ? "y" : "ies")"
            case .unknown: "?"
            }
        }
    }

    /// The overview of a readable user; a secret that is not a JSON object is flagged invalid with the reason.
    public init(stored: StoredUser, now: Date = Date()) {
        username = stored.username
        lastChangedAt = stored.value.version.createdAt
        switch stored.secret {
        case .failure(let error):
            passwordKind = nil
            publicKeyCount = 0
            role = nil
            home = .unknown
            flags = [.invalidSecret]
            problems = [error.reason]
        case .success(let secret):
            // Each part read and parsed once (per protocol level), for the columns and the validation alike.
            let user = SFTPUser(secret: secret)
            let readouts = user.readouts
            let plain = readouts[0]
            let password = plain.storedPassword
            passwordKind = password?.kindLabel
            publicKeyCount = plain.publicKeys.count
            role = plain.role
            switch plain.home {
            case .path(let path): home = .path(path)
            case .logical(let mappings): home = .logical(entries: mappings.count)
            }
            var flags: [Flag] = []
            if plain.isDisabled { flags.append(.disabled) }
            if let expiry = plain.expiresAt, expiry <= now { flags.append(.expired) }
            if password?.isLegacy == true { flags.append(.legacyPassword) }
            // validate() starts with every reading issue, so the issues are not read twice.
            problems = user.validate(readouts: readouts, storedText: stored.value.string).map(\.description).uniqued()
            if !problems.isEmpty { flags.append(.invalidSecret) }
            self.flags = flags
        }
    }

    /// The overview of a user whose secret could not be read at all.
    public init(username: String, loadError: SecretStoreError) {
        self.init(username: username, flags: [.invalidSecret], problems: [loadError.message], lastChangedAt: nil)
    }

    /// The overview of a deleted user that can still be restored.
    public init(deletedUsername username: String, deletedAt: Date?) {
        self.init(username: username, flags: [.deleted], problems: [], lastChangedAt: deletedAt)
    }

    private init(username: String, flags: [Flag], problems: [String], lastChangedAt: Date?) {
        self.username = username
        passwordKind = nil
        publicKeyCount = 0
        role = nil
        home = .unknown
        self.flags = flags
        self.problems = problems
        self.lastChangedAt = lastChangedAt
    }

    /// The role's name: the part after `role/` (with its path), or the whole value when it is no ARN.
    public var roleShortName: String? {
        guard let role else { return nil }
        // In the UTF-8 bytes, colon by colon: Foundation's range(of:) was a tenth of listing 100,000 cached users,
        // and the standard library's generic firstRange(of:) a third.
        let bytes = role.utf8
        var searchFrom = bytes.startIndex
        while let colon = bytes[searchFrom...].firstIndex(of: UInt8(ascii: ":")) {
            let afterColon = bytes.index(after: colon)
            if bytes[afterColon...].starts(with: "role/".utf8) {
                return String(role[bytes.index(afterColon, offsetBy: 5)...])
            }
            searchFrom = afterColon
        }
        return role
    }

    /// How the user logs in, as the console and `users list` show it: `argon2id, 2 keys`, `legacy plain text`,
    /// `no password, 1 key`, `no password`.
    public var authenticationSummary: String {
        let keys = publicKeyCount == 0 ? nil : "\(publicKeyCount) key\(publicKeyCount == 1 ? "" : "s")"
        return [passwordKind ?? "no password", keys].compactMap { $0 }.joined(separator: ", ")
    }

    /// True when `text` occurs in the user name, role or home, ignoring case.
    public func matches(_ text: String) -> Bool {
        guard !text.isEmpty else { return true }
        return [username, role ?? "", home.text].contains { $0.localizedCaseInsensitiveContains(text) }
    }
}

extension UserDirectory {
    /// Overviews of every user, sorted by name, reading the secrets in batches.
    ///
    /// With a `cache`, a user whose listed current version is in it is not read at all; the overviews of the users
    /// read are put in the cache, and users no longer listed are dropped from it. A secret that cannot be read or
    /// parsed is listed with the reason, never left out (and never cached). `progress` hears the listing, then the
    /// secrets read.
    public func overviews(includeDeleted: Bool = false, now: Date = Date(), cache: (any UserOverviewCache)? = nil, progress: StoreProgressHandler? = nil) async throws -> [UserOverview] {
        let listings = try await listUsers(includeDeleted: includeDeleted, progress: progress)
        let live = listings.filter { $0.summary.deletedAt == nil }
        var cached: [String: UserOverview] = [:]
        if let cache {
            let entries = cache.entries(for: Dictionary(live.compactMap { listing in
                listing.summary.currentVersionID.map { (listing.summary.name, $0) }
            }) { $1 })
            for listing in live {
                guard let entry = entries[listing.summary.name], entry.username == listing.username else { continue }
                cached[listing.username] = entry.overview(now: now)
            }
        }
        let toRead = live.map(\.username).filter { cached[$0] == nil }
        let read = try await readOverviews(of: toRead, now: now, caching: cache != nil, progress: progress)
        var overviews: [UserOverview] = []
        overviews.reserveCapacity(listings.count)
        var fresh: [String: CachedUserOverview] = [:]
        for listing in listings {
            if let deletedAt = listing.summary.deletedAt {
                overviews.append(UserOverview(deletedUsername: listing.username, deletedAt: deletedAt))
                continue
            }
            if let overview = cached[listing.username] {
                overviews.append(overview)
                continue
            }
            switch read[listing.username] {
            case .success(let (overview, entry)?):
                overviews.append(overview)
                fresh[listing.summary.name] = entry
            case .success(nil), nil: overviews.append(UserOverview(username: listing.username, loadError: SecretStoreError(.notFound, secretName: listing.summary.name, message: "\(listing.summary.name) disappeared while listing")))
            case .failure(let error): overviews.append(UserOverview(username: listing.username, loadError: error))
            }
        }
        cache?.update(fresh, prefix: try naming.prefix(serverID: serverID), listed: Set(live.map(\.summary.name)))
        return overviews
    }

    /// The overview of each of `usernames` (with its cache entry when `caching`), or why it could not be read; nil
    /// for a user that disappeared meanwhile.
    ///
    /// Batches of 100 are read and summarised as they come, a few at once (one per core, at least two: the store
    /// reads one batch while another is summarised), and only their overviews are kept, never every user's value.
    private func readOverviews(of usernames: [String], now: Date, caching: Bool,
                               progress: StoreProgressHandler?) async throws -> [String: Result<(UserOverview, CachedUserOverview?)?, SecretStoreError>] {
        typealias Summaries = [String: Result<(UserOverview, CachedUserOverview?)?, SecretStoreError>]
        var batches = stride(from: 0, to: usernames.count, by: 100).lazy.map { Array(usernames[$0..<min($0 + 100, usernames.count)]) }.makeIterator()
        let width = min(4, max(2, ProcessInfo.processInfo.activeProcessorCount))
        var summaries: Summaries = [:]
        summaries.reserveCapacity(usernames.count)
        try await withThrowingTaskGroup(of: Summaries.self) { group in
            func startNext() {
                guard let batch = batches.next() else { return }
                group.addTask {
                    let loaded = try await loadMany(batch)
                    var batchSummaries: Summaries = [:]
                    for username in batch {
                        batchSummaries[username] = loaded[username].map { result in
                            result.map { stored in
                                let overview = UserOverview(stored: stored, now: now)
                                return (overview, caching ? CachedUserOverview(overview, of: stored) : nil)
                            }
                        } ?? .success(nil)
                    }
                    return batchSummaries
                }
            }
            for _ in 0..<width { startNext() }
            while let batchSummaries = try await group.next() {
                summaries.merge(batchSummaries) { $1 }
                progress?(.handling(done: summaries.count, total: usernames.count))
                startNext()
            }
        }
        return summaries
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each only the first time it occurs.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

import Foundation
import IdentityModel
import SecretStore

/// Users' overviews kept between runs, keyed by secret name and version id, so that listing a store whose secrets
/// did not change reads no secret values.
///
/// A listing asks only about the version the store has just listed as current, so a changed secret is always read
/// again. Edits and logins never use a cache: they read the store.
public protocol UserOverviewCache: Sendable {
    /// The overview kept for exactly this version of the secret, if any.
    func entry(secretName: String, versionID: String) -> CachedUserOverview?

    /// Keeps `entries` (replacing what was kept for those secret names), forgets every name that starts with
    /// `prefix` but is not in `listed` (deleted secrets), and writes the cache. Never throws: a cache that cannot
    /// be written only makes the next listing slower.
    func update(_ entries: [String: CachedUserOverview], prefix: String, listed: Set<String>)
}

/// A user's overview as a cache keeps it: one version of the secret, summarised, without the value.
///
/// The clock-dependent `expired` flag is not kept; the expiry date is, and the flag is worked out again on each use.
public struct CachedUserOverview: Sendable, Hashable, Codable {
    /// The version of the secret this overview was made from.
    public var versionID: String
    var username: String
    var passwordKind: String?
    var publicKeyCount: Int
    var role: String?
    var home: Home
    var flags: [UserOverview.Flag]
    var problems: [String]
    var lastChangedAt: Date?
    var expiresAt: Date?

    /// ``UserOverview/HomeSummary`` in a codable form.
    enum Home: Sendable, Hashable, Codable {
        case path(String?)
        case logical(entries: Int)
        case unknown
    }

    /// The overview of `stored` as a cache keeps it.
    public init(_ overview: UserOverview, of stored: StoredUser) {
        versionID = stored.value.versionID
        username = overview.username
        passwordKind = overview.passwordKind
        publicKeyCount = overview.publicKeyCount
        role = overview.role
        switch overview.home {
        case .path(let path): home = .path(path)
        case .logical(let entries): home = .logical(entries: entries)
        case .unknown: home = .unknown
        }
        flags = overview.flags.filter { $0 != .expired }
        problems = overview.problems
        lastChangedAt = overview.lastChangedAt
        expiresAt = (try? stored.secret.get()).flatMap { SFTPUser(secret: $0).expiresAt }
    }

    /// The overview at `now`: flagged expired when its expiry date has passed.
    public func overview(now: Date) -> UserOverview {
        var flagSet = Set(flags)
        if let expiresAt, expiresAt <= now { flagSet.insert(.expired) }
        let homeSummary: UserOverview.HomeSummary = switch home {
        case .path(let path): .path(path)
        case .logical(let entries): .logical(entries: entries)
        case .unknown: .unknown
        }
        return UserOverview(username: username, passwordKind: passwordKind, publicKeyCount: publicKeyCount, role: role,
                            home: homeSummary, flags: UserOverview.Flag.allCases.filter(flagSet.contains),
                            problems: problems, lastChangedAt: lastChangedAt)
    }
}

extension UserOverview {
    /// An overview from its parts (as a cache gives them back).
    init(username: String, passwordKind: String?, publicKeyCount: Int, role: String?, home: HomeSummary, flags: [Flag],
         problems: [String], lastChangedAt: Date?) {
        self.username = username
        self.passwordKind = passwordKind
        self.publicKeyCount = publicKeyCount
        self.role = role
        self.home = home
        self.flags = flags
        self.problems = problems
        self.lastChangedAt = lastChangedAt
    }
}

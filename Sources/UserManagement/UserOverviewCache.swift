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

    /// The overviews kept for exactly these versions (secret name to version id), by secret name: what
    /// ``entry(secretName:versionID:)`` gives for each, asked at once, so that a cache that reads them from
    /// somewhere reads them together.
    func entries(for versions: [String: String]) -> [String: CachedUserOverview]
}

extension UserOverviewCache {
    /// Each entry in turn: for a cache that holds its entries already.
    public func entries(for versions: [String: String]) -> [String: CachedUserOverview] {
        var found: [String: CachedUserOverview] = [:]
        for (name, versionID) in versions {
            if let entry = entry(secretName: name, versionID: versionID) { found[name] = entry }
        }
        return found
    }
}

/// A user's overview as a cache keeps it: one version of the secret, summarised, without the value.
///
/// The clock-dependent `expired` flag is not kept; the expiry date is, and the flag is worked out again on each use.
/// The fields live in one shared box, so that a dictionary of 100,000 entries holds a pointer per entry (about 20 MB
/// less than the fields inline).
public struct CachedUserOverview: Sendable, Hashable {
    /// What an entry keeps.
    struct Fields: Sendable, Hashable {
        var versionID: String
        var username: String
        var passwordKind: String?
        var publicKeyCount: Int
        var role: String?
        var home: UserOverview.HomeSummary
        var flags: [UserOverview.Flag]
        var problems: [String]
        var lastChangedAt: Date?
        var expiresAt: Date?
    }

    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private let box: Box

    init(_ fields: Fields) {
        box = Box(fields)
    }

    /// The version of the secret this overview was made from.
    public var versionID: String { box.fields.versionID }

    /// The user it is about (what the naming scheme made of the secret name when it was made).
    public var username: String { box.fields.username }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.box === rhs.box || lhs.box.fields == rhs.box.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(box.fields)
    }

    /// The overview of `stored` as a cache keeps it.
    public init(_ overview: UserOverview, of stored: StoredUser) {
        self.init(Fields(versionID: stored.value.versionID, username: overview.username, passwordKind: overview.passwordKind,
                         publicKeyCount: overview.publicKeyCount, role: overview.role, home: overview.home,
                         flags: overview.flags.filter { $0 != .expired }, problems: overview.problems,
                         lastChangedAt: overview.lastChangedAt,
                         expiresAt: (try? stored.secret.get()).flatMap { SFTPUser(secret: $0).expiresAt }))
    }

    /// The overview at `now`: flagged expired when its expiry date has passed.
    public func overview(now: Date) -> UserOverview {
        let fields = box.fields
        var flagSet = Set(fields.flags)
        if let expiresAt = fields.expiresAt, expiresAt <= now { flagSet.insert(.expired) }
        return UserOverview(username: fields.username, passwordKind: fields.passwordKind, publicKeyCount: fields.publicKeyCount,
                            role: fields.role, home: fields.home, flags: UserOverview.Flag.allCases.filter(flagSet.contains),
                            problems: fields.problems, lastChangedAt: fields.lastChangedAt)
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

extension CachedUserOverview {
    /// Appends the entry in ``ByteRecord``'s layout, read back by ``init(reading:)``.
    public func write(to writer: inout ByteRecord.Writer) {
        let fields = box.fields
        writer.append(fields.versionID)
        writer.append(fields.username)
        writer.append(fields.passwordKind)
        writer.append(Int64(fields.publicKeyCount))
        writer.append(fields.role)
        switch fields.home {
        case .path(nil): writer.append(UInt8(0))
        case .path(let path?): writer.append(UInt8(1)); writer.append(path)
        case .logical(let entries): writer.append(UInt8(2)); writer.append(Int64(entries))
        case .unknown: writer.append(UInt8(3))
        }
        writer.append(UInt32(fields.flags.count))
        for flag in fields.flags { writer.append(flag.rawValue) }
        writer.append(UInt32(fields.problems.count))
        for problem in fields.problems { writer.append(problem) }
        writer.append(fields.lastChangedAt?.timeIntervalSinceReferenceDate)
        writer.append(fields.expiresAt?.timeIntervalSinceReferenceDate)
    }

    /// What ``summary`` holds and the rules that made it, for a store that keeps summaries beside each version.
    ///
    /// The revision (`r1`) must change whenever the same secret would be summarised differently (a new check, a new
    /// flag, another column): kept summaries in an older revision are then made again from the values.
    /// `SummaryFormatTests` pins the overviews of a corpus to it.
    public static let summaryFormat = "sftpidp user overview, byte records v2, r2"

    /// The entry alone, in ``ByteRecord``'s layout (see ``summaryFormat``).
    public var summary: [UInt8] {
        var writer = ByteRecord.Writer()
        write(to: &writer)
        return writer.bytes
    }

    /// The entry ``summary`` made; nil when the bytes do not hold exactly one.
    public init?(summary: [UInt8]) {
        var reader = ByteRecord.Reader(summary)
        guard let entry = try? CachedUserOverview(reading: &reader), reader.remaining == 0 else { return nil }
        self = entry
    }

    /// Reads an entry ``write(to:)`` wrote; throws when the bytes do not hold one.
    public init(reading reader: inout ByteRecord.Reader) throws(ByteRecordError) {
        let versionID = try reader.readString()
        let username = try reader.readString()
        let passwordKind = try reader.readOptionalString()
        let publicKeyCount = Int(try reader.readInt64())
        let role = try reader.readOptionalString()
        let home: UserOverview.HomeSummary = switch try reader.readByte() {
        case 0: .path(nil)
        case 1: .path(try reader.readString())
        case 2: .logical(entries: Int(try reader.readInt64()))
        case 3: .unknown
        default: throw ByteRecordError("a home directory has an unknown kind")
        }
        let flags = try Self.readList(&reader) { reader throws(ByteRecordError) in
            let name = try reader.readString()
            guard let flag = UserOverview.Flag(rawValue: name) else { throw ByteRecordError("a flag is not one sftpidp knows") }
            return flag
        }
        let problems = try Self.readList(&reader) { reader throws(ByteRecordError) in try reader.readString() }
        let lastChangedAt = try reader.readOptionalDouble().map(Date.init(timeIntervalSinceReferenceDate:))
        let expiresAt = try reader.readOptionalDouble().map(Date.init(timeIntervalSinceReferenceDate:))
        self.init(Fields(versionID: versionID, username: username, passwordKind: passwordKind, publicKeyCount: publicKeyCount,
                         role: role, home: home, flags: flags, problems: problems, lastChangedAt: lastChangedAt, expiresAt: expiresAt))
    }

    /// A count, then that many elements; a count larger than the bytes left could hold is refused before reading.
    private static func readList<Element>(_ reader: inout ByteRecord.Reader,
                                          _ element: (inout ByteRecord.Reader) throws(ByteRecordError) -> Element) throws(ByteRecordError) -> [Element] {
        let count = Int(try reader.readUInt32())
        guard count <= reader.remaining else { throw ByteRecordError("a list is longer than what is left") }
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count { elements.append(try element(&reader)) }
        return elements
    }
}

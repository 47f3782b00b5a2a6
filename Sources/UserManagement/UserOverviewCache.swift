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
public struct CachedUserOverview: Sendable, Hashable {
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

    /// ``UserOverview/HomeSummary`` as the cache keeps it.
    enum Home: Sendable, Hashable {
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

extension CachedUserOverview {
    /// Appends the entry in ``ByteRecord``'s layout, read back by ``init(reading:)``.
    public func write(to writer: inout ByteRecord.Writer) {
        writer.append(versionID)
        writer.append(username)
        writer.append(passwordKind)
        writer.append(Int64(publicKeyCount))
        writer.append(role)
        switch home {
        case .path(nil): writer.append(UInt8(0))
        case .path(let path?): writer.append(UInt8(1)); writer.append(path)
        case .logical(let entries): writer.append(UInt8(2)); writer.append(Int64(entries))
        case .unknown: writer.append(UInt8(3))
        }
        writer.append(UInt32(flags.count))
        for flag in flags { writer.append(flag.rawValue) }
        writer.append(UInt32(problems.count))
        for problem in problems { writer.append(problem) }
        writer.append(lastChangedAt?.timeIntervalSinceReferenceDate)
        writer.append(expiresAt?.timeIntervalSinceReferenceDate)
    }

    /// Reads an entry ``write(to:)`` wrote; throws when the bytes do not hold one.
    public init(reading reader: inout ByteRecord.Reader) throws(ByteRecordError) {
        versionID = try reader.readString()
        username = try reader.readString()
        passwordKind = try reader.readOptionalString()
        publicKeyCount = Int(try reader.readInt64())
        role = try reader.readOptionalString()
        home = switch try reader.readByte() {
        case 0: .path(nil)
        case 1: .path(try reader.readString())
        case 2: .logical(entries: Int(try reader.readInt64()))
        case 3: .unknown
        default: throw ByteRecordError("a home directory has an unknown kind")
        }
        flags = try Self.readList(&reader) { reader throws(ByteRecordError) in
            let name = try reader.readString()
            guard let flag = UserOverview.Flag(rawValue: name) else { throw ByteRecordError("a flag is not one sftpidp knows") }
            return flag
        }
        problems = try Self.readList(&reader) { reader throws(ByteRecordError) in try reader.readString() }
        lastChangedAt = try reader.readOptionalDouble().map(Date.init(timeIntervalSinceReferenceDate:))
        expiresAt = try reader.readOptionalDouble().map(Date.init(timeIntervalSinceReferenceDate:))
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

import Foundation

/// Whether a logical home mapping points at a file or a directory.
public enum HomeMappingType: String, Sendable, Hashable, CaseIterable {
    case file = "FILE"
    case directory = "DIRECTORY"
}

/// One `LOGICAL` home mapping: what the user sees (`Entry`) and where it lives (`Target`).
public struct HomeMapping: Sendable, Hashable {
    public var entry: String
    public var target: String
    public var type: HomeMappingType?

    public init(entry: String, target: String, type: HomeMappingType? = nil) {
        self.entry = entry
        self.target = target
        self.type = type
    }

    /// The mapping as the JSON object of HomeDirectoryDetails.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["Entry": .string(entry), "Target": .string(target)]
        if let type { object["Type"] = .string(type.rawValue) }
        return .object(object)
    }
}

/// A user's home: a `PATH` (nil or empty is the bucket root) or `LOGICAL` mappings.
public enum HomeDirectory: Sendable, Hashable {
    case path(String?)
    case logical([HomeMapping])
}

/// The POSIX identity for EFS-backed servers.
public struct PosixProfile: Sendable, Hashable {
    public var uid: UInt32
    public var gid: UInt32
    public var secondaryGids: [UInt32]

    public init(uid: UInt32, gid: UInt32, secondaryGids: [UInt32] = []) {
        self.uid = uid
        self.gid = gid
        self.secondaryGids = secondaryGids
    }

    /// `{"Uid": n, "Gid": n, "SecondaryGids": [...]}` (SecondaryGids only when there are some).
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["Uid": .integer(Int64(uid)), "Gid": .integer(Int64(gid))]
        if !secondaryGids.isEmpty { object["SecondaryGids"] = .array(secondaryGids.map { .integer(Int64($0)) }) }
        return .object(object)
    }
}

/// One of a user's public keys, with its optional expiry from `sftpidp:KeyExpiry`.
public struct UserPublicKey: Sendable, Hashable {
    public var key: SSHPublicKey
    public var expiresAt: Date?

    public init(key: SSHPublicKey, expiresAt: Date? = nil) {
        self.key = key
        self.expiresAt = expiresAt
    }

    /// Whether the key has expired at `date`.
    public func isExpired(at date: Date) -> Bool {
        expiresAt.map { $0 <= date } ?? false
    }
}

/// ISO-8601 dates of sftpidp's own keys: `2026-01-31` (00:00 UTC), or a date-time with a zone or `Z`.
public enum ISODate {
    /// Parses a date or date-time; `nil` when it is neither.
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingSpaces
        let dateTime = ISO8601DateFormatter()
        if let date = dateTime.date(from: trimmed) { return date }
        dateTime.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = dateTime.date(from: trimmed) { return date }
        let dateOnly = ISO8601DateFormatter()
        dateOnly.formatOptions = [.withFullDate]
        return dateOnly.date(from: trimmed)
    }

    /// `2026-01-31T00:00:00Z`.
    public static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}

import Foundation

/// The parts of an identity provider's answer that decide what a user can reach: `Role`, `Policy`, and the home
/// (`HomeDirectoryType` with `HomeDirectory` or `HomeDirectoryDetails`).
///
/// Read from the answer's JSON, so that this module depends on no store and no model type.
public struct TransferAnswer: Sendable, Hashable {
    /// One `HomeDirectoryDetails` mapping: what the user sees (`Entry`) and where it is in S3 (`Target`).
    public struct Mapping: Sendable, Hashable, Codable {
        public var entry: String
        public var target: String
        /// `FILE` or `DIRECTORY` (the default).
        public var type: String?

        public init(entry: String, target: String, type: String? = nil) {
            self.entry = entry
            self.target = target
            self.type = type
        }

        var isFile: Bool { type?.uppercased() == "FILE" }

        enum CodingKeys: String, CodingKey {
            case entry = "Entry", target = "Target", type = "Type"
        }
    }

    public var role: String
    /// The session policy text, when the answer has one.
    public var policy: String?
    /// `PATH` or `LOGICAL`.
    public var homeDirectoryType: String
    public var homeDirectory: String?
    public var mappings: [Mapping]

    public init(role: String, policy: String? = nil, homeDirectoryType: String = "PATH", homeDirectory: String? = nil, mappings: [Mapping] = []) {
        self.role = role
        self.policy = policy
        self.homeDirectoryType = homeDirectoryType
        self.homeDirectory = homeDirectory
        self.mappings = mappings
    }

    /// Reads an answer object (`{"Role": ..., "HomeDirectory": ...}`); an answer without `Role` is a denial and an error.
    public init(json: String) throws(TransferAnswerError) {
        guard let root = try? JSONDecoder().decode(PolicyJSON.self, from: Data(json.utf8)), case .object(let members) = root else {
            throw TransferAnswerError("the answer is not a JSON object")
        }
        guard let role = members["Role"]?.stringValue, !role.isEmpty else {
            throw TransferAnswerError("the answer has no Role: the login was denied")
        }
        self.role = role
        policy = members["Policy"]?.stringValue
        homeDirectory = members["HomeDirectory"]?.stringValue
        if let details = members["HomeDirectoryDetails"]?.stringValue {
            do {
                mappings = try JSONDecoder().decode([Mapping].self, from: Data(details.utf8))
            } catch {
                throw TransferAnswerError("HomeDirectoryDetails must be a JSON array of {\"Entry\", \"Target\"} objects")
            }
        } else {
            mappings = []
        }
        homeDirectoryType = members["HomeDirectoryType"]?.stringValue ?? (mappings.isEmpty ? "PATH" : "LOGICAL")
    }

    /// True for `LOGICAL` homes.
    public var isLogical: Bool { homeDirectoryType.uppercased() == "LOGICAL" }

    /// The partition of the role's ARN (`aws`, `aws-cn`, `aws-us-gov`), `aws` when it cannot be read.
    public var partition: String {
        let parts = role.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : "aws"
    }

    /// The directories (and mapped files) the user will see: the PATH home, or every logical mapping.
    public var visiblePlaces: [VisiblePlace] {
        if isLogical {
            return mappings.map { VisiblePlace(entry: $0.entry, target: $0.target, isFile: $0.isFile) }
        }
        let home = homeDirectory ?? ""
        return [VisiblePlace(entry: home.isEmpty ? "/" : home, target: home, isFile: false)]
    }
}

/// A directory or file the user sees, and the S3 path behind it.
public struct VisiblePlace: Sendable, Hashable {
    /// The path the user sees.
    public var entry: String
    /// `/bucket/prefix`; empty for a PATH user without a home (who starts at `/`, the list of buckets).
    public var target: String
    public var isFile: Bool
}

/// An answer the explainer cannot read.
public struct TransferAnswerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// The protocols an SFTP service can ask about.
public enum TransferProtocol: String, Sendable, Hashable, CaseIterable, Codable {
    case sftp = "SFTP"
    case ftp = "FTP"
    case ftps = "FTPS"

    /// Parses `SFTP`, `FTP` or `FTPS`, in any case.
    public init?(parsing text: String) {
        self.init(rawValue: text.uppercased())
    }
}

/// The JSON object stored as one user's secret, keys exactly as other tools wrote them.
///
/// Reads and writes go through the key names of the secret format (see `SecretKey`); every key that
/// sftpidp does not know is kept unchanged, because other tools write to the same secrets.
public struct UserSecret: Sendable, Hashable {
    /// Every member of the JSON object, known and unknown.
    public private(set) var members: [String: JSONValue]

    /// An empty secret.
    public init() {
        members = [:]
    }

    /// A secret from its members.
    public init(members: [String: JSONValue]) {
        self.members = members
    }

    /// Parses a secret string. Throws ``UserSecretError`` when it is not JSON or not a JSON object.
    public init(secretString: String) throws(UserSecretError) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: secretString)
        } catch {
            throw UserSecretError(reason: "the secret value is not JSON: \(error.reason)")
        }
        guard case .object(let members) = value else {
            throw UserSecretError(reason: "the secret value is a JSON \(value.typeName), not a JSON object")
        }
        self.members = members
    }

    /// The secret as JSON text with sorted keys, ready to store.
    public var secretString: String {
        JSONValue.object(members).jsonText
    }

    /// The raw value stored under exactly `key`.
    public subscript(key: String) -> JSONValue? {
        get { members[key] }
        set { members[key] = newValue }
    }

    /// The raw value of `key` for `transferProtocol`: the per-protocol key (`SFTPPassword`) first, then `key` itself.
    ///
    /// With no protocol, only `key` itself is read.
    public func value(_ key: String, for transferProtocol: TransferProtocol?) -> JSONValue? {
        if let transferProtocol, let specific = members[transferProtocol.rawValue + key] {
            return specific
        }
        return members[key]
    }

    /// The names of the keys whose values differ between `self` and `other`, sorted.
    public func changedKeys(comparedTo other: UserSecret) -> [String] {
        Set(members.keys).union(other.members.keys)
            .filter { members[$0] != other.members[$0] }
            .sorted()
    }
}

/// A secret value that cannot be read as a user: the reason names what is wrong, never the value.
public struct UserSecretError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

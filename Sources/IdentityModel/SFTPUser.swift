import Foundation

/// A user read from its ``UserSecret``: typed, per-protocol values with every problem collected instead of thrown.
///
/// Reading never fails, so a broken secret can still be listed and repaired; ``issues`` says what is wrong.
/// Callers that grant access (the identity provider) must deny when ``issues(for:)`` is not empty.
/// Lookups for a protocol read the per-protocol key first (`SFTPRole`), then the plain key (`Role`).
public struct SFTPUser: Sendable, Hashable {
    /// The underlying secret, kept complete (unknown keys included) through every edit.
    public internal(set) var secret: UserSecret

    /// A user over `secret`; never throws.
    public init(secret: UserSecret) {
        self.secret = secret
    }

    // MARK: Reading

    /// The role ARN, or `nil` when absent or not a string.
    public func role(for transferProtocol: TransferProtocol? = nil) -> String? {
        var reported: [FieldError] = []
        return UserReading(secret: secret, transferProtocol: transferProtocol).role(&reported)
    }

    /// The scope-down policy as a JSON string (an object stored in the secret is serialised).
    public func policy(for transferProtocol: TransferProtocol? = nil) -> String? {
        var reported: [FieldError] = []
        return UserReading(secret: secret, transferProtocol: transferProtocol).policy(&reported)
    }

    /// The home: `LOGICAL` mappings when `HomeDirectoryDetails` is present, else the `PATH` (nil: bucket root).
    /// Per-protocol keys come first: `SFTPHomeDirectory` beats a plain `HomeDirectoryDetails`.
    /// Unreadable mappings give `.logical([])` (never a wider home) and an issue.
    public func home(for transferProtocol: TransferProtocol? = nil) -> HomeDirectory {
        var reported: [FieldError] = []
        return UserReading(secret: secret, transferProtocol: transferProtocol).home(&reported)
    }

    /// The stored password: for the protocol `PasswordHash`, then `Password`; then the plain `PasswordHash`, then `Password`.
    public func storedPassword(for transferProtocol: TransferProtocol? = nil) -> StoredPassword? {
        var reported: [FieldError] = []
        return UserReading(secret: secret, transferProtocol: transferProtocol).storedPassword(&reported)
    }

    /// The public keys (from `PublicKey` or `PublicKeys`, per protocol first) with their expiry; unparsable ones are skipped and reported in ``issues``.
    public func publicKeys(for transferProtocol: TransferProtocol? = nil) -> [UserPublicKey] {
        var reported: [FieldError] = []
        return UserReading(secret: secret, transferProtocol: transferProtocol).publicKeys(&reported)
    }

    /// The networks of `AcceptedIpNetwork`; empty when absent. Bad entries are skipped and reported in ``issues``.
    public func acceptedNetworks(for transferProtocol: TransferProtocol? = nil) -> [IPNetwork] {
        var reported: [FieldError] = []
        return UserReading(secret: secret, transferProtocol: transferProtocol).acceptedNetworks(&reported)
    }

    /// Whether `AcceptedIpNetwork` (per protocol or plain) is present at all, even if unreadable.
    public func restrictsNetworks(for transferProtocol: TransferProtocol? = nil) -> Bool {
        secret.value(SecretKey.acceptedIpNetwork, for: transferProtocol) != nil
    }

    /// The POSIX profile, from an object or a JSON string.
    public func posixProfile(for transferProtocol: TransferProtocol? = nil) -> PosixProfile? {
        var reported: [FieldError] = []
        return UserReading(secret: secret, transferProtocol: transferProtocol).posixProfile(&reported)
    }

    /// Which per-protocol keys exist, e.g. `[.ftp: ["FTPPassword", "FTPRole"]]`.
    public var protocolOverrides: [TransferProtocol: [String]] {
        var overrides: [TransferProtocol: [String]] = [:]
        for name in secret.members.keys.sorted() {
            for transferProtocol in TransferProtocol.allCases
            where SecretKey.overridable.contains(where: { SecretKey.name($0, for: transferProtocol) == name }) {
                overrides[transferProtocol, default: []].append(name)
            }
        }
        return overrides
    }

    /// Keys sftpidp does not interpret (kept unchanged on every edit), sorted.
    public var unknownKeys: [String] {
        let known = Set(SecretKey.overridable + SecretKey.ownKeys + TransferProtocol.allCases.flatMap { transferProtocol in
            SecretKey.overridable.map { SecretKey.name($0, for: transferProtocol) }
        })
        return secret.members.keys.filter { !known.contains($0) }.sorted()
    }

    /// What cannot be read for `transferProtocol` (keys with the wrong type, bad JSON, bad keys or networks, bad
    /// `sftpidp:` values). A login for that protocol must be denied when this is not empty.
    public func issues(for transferProtocol: TransferProtocol? = nil) -> [FieldError] {
        UserReading(secret: secret, transferProtocol: transferProtocol).allIssues
    }

    /// What cannot be read, for the plain keys and every protocol that has overrides, without duplicates.
    public var issues: [FieldError] {
        var seen = Set<FieldError>()
        let levels: [TransferProtocol?] = [nil] + TransferProtocol.allCases.filter { protocolOverrides[$0] != nil }
        return levels.flatMap { issues(for: $0) }.filter { seen.insert($0).inserted }
    }
}

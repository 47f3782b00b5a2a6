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
        read(transferProtocol) { reading, issues in reading.role(&issues) }
    }

    /// The scope-down policy as a JSON string (an object stored in the secret is serialised).
    public func policy(for transferProtocol: TransferProtocol? = nil) -> String? {
        read(transferProtocol) { reading, issues in reading.policy(&issues) }
    }

    /// The home: `LOGICAL` mappings when `HomeDirectoryDetails` is present, else the `PATH` (nil: bucket root).
    /// Per-protocol keys come first: `SFTPHomeDirectory` beats a plain `HomeDirectoryDetails`.
    /// Unreadable mappings give `.logical([])` (never a wider home) and an issue.
    public func home(for transferProtocol: TransferProtocol? = nil) -> HomeDirectory {
        read(transferProtocol) { reading, issues in reading.home(&issues) }
    }

    /// The stored password: for the protocol `PasswordHash`, then `Password`; then the plain `PasswordHash`, then `Password`.
    public func storedPassword(for transferProtocol: TransferProtocol? = nil) -> StoredPassword? {
        read(transferProtocol) { reading, issues in reading.storedPassword(&issues) }
    }

    /// The public keys (from `PublicKey` or `PublicKeys`, per protocol first) with their expiry; unparsable ones are skipped and reported in ``issues``.
    public func publicKeys(for transferProtocol: TransferProtocol? = nil) -> [UserPublicKey] {
        read(transferProtocol) { reading, issues in reading.publicKeys(&issues) }
    }

    /// The networks of `AcceptedIpNetwork`; empty when absent. Bad entries are skipped and reported in ``issues``.
    public func acceptedNetworks(for transferProtocol: TransferProtocol? = nil) -> [IPNetwork] {
        read(transferProtocol) { reading, issues in reading.acceptedNetworks(&issues) }
    }

    /// Whether `AcceptedIpNetwork` (per protocol or plain) is present at all, even if unreadable.
    public func restrictsNetworks(for transferProtocol: TransferProtocol? = nil) -> Bool {
        secret.value(SecretKey.acceptedIpNetwork, for: transferProtocol) != nil
    }

    /// The POSIX profile, from an object or a JSON string.
    public func posixProfile(for transferProtocol: TransferProtocol? = nil) -> PosixProfile? {
        read(transferProtocol) { reading, issues in reading.posixProfile(&issues) }
    }

    /// Which per-protocol keys exist, e.g. `[.ftp: ["FTPPassword", "FTPRole"]]`.
    public var protocolOverrides: [TransferProtocol: [String]] {
        var overrides: [TransferProtocol: [String]] = [:]
        for name in secret.members.keys.sorted() {
            if let transferProtocol = SecretKey.protocolOfOverride[name] {
                overrides[transferProtocol, default: []].append(name)
            }
        }
        return overrides
    }

    /// Keys sftpidp does not interpret (kept unchanged on every edit), sorted.
    public var unknownKeys: [String] {
        secret.members.keys.filter { !SecretKey.known.contains($0) }.sorted()
    }

    /// What cannot be read for `transferProtocol` (keys with the wrong type, bad JSON, bad keys or networks, bad
    /// `sftpidp:` values). A login for that protocol must be denied when this is not empty.
    public func issues(for transferProtocol: TransferProtocol? = nil) -> [FieldError] {
        readout(for: transferProtocol).issues
    }

    /// Reads one value for `transferProtocol`, dropping the issues (``issues(for:)`` reports them).
    private func read<Value>(_ transferProtocol: TransferProtocol?, _ body: (UserReading, inout [FieldError]) -> Value) -> Value {
        var ignored: [FieldError] = []
        return body(UserReading(secret: secret, transferProtocol: transferProtocol), &ignored)
    }

    /// No protocol (`nil`) first, then each protocol that has per-protocol keys.
    var levels: [TransferProtocol?] {
        let overridden = protocolOverrides
        return [nil] + TransferProtocol.allCases.filter { overridden[$0] != nil }
    }

    /// What cannot be read, for the plain keys and every protocol that has overrides, without duplicates.
    public var issues: [FieldError] {
        var seen = Set<FieldError>()
        return levels.flatMap { issues(for: $0) }.filter { seen.insert($0).inserted }
    }
}

/// The key names of the user secret (CONTRACT.md section 3) and sftpidp's own `sftpidp:` keys.
public enum SecretKey {
    public static let password = "Password"
    public static let passwordHash = "PasswordHash"
    public static let role = "Role"
    public static let policy = "Policy"
    public static let homeDirectory = "HomeDirectory"
    public static let homeDirectoryDetails = "HomeDirectoryDetails"
    public static let homeDirectoryType = "HomeDirectoryType"
    public static let publicKey = "PublicKey"
    public static let publicKeys = "PublicKeys"
    public static let acceptedIpNetwork = "AcceptedIpNetwork"
    public static let posixProfile = "PosixProfile"

    /// Keys that may have a per-protocol variant (`SFTPPassword`, `FTPRole`, ...).
    public static let overridable: [String] = [
        password, passwordHash, role, policy, homeDirectory, homeDirectoryDetails, homeDirectoryType,
        publicKey, publicKeys, acceptedIpNetwork, posixProfile,
    ]

    /// Every key that holds a password, plain or hashed, at every level: `Password`, `PasswordHash`, `SFTPPassword`,
    /// `FTPSPasswordHash`, ... A password edit replaces or removes all of them.
    public static let passwordVariants: [String] = variants(of: [password, passwordHash])

    /// Every key that holds a public-key list, at every level: `PublicKey`, `PublicKeys`, `SFTPPublicKey`, ...
    public static let publicKeyVariants: [String] = variants(of: [publicKey, publicKeys])

    /// True for `Password`, `PasswordHash` and their per-protocol forms.
    public static func isPasswordVariant(_ key: String) -> Bool {
        passwordVariants.contains(key)
    }

    /// `keys` plain, then for each protocol.
    static func variants(of keys: [String]) -> [String] {
        ([nil] + TransferProtocol.allCases).flatMap { level in keys.map { name($0, for: level) } }
    }

    /// `sftpidp:Disabled`: JSON boolean, or "true"/"false". A disabled user is always denied.
    public static let disabled = "sftpidp:Disabled"
    /// `sftpidp:ExpiresAt`: ISO-8601 date (`2026-01-31`, meaning 00:00 UTC) or date-time; denied from then on.
    public static let expiresAt = "sftpidp:ExpiresAt"
    /// `sftpidp:AllowedServerIds`: comma-separated server ids the user may log in to; absent means all.
    public static let allowedServerIds = "sftpidp:AllowedServerIds"
    /// `sftpidp:KeyExpiry`: object from key fingerprint (`SHA256:...`) to ISO-8601 date or date-time.
    public static let keyExpiry = "sftpidp:KeyExpiry"
    /// `sftpidp:Comment`: free text for administrators.
    public static let comment = "sftpidp:Comment"

    /// sftpidp's own keys (never per-protocol).
    public static let ownKeys: [String] = [disabled, expiresAt, allowedServerIds, keyExpiry, comment]

    /// The key `key` for `transferProtocol` (`SFTP` + `Password`), or `key` itself for no protocol.
    public static func name(_ key: String, for transferProtocol: TransferProtocol?) -> String {
        (transferProtocol?.rawValue ?? "") + key
    }

    /// Every per-protocol key (`SFTPRole`, `FTPSPassword`, ...) and its protocol: built once, since the list and
    /// every login look keys up here.
    static let protocolOfOverride: [String: TransferProtocol] = Dictionary(uniqueKeysWithValues: TransferProtocol.allCases.flatMap { transferProtocol in
        overridable.map { (name($0, for: transferProtocol), transferProtocol) }
    })

    /// Every key sftpidp reads: the contract's keys, their per-protocol forms, and sftpidp's own keys.
    static let known: Set<String> = Set(overridable + ownKeys).union(protocolOfOverride.keys)
}

import Foundation

/// One user's secret read for one protocol with every part parsed once: the values the list, the validation and
/// a login need, and every problem found on the way (the same, in the same order, as ``SFTPUser/issues(for:)``).
///
/// Reading a part again (``SFTPUser/home(for:)`` and the others each read from the secret) parses it again; a
/// readout is for callers that need many parts of many users, such as listing 100,000 of them.
public struct UserReadout: Sendable {
    public let transferProtocol: TransferProtocol?
    public let role: String?
    public let policy: String?
    public let home: HomeDirectory
    public let storedPassword: StoredPassword?
    public let publicKeys: [UserPublicKey]
    /// Where the key list is stored (`PublicKey`, `SFTPPublicKeys`...) and how many entries it has, when present.
    public let publicKeyEntries: (key: String, count: Int)?
    public let acceptedNetworks: [IPNetwork]
    public let posixProfile: PosixProfile?
    public let isDisabled: Bool
    public let expiresAt: Date?
    public let allowedServerIDs: [String]?
    /// What cannot be read for this protocol: a login for it must be denied when this is not empty.
    public let issues: [FieldError]
    /// False when the home could not be read (then ``home`` is an empty logical list, already reported in ``issues``).
    let homeIsReadable: Bool

    init(secret: UserSecret, transferProtocol: TransferProtocol?) {
        let reading = UserReading(secret: secret, transferProtocol: transferProtocol)
        var issues: [FieldError] = []
        self.transferProtocol = transferProtocol
        role = reading.role(&issues)
        policy = reading.policy(&issues)
        let issuesBeforeHome = issues.count
        home = reading.home(&issues)
        homeIsReadable = issues.count == issuesBeforeHome
        storedPassword = reading.storedPassword(&issues)
        // The entries are read once, for the keys and their count alike.
        let entries = reading.publicKeyEntries(&issues)
        publicKeys = reading.publicKeys(of: entries, &issues)
        publicKeyEntries = entries.map { ($0.key, $0.entries.count) }
        acceptedNetworks = reading.acceptedNetworks(&issues)
        posixProfile = reading.posixProfile(&issues)
        let own = OwnKeysReading(secret: secret)
        isDisabled = own.isDisabled(&issues)
        expiresAt = own.expiresAt(&issues)
        allowedServerIDs = own.allowedServerIDs(&issues)
        _ = own.keyExpiry(&issues)
        _ = own.comment(&issues)
        self.issues = issues
    }
}

extension SFTPUser {
    /// Every part of the user for `transferProtocol`, each parsed once.
    public func readout(for transferProtocol: TransferProtocol? = nil) -> UserReadout {
        UserReadout(secret: secret, transferProtocol: transferProtocol)
    }

    /// A readout for no protocol first, then one for each protocol that has per-protocol keys.
    public var readouts: [UserReadout] {
        levels.map(readout(for:))
    }
}

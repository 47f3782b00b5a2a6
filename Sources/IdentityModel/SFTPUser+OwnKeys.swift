import Foundation

extension SFTPUser {
    /// `sftpidp:Disabled`: a disabled user is denied. An unreadable value counts as disabled.
    public var isDisabled: Bool {
        readOwnKey { reading, issues in reading.isDisabled(&issues) }
    }

    /// `sftpidp:ExpiresAt`: the user is denied from this instant on.
    public var expiresAt: Date? {
        readOwnKey { reading, issues in reading.expiresAt(&issues) }
    }

    /// Whether the user has expired at `date`.
    public func isExpired(at date: Date) -> Bool {
        expiresAt.map { $0 <= date } ?? false
    }

    /// `sftpidp:AllowedServerIds`: the servers the user may log in to; `nil` means every server.
    /// An unreadable value gives an empty list (no server) and an issue.
    public var allowedServerIDs: [String]? {
        readOwnKey { reading, issues in reading.allowedServerIDs(&issues) }
    }

    /// Whether the user may log in to `serverID` under `sftpidp:AllowedServerIds`.
    public func allowsServer(_ serverID: String) -> Bool {
        allowedServerIDs.map { $0.contains(serverID) } ?? true
    }

    /// `sftpidp:KeyExpiry`: public key fingerprint -> expiry.
    public var keyExpiry: [String: Date] {
        readOwnKey { reading, issues in reading.keyExpiry(&issues) }
    }

    /// `sftpidp:Comment`: a note for administrators.
    public var comment: String? {
        readOwnKey { reading, issues in reading.comment(&issues) }
    }

    /// Reads one of sftpidp's own keys, dropping the issues (``issues`` reports them).
    private func readOwnKey<Value>(_ body: (OwnKeysReading, inout [FieldError]) -> Value) -> Value {
        var ignored: [FieldError] = []
        return body(OwnKeysReading(secret: secret), &ignored)
    }
}

import Foundation

extension SFTPUser {
    /// `sftpidp:Disabled`: a disabled user is denied. An unreadable value counts as disabled.
    public var isDisabled: Bool {
        var reported: [FieldError] = []
        return OwnKeysReading(secret: secret).isDisabled(&reported)
    }

    /// `sftpidp:ExpiresAt`: the user is denied from this instant on.
    public var expiresAt: Date? {
        var reported: [FieldError] = []
        return OwnKeysReading(secret: secret).expiresAt(&reported)
    }

    /// Whether the user has expired at `date`.
    public func isExpired(at date: Date) -> Bool {
        expiresAt.map { $0 <= date } ?? false
    }

    /// `sftpidp:AllowedServerIds`: the servers the user may log in to; `nil` means every server.
    /// An unreadable value gives an empty list (no server) and an issue.
    public var allowedServerIDs: [String]? {
        var reported: [FieldError] = []
        return OwnKeysReading(secret: secret).allowedServerIDs(&reported)
    }

    /// Whether the user may log in to `serverID` under `sftpidp:AllowedServerIds`.
    public func allowsServer(_ serverID: String) -> Bool {
        allowedServerIDs.map { $0.contains(serverID) } ?? true
    }

    /// `sftpidp:KeyExpiry`: public key fingerprint -> expiry.
    public var keyExpiry: [String: Date] {
        var reported: [FieldError] = []
        return OwnKeysReading(secret: secret).keyExpiry(&reported)
    }

    /// `sftpidp:Comment`: a note for administrators.
    public var comment: String? {
        var reported: [FieldError] = []
        return OwnKeysReading(secret: secret).comment(&reported)
    }
}

import IdentityModel

/// One question of the SFTP service: may this user log in? Every field is the text as it arrived, possibly missing.
///
/// A missing or empty `password` means public-key authentication. The description never shows the password.
public struct LoginRequest: Sendable, CustomStringConvertible {
    /// The SFTP server id, e.g. `s-0123456789abcdef0`.
    public var serverID: String?
    /// The user name, already URL-decoded.
    public var username: String?
    /// The password; `nil` or empty for public-key authentication. Never log it.
    public var password: String?
    /// `SFTP`, `FTP` or `FTPS` as sent (any case).
    public var protocolName: String?
    /// The client's IPv4 or IPv6 address as text.
    public var sourceIP: String?

    public init(serverID: String?, username: String?, password: String?, protocolName: String?, sourceIP: String?) {
        self.serverID = serverID
        self.username = username
        self.password = password
        self.protocolName = protocolName
        self.sourceIP = sourceIP
    }

    /// How the client authenticates: by password when one was sent, otherwise by public key.
    public var authentication: AuthenticationMethod {
        (password ?? "").isEmpty ? .publicKey : .password
    }

    public var description: String {
        "login of \(username ?? "(no user)") on \(serverID ?? "(no server)") over \(protocolName ?? "(no protocol)") from \(sourceIP ?? "(no source IP)") by \(authentication.rawValue)"
    }
}

/// How a client proves who it is.
public enum AuthenticationMethod: String, Sendable, Hashable, Codable {
    /// A password checked by the identity provider.
    case password
    /// A public key: the identity provider returns the keys, the SFTP service checks the signature.
    case publicKey = "public key"
}

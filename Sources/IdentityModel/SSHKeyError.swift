/// Why a line is not an OpenSSH public key we accept; the reason says what to do instead.
public struct SSHKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A human explanation; it may quote the key type, never a private key.
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

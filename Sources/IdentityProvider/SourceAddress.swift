import IdentityModel

/// The client address of a login as the throttle counts it: an IPv4 address, or the /64 network of an IPv6
/// address (one subscriber usually holds a whole /64, so counting single IPv6 addresses would count nothing).
///
/// Parsing is strict: only hex digits, dots and colons, so a zone id (`fe80::1%eth0`), a NUL smuggled in by
/// URL decoding (`10.0.0.1%00x`), spaces or any other spelling are refused instead of being read as something else.
/// An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is its IPv4 address.
public struct SourceAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address as parsed (an IPv4-mapped address stays IPv6 here).
    public let address: IPAddress
    /// What is counted: the 4 IPv4 bytes, or the first 8 bytes of an IPv6 address.
    public let counterKey: [UInt8]

    /// The address in `text`, or `nil` when it is not exactly an IPv4 or IPv6 address.
    public init?(parsing text: String) {
        guard !text.isEmpty, text.utf8.count <= 45,
              text.utf8.allSatisfy({ Self.allowedBytes.contains($0) }),
              let parsed = IPAddress(parsing: text) else { return nil }
        address = parsed
        let counted = parsed.ipv4Mapped ?? parsed
        counterKey = counted.isIPv4 ? counted.bytes : Array(counted.bytes.prefix(8))
    }

    /// `203.0.113.9`, or `2001:db8:1:2::/64` for an IPv6 address.
    public var description: String {
        guard counterKey.count == 8, let network = IPAddress(bytes: counterKey + Array(repeating: 0, count: 8)) else {
            return IPAddress(bytes: counterKey)?.description ?? address.description
        }
        return "\(network)/64"
    }

    private static let allowedBytes = Set("0123456789abcdefABCDEF.:".utf8)
}

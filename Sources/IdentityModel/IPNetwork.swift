/// An IPv4 or IPv6 network in CIDR form; host bits in the text are tolerated and cleared.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address, host bits cleared.
    public let address: IPAddress
    /// The prefix length: 0...32 for IPv4, 0...128 for IPv6.
    public let prefixLength: Int

    /// Parses `10.0.0.0/8`, `10.1.2.3/8` (host bits ignored), `2001:db8::/32`, or a bare address (a /32 or /128).
    public init(parsing text: String, field: String = SecretKey.acceptedIpNetwork) throws(FieldError) {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let addressText = parts.first, let address = IPAddress(parsing: String(addressText)) else {
            throw FieldError(field: field, rule: "\"\(trimmed.prefix(64))\" is not an IPv4 or IPv6 address or CIDR network")
        }
        let maximum = address.bytes.count * 8
        var prefixLength = maximum
        if parts.count == 2 {
            guard let length = Int(parts[1]), parts[1].allSatisfy(\.isNumber), (0...maximum).contains(length) else {
                throw FieldError(field: field, rule: "\"\(trimmed.prefix(64))\" has a prefix length that is not a number from 0 to \(maximum)")
            }
            prefixLength = length
        }
        self.init(address: address, prefixLength: prefixLength)
    }

    /// A network from an address (host bits cleared) and a prefix length clamped to the address family.
    public init(address: IPAddress, prefixLength: Int) {
        let length = max(0, min(prefixLength, address.bytes.count * 8))
        self.prefixLength = length
        self.address = IPAddress(bytes: Self.masked(address.bytes, prefixLength: length)) ?? address
    }

    /// Parses a comma-separated list such as `10.0.0.0/8, 2001:db8::/32`. Throws on the first bad entry; an empty text is an empty list.
    public static func parseList(_ text: String, field: String = SecretKey.acceptedIpNetwork) throws(FieldError) -> [IPNetwork] {
        var networks: [IPNetwork] = []
        for part in text.split(separator: ",") {
            let entry = part.trimmingSpaces
            if entry.isEmpty { continue }
            networks.append(try IPNetwork(parsing: entry, field: field))
        }
        return networks
    }

    /// Whether `address` is in this network. IPv4-mapped IPv6 addresses (`::ffff:10.1.2.3`) match IPv4 networks
    /// and the other way round for IPv4-mapped IPv6 networks.
    public func contains(_ address: IPAddress) -> Bool {
        let network = normalized
        let candidate = address.ipv4Mapped ?? address
        guard network.address.bytes.count == candidate.bytes.count else { return false }
        return Self.masked(candidate.bytes, prefixLength: network.prefixLength) == network.address.bytes
    }

    /// The canonical text: network address (host bits cleared) and prefix, e.g. `10.0.0.0/8`, `2001:db8::/32`.
    public var description: String { "\(address)/\(prefixLength)" }

    /// An IPv4-mapped IPv6 network (`::ffff:10.0.0.0/104`) as the IPv4 network it stands for.
    private var normalized: IPNetwork {
        if let v4 = address.ipv4Mapped, prefixLength >= 96 {
            return IPNetwork(address: v4, prefixLength: prefixLength - 96)
        }
        return self
    }

    private static func masked(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bitsInByte = max(0, min(8, prefixLength - index * 8))
            let mask: UInt8 = bitsInByte == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - bitsInByte))
            return byte & mask
        }
    }
}

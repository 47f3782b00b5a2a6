/// Reads the SSH wire encoding of RFC 4251 (uint32-length-prefixed strings) from a public key blob.
struct SSHWireReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { offset == bytes.count }

    /// The next length-prefixed string, or `nil` when the blob ends before it does.
    mutating func readString() -> ArraySlice<UInt8>? {
        guard bytes.count - offset >= 4 else { return nil }
        let length = bytes[offset..<offset + 4].reduce(0) { ($0 << 8) | Int($1) }
        offset += 4
        guard bytes.count - offset >= length else { return nil }
        defer { offset += length }
        return bytes[offset..<offset + length]
    }

    /// The next string decoded as UTF-8 text, or `nil` when truncated or not UTF-8.
    mutating func readText() -> String? {
        guard let raw = readString() else { return nil }
        return String(validating: raw, as: UTF8.self)
    }
}

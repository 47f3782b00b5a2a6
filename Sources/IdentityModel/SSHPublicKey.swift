import Crypto
import Foundation

/// One OpenSSH public key (`type base64 [comment]`), its blob checked and its fingerprint computed as ssh-keygen does.
public struct SSHPublicKey: Sendable, Hashable {
    /// The key types we accept, in the order they are listed in messages.
    public static let acceptedAlgorithms = [
        "ssh-rsa", "ssh-ed25519",
        "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ]
    /// The longest key line accepted (the contract's limit).
    public static let maximumLineLength = 2048

    /// The key type as written before the base64 blob, e.g. `ssh-ed25519`.
    public let algorithm: String
    /// The decoded key blob in SSH wire format.
    public let blob: [UInt8]
    /// The comment after the blob, if any (may contain spaces).
    public let comment: String?
    /// The key size as `ssh-keygen -l` reports it: RSA modulus bits, 256 for ed25519, the curve size for ECDSA.
    public let bits: Int
    /// `SHA256:` and the unpadded base64 of the SHA-256 of the blob, as `ssh-keygen -l` prints it. Computed when
    /// asked: listing 100,000 users parses every key and shows no fingerprint.
    public var fingerprint: String {
        var digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        while digest.last == "=" { digest.removeLast() }
        return "SHA256:" + digest
    }

    /// Parses one OpenSSH public key line. authorized_keys options, private keys, SSH2 and PEM formats are refused
    /// with a message that says what to paste instead.
    public init(parsing line: String) throws(SSHKeyError) {
        let text = line.trimmingWhitespace
        try Self.rejectOtherFormats(text)
        // No more characters than bytes: counting Characters (a walk with grapheme breaks) only for long lines.
        guard text.utf8.count <= Self.maximumLineLength || text.count <= Self.maximumLineLength else {
            throw SSHKeyError(reason: "the key line is \(text.count) characters long; at most \(Self.maximumLineLength) are accepted")
        }
        guard !text.containsLineBreak else {
            throw SSHKeyError(reason: "the key spans several lines; give one key per line in OpenSSH format (the .pub file)")
        }
        // Split on the bytes of space and tab (ASCII, so never inside another character's UTF-8): splitting the
        // String itself walked it Character by Character, a third of parsing a key.
        let fields = text.utf8.split(maxSplits: 2, omittingEmptySubsequences: true, whereSeparator: { $0 == 0x20 || $0 == 0x09 })
            .map(Substring.init)
        guard let first = fields.first else { throw SSHKeyError(reason: "the key is empty") }
        let algorithm = String(first)
        guard Self.acceptedAlgorithms.contains(algorithm) else {
            if fields.dropFirst().contains(where: { Self.acceptedAlgorithms.contains(String($0)) }) || algorithm.contains("=") {
                throw SSHKeyError(reason: "authorized_keys options (like from=, command=, no-pty) are not accepted: give only the key, type base64 [comment]")
            }
            throw SSHKeyError(reason: "unknown key type; accepted types: \(Self.acceptedAlgorithms.joined(separator: ", "))")
        }
        guard fields.count >= 2 else {
            throw SSHKeyError(reason: "the key data (base64) is missing after the key type")
        }
        guard let data = Data(base64Encoded: String(fields[1])), !data.isEmpty else {
            throw SSHKeyError(reason: "the key data is not valid base64 (truncated or damaged when copied?)")
        }
        let blob = [UInt8](data)
        self.algorithm = algorithm
        self.blob = blob
        self.bits = try Self.decodeBits(blob: blob, algorithm: algorithm)
        let comment = fields.count > 2 ? fields[2].trimmingWhitespace : ""
        self.comment = comment.isEmpty ? nil : comment
    }

    /// The type label that `ssh-keygen -l` prints in parentheses: `RSA`, `ED25519`, `ECDSA`, `ED25519-SK`, `ECDSA-SK`.
    public var keyTypeLabel: String {
        switch algorithm {
        case "ssh-rsa": "RSA"
        case "ssh-ed25519": "ED25519"
        case "sk-ssh-ed25519@openssh.com": "ED25519-SK"
        case "sk-ecdsa-sha2-nistp256@openssh.com": "ECDSA-SK"
        default: "ECDSA"
        }
    }

    /// `type base64`, the key without its comment.
    public var lineWithoutComment: String {
        "\(algorithm) \(Data(blob).base64EncodedString())"
    }

    /// `type base64 comment`, the key as it appears in a .pub file.
    public var openSSHLine: String {
        comment.map { "\(lineWithoutComment) \($0)" } ?? lineWithoutComment
    }

    /// Exactly what `ssh-keygen -lf file.pub` prints: `2048 SHA256:... comment (RSA)`.
    public var fingerprintLine: String {
        "\(bits) \(fingerprint) \(comment ?? "no comment") (\(keyTypeLabel))"
    }

    private static func rejectOtherFormats(_ text: String) throws(SSHKeyError) {
        if text.isEmpty {
            throw SSHKeyError(reason: "the key is empty")
        }
        if text.includes("PRIVATE KEY-----") || text.includes("PRIVATE KEY ----") || text.hasPrefix("PuTTY-User-Key-File-") {
            throw SSHKeyError(reason: "this is a PRIVATE key: paste the .pub file instead (never share the private key)")
        }
        if text.includes("BEGIN SSH2 PUBLIC KEY") {
            throw SSHKeyError(reason: "SSH2/RFC4716 format (---- BEGIN SSH2 PUBLIC KEY ----): convert with ssh-keygen -i -f FILE")
        }
        if text.includes("BEGIN RSA PUBLIC KEY-----") {
            throw SSHKeyError(reason: "PEM format (-----BEGIN RSA PUBLIC KEY-----): convert with ssh-keygen -i -m PEM -f FILE")
        }
        if text.includes("BEGIN PUBLIC KEY-----") {
            throw SSHKeyError(reason: "PEM/PKCS8 format (-----BEGIN PUBLIC KEY-----): convert with ssh-keygen -i -m PKCS8 -f FILE")
        }
    }

    /// Walks the blob's fields for `algorithm`, checking the inner type and that nothing is missing or left over.
    private static func decodeBits(blob: [UInt8], algorithm: String) throws(SSHKeyError) -> Int {
        let truncated = SSHKeyError(reason: "the key data is truncated or damaged (the \(algorithm) fields are incomplete)")
        var reader = SSHWireReader(blob)
        guard let innerType = reader.readText() else { throw truncated }
        guard innerType == algorithm else {
            throw SSHKeyError(reason: "the key data says its type is \(innerType.prefix(64)), but the line says \(algorithm): the key is damaged or edited")
        }
        let bits: Int
        switch algorithm {
        case "ssh-rsa":
            guard reader.readString() != nil, let modulus = reader.readString() else { throw truncated }
            bits = significantBits(modulus)
            guard bits >= 1024 else {
                throw SSHKeyError(reason: "the RSA key has \(bits) bits; at least 1024 are required")
            }
        case "ssh-ed25519", "sk-ssh-ed25519@openssh.com":
            guard let point = reader.readString() else { throw truncated }
            guard point.count == 32 else { throw SSHKeyError(reason: "the ed25519 public key must be 32 bytes, found \(point.count)") }
            bits = 256
        default:
            guard let curve = reader.readText(), let point = reader.readString() else { throw truncated }
            guard let expected = curveBits[curve], algorithm.contains(curve) else {
                throw SSHKeyError(reason: "the ECDSA curve \(curve.prefix(32)) does not match the key type \(algorithm)")
            }
            let coordinateBytes = (expected + 7) / 8
            guard point.count == 1 + 2 * coordinateBytes, point.first == 0x04, isOnCurve(point, curve: curve) else {
                throw SSHKeyError(reason: "the ECDSA public key is not a valid uncompressed \(curve) point: the key is damaged")
            }
            bits = expected
        }
        if algorithm.hasPrefix("sk-") {
            guard reader.readText() != nil else { throw truncated }
        }
        guard reader.isAtEnd else {
            throw SSHKeyError(reason: "the key data has extra bytes after the \(algorithm) fields: the key is damaged")
        }
        return bits
    }

    private static let curveBits = ["nistp256": 256, "nistp384": 384, "nistp521": 521]

    /// Whether swift-crypto accepts `point` (0x04 || X || Y) as a public key on `curve`.
    private static func isOnCurve(_ point: ArraySlice<UInt8>, curve: String) -> Bool {
        switch curve {
        case "nistp256": (try? P256.Signing.PublicKey(x963Representation: point)) != nil
        case "nistp384": (try? P384.Signing.PublicKey(x963Representation: point)) != nil
        case "nistp521": (try? P521.Signing.PublicKey(x963Representation: point)) != nil
        default: false
        }
    }

    /// The number of significant bits of an SSH mpint (leading zero bytes ignored), as OpenSSL's BN_num_bits counts.
    private static func significantBits(_ mpint: ArraySlice<UInt8>) -> Int {
        guard let firstIndex = mpint.firstIndex(where: { $0 != 0 }) else { return 0 }
        let byteCount = mpint.endIndex - firstIndex
        return (byteCount - 1) * 8 + (8 - mpint[firstIndex].leadingZeroBitCount)
    }
}

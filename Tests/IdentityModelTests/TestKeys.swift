import Foundation
@testable import IdentityModel

/// Well-formed ed25519 public key lines with random key bytes, for model tests that do not need ssh-keygen.
enum TestKeys {
    static func wireString(_ bytes: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt32(bytes.count).bigEndian, Array.init) + bytes
    }

    static func ed25519Line(comment: String? = nil) -> String {
        var generator = SystemRandomNumberGenerator()
        let point = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let blob = wireString(Array("ssh-ed25519".utf8)) + wireString(point)
        let line = "ssh-ed25519 \(Data(blob).base64EncodedString())"
        return comment.map { "\(line) \($0)" } ?? line
    }

    static func ed25519(comment: String? = nil) throws -> SSHPublicKey {
        try SSHPublicKey(parsing: ed25519Line(comment: comment))
    }
}

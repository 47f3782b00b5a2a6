import CPasswordHash
import Crypto
import Foundation

/// The result of checking a password against what is stored.
public enum PasswordCheck: Sendable, Hashable {
    case match
    case mismatch
    /// The stored value cannot be checked (unknown format, malformed, or too costly); the reason names the format, never the value.
    case unsupportedHash(String)
}

/// Checks a password against a ``StoredPassword`` of any supported format, in constant time where it compares.
public enum PasswordVerifier {
    /// The most rounds a bcrypt hash may ask for (`$2b$16$`: 2^16 rounds), so a hostile secret cannot stall a thread.
    public static let maximumBcryptCost = 16
    /// The most rounds a sha512-crypt hash may ask for (`rounds=`; the default is 5000).
    public static let maximumSHA512CryptRounds = 1_000_000

    /// `.match` only when `password` is the stored one. Empty passwords and passwords over 1024 characters never match.
    public static func verify(_ password: String, against stored: StoredPassword) -> PasswordCheck {
        guard !password.isEmpty, password.count <= Validation.maximumPasswordLength else { return .mismatch }
        switch stored {
        case .legacyPlainText(let plain):
            return constantTimeEqual(Array(SHA256.hash(data: Data(password.utf8))), Array(SHA256.hash(data: Data(plain.utf8))))
                ? .match : .mismatch
        case .hash(let hash):
            if let refusal = refusal(of: hash) { return .unsupportedHash(refusal) }
            switch PasswordKind(hashString: hash) {
            case .argon2id: return verifyArgon2(password, hash: hash, type: Argon2_id)
            case .argon2i: return verifyArgon2(password, hash: hash, type: Argon2_i)
            case .bcrypt, .yescrypt, .sha512crypt: return verifyCrypt(password, hash: hash)
            case .legacyPlainText, .unsupported: return .unsupportedHash("the stored hash is not in a supported format")
            }
        }
    }

    /// Why a stored hash string is refused without hashing anything (an unknown format, unreadable or too
    /// costly parameters), or `nil` when ``verify(_:against:)`` will hash the password to check it.
    ///
    /// The argon2 limit is ``Argon2Parameters``'s, the one ``PasswordHasher`` makes hashes within.
    public static func refusal(of hash: String) -> String? {
        switch PasswordKind(hashString: hash) {
        case .argon2id, .argon2i:
            guard let cost = Argon2Parameters(ofHash: hash) else {
                return "the argon2 hash has no readable m=, t=, p= parameters"
            }
            guard (try? Argon2Parameters(memoryKiB: cost.memoryKiB, iterations: cost.iterations, parallelism: cost.parallelism)) != nil else {
                return "the argon2 hash asks for more than sftpidp allows (\(Argon2Parameters.limitsDescription))"
            }
            return nil
        case .bcrypt:
            let fields = hash.split(separator: "$", omittingEmptySubsequences: true)
            guard fields.count >= 2, let cost = Int(fields[1]), cost <= maximumBcryptCost else {
                return "the bcrypt hash has no readable cost or asks for more than 2^\(maximumBcryptCost) rounds"
            }
            return nil
        case .sha512crypt:
            let fields = hash.split(separator: "$", omittingEmptySubsequences: true)
            if fields.count >= 2, fields[1].hasPrefix("rounds=") {
                guard let rounds = Int(fields[1].dropFirst("rounds=".count)), rounds <= maximumSHA512CryptRounds else {
                    return "the sha512-crypt hash asks for more than \(maximumSHA512CryptRounds) rounds"
                }
            }
            return nil
        case .yescrypt:
            return nil
        case .legacyPlainText, .unsupported:
            return "the stored hash is not in a supported format (argon2id, argon2i, bcrypt, yescrypt, sha512-crypt)"
        }
    }

    private static func verifyArgon2(_ password: String, hash: String, type: argon2_type) -> PasswordCheck {
        let bytes = Array(password.utf8)
        let status = bytes.withUnsafeBytes { buffer in
            argon2_verify(hash, buffer.baseAddress, buffer.count, type)
        }
        switch status {
        case ARGON2_OK.rawValue: return .match
        case ARGON2_VERIFY_MISMATCH.rawValue: return .mismatch
        default: return .unsupportedHash("the argon2 hash cannot be read: \(Argon2Status.message(status))")
        }
    }

    private static func verifyCrypt(_ password: String, hash: String) -> PasswordCheck {
        guard !password.utf8.contains(0) else { return .mismatch }
        var output = [CChar](repeating: 0, count: cpasswordhash_crypt_output_size())
        let status = cpasswordhash_crypt(password, hash, &output, output.count)
        defer { for index in output.indices { output[index] = 0 } }
        guard status == 0 else {
            return .unsupportedHash("libcrypt cannot read this \(PasswordKind(hashString: hash).label) hash")
        }
        let computed = output.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
        // For a well-formed hash the output has exactly the stored length; a bare setting such as "$6$salt" does not.
        guard computed.count == hash.utf8.count else {
            return .unsupportedHash("the stored \(PasswordKind(hashString: hash).label) hash is incomplete or malformed")
        }
        return constantTimeEqual(computed, Array(hash.utf8)) ? .match : .mismatch
    }

    /// Compares without an early exit: the time depends on the lengths only, never on where the bytes differ.
    static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        difference |= UInt8(truncatingIfNeeded: (left.count ^ right.count) >> 8)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0 && left.count == right.count
    }
}

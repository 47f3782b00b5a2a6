import CPasswordHash

/// Why a password could not be hashed (the library's reason; never the password).
public struct PasswordHashError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// Hashes new passwords with argon2id (libargon2) into a PHC string for the `PasswordHash` key.
public enum PasswordHasher {
    /// Bytes of random salt per hash.
    public static let saltLength = 16
    /// Bytes of argon2id output per hash.
    public static let hashLength = 32

    /// `$argon2id$v=19$m=...,t=...,p=...$salt$hash` with a fresh 16-byte random salt and a 32-byte hash.
    /// Throws ``FieldError`` for an empty or over-long password, ``PasswordHashError`` if libargon2 fails.
    public static func hash(_ password: String, parameters: Argon2Parameters = .default) throws -> String {
        if let error = Validation.password(password) { throw error }
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<saltLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let encodedLength = argon2_encodedlen(parameters.iterations, parameters.memoryKiB, parameters.parallelism,
                                              UInt32(saltLength), UInt32(hashLength), Argon2_id)
        var encoded = [CChar](repeating: 0, count: encodedLength)
        let passwordBytes = Array(password.utf8)
        let status = passwordBytes.withUnsafeBytes { passwordBuffer in
            salt.withUnsafeBytes { saltBuffer in
                argon2id_hash_encoded(parameters.iterations, parameters.memoryKiB, parameters.parallelism,
                                      passwordBuffer.baseAddress, passwordBuffer.count,
                                      saltBuffer.baseAddress, saltBuffer.count,
                                      hashLength, &encoded, encoded.count)
            }
        }
        guard status == ARGON2_OK.rawValue else {
            throw PasswordHashError(reason: "argon2id hashing failed: \(Argon2Status.message(status))")
        }
        return String(decoding: encoded.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// libargon2 status codes as text.
enum Argon2Status {
    static func message(_ code: Int32) -> String {
        guard let text = argon2_error_message(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

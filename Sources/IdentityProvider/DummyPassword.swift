import IdentityModel

/// A password hash made once per process and checked whenever there is no real one (no such user, no password
/// configured), so that those denials cost the same hashing time as a wrong password.
enum DummyPassword {
    static let stored: StoredPassword? = {
        var bytes = [UInt8](repeating: 0, count: 24)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        let secret = bytes.map { String($0, radix: 16) }.joined()
        return (try? PasswordHasher.hash(secret)).map(StoredPassword.hash)
    }()

    /// Spends the time of one argon2id check on `password` and throws the result away.
    static func spendVerificationTime(on password: String) {
        if let stored {
            _ = PasswordVerifier.verify(password, against: stored)
        }
    }
}

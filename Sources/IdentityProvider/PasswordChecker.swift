import Foundation
import IdentityModel

/// Checks the password of a password login at one fixed price: exactly one hash verification on the
/// ``PasswordHashingPool``, whatever is stored.
///
/// A supported hash within the limits is verified for real. Everything else is verified against a dummy
/// argon2id hash made with the configured parameters and then refused: no user, no password configured, a
/// legacy plain-text password (compared in constant time besides), an unsupported or malformed hash, an argon2
/// hash that takes more memory or passes than the configured parameters. So the answer's timing does not tell
/// whether the user exists or how the password is stored. (A cheaper hash, or a bcrypt, yescrypt or
/// sha512-crypt one, costs its own time: see docs/security.md.)
public final class PasswordChecker: Sendable {
    /// How password checks run.
    public struct Configuration: Sendable {
        /// Threads that hash passwords; defaults to the number of processors.
        public var threads: Int
        /// Password checks that may wait for a thread; past that a password login is denied at once.
        public var queueLimit: Int
        /// The configured argon2 cost (`SFTPIDP_ARGON2`): new passwords are hashed with it, the dummy hash is made
        /// with it, and a stored argon2 hash that costs more is refused after a dummy verification.
        public var parameters: Argon2Parameters
        /// The hash verification itself; tests wrap it to count verifications.
        public var verifyHash: @Sendable (String, StoredPassword) -> PasswordCheck

        public init(
            threads: Int = ProcessInfo.processInfo.activeProcessorCount,
            queueLimit: Int = 64,
            parameters: Argon2Parameters = .default,
            verifyHash: @escaping @Sendable (String, StoredPassword) -> PasswordCheck = PasswordVerifier.verify
        ) {
            self.threads = threads
            self.queueLimit = queueLimit
            self.parameters = parameters
            self.verifyHash = verifyHash
        }

        /// A problem with these settings naming the option and the rule, or `nil` when they are usable.
        public var validationError: String? {
            if !(1...256).contains(threads) { return "the password hashing threads must be 1 to 256" }
            if !(0...100_000).contains(queueLimit) { return "the password hashing queue limit must be 0 to 100000" }
            return nil
        }
    }

    /// What a check came to.
    public enum Outcome: Sendable, Hashable {
        /// The password is right; the label names the format ("argon2id", "legacy plain text"...).
        case match(kind: PasswordKind)
        /// The password is wrong, or there was nothing to compare with.
        case mismatch
        /// What is stored cannot be checked (unsupported, malformed, too costly): always a denial.
        case unusable(String)
        /// The hashing queue is full: denied without checking.
        case busy
    }

    public let configuration: Configuration
    /// The threads and queue the checks run on.
    public let pool: PasswordHashingPool
    private let dummy: StoredPassword

    /// Makes the dummy hash (one argon2id hash at the configured cost) and the pool (threads start on first use).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.pool = PasswordHashingPool(threads: configuration.threads, queueLimit: configuration.queueLimit)
        self.dummy = Self.makeDummy(parameters: configuration.parameters)
    }

    /// Checks `password` against `stored` (`nil`: no user, or no password for the protocol) with one verification.
    public func check(_ password: String, against stored: StoredPassword?) async -> Outcome {
        let verifyHash = configuration.verifyHash
        switch stored {
        case .hash(let hash):
            if let refusal = PasswordVerifier.refusal(of: hash) ?? overCostRefusal(of: hash) {
                guard await spendDummyVerification(password) else { return .busy }
                return .unusable(refusal)
            }
            let dummy = self.dummy
            guard let result = await pool.run({ verifyHash(password, .hash(hash)) }) else { return .busy }
            switch result {
            case .match: return .match(kind: PasswordKind(hashString: hash))
            case .mismatch: return .mismatch
            case .unsupportedHash(let reason):
                // libcrypt or libargon2 could not read it after all: that was cheap, so pay the full price now.
                _ = await pool.run { verifyHash(password, dummy) }
                return .unusable(reason)
            }
        case .legacyPlainText(let plain):
            guard await spendDummyVerification(password) else { return .busy }
            return PasswordVerifier.verify(password, against: .legacyPlainText(plain)) == .match ? .match(kind: .legacyPlainText) : .mismatch
        case nil:
            guard await spendDummyVerification(password) else { return .busy }
            return .mismatch
        }
    }

    /// Why an argon2 hash is refused for costing more than the configured parameters, or `nil` when it does not.
    ///
    /// Verifying it would take longer than the dummy verification that unknown users cost, telling that the user
    /// exists. The reason names the parameters (never the hash) and both ways out.
    public func overCostRefusal(of hash: String) -> String? {
        let configured = configuration.parameters
        guard let cost = Argon2Parameters(ofHash: hash), cost.costsMore(than: configured) else {
            return nil
        }
        return "the argon2 hash (\(cost)) costs more than the configured \(configured): set a new password, or raise "
            + "SFTPIDP_ARGON2 (the config's argon2) to at least m=\(max(cost.memoryKiB, configured.memoryKiB)),"
            + "t=\(max(cost.iterations, configured.iterations))"
    }

    /// One verification against the dummy hash, its result thrown away; `false` when the queue was full.
    private func spendDummyVerification(_ password: String) async -> Bool {
        let verifyHash = configuration.verifyHash
        let dummy = self.dummy
        return await pool.run { _ = verifyHash(password, dummy) } != nil
    }

    /// An argon2id hash of a random string nobody knows.
    private static func makeDummy(parameters: Argon2Parameters) -> StoredPassword {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<24).map { _ in String(UInt8.random(in: .min ... .max, using: &generator), radix: 16) }.joined()
        do {
            return .hash(try PasswordHasher.hash(secret, parameters: parameters))
        } catch {
            // Only a libargon2 failure on valid parameters gets here; without a dummy the timing defence is gone.
            fatalError("sftpidp could not make its dummy password hash: \(error)")
        }
    }
}

import Foundation
import IdentityModel

/// Keys, hashes and names the handler tests share. The keys were made by ssh-keygen, the bcrypt, argon2id
/// (p=4) and argon2i hashes by Python bcrypt and argon2-cffi, sha512-crypt by `openssl passwd -6`, yescrypt by
/// libxcrypt; all of the password `correct horse`.
enum Fixture {
    static let serverID = "s-0123456789abcdef0"
    static let otherServerID = "s-0fedcba9876543210"
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
    static let ftpRole = "arn:aws:iam::012345678901:role/FTPOnlyRole"
    static let password = "correct horse"

    static let key1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILSM73oWUphH3J7JAeB1L5Eg5ZqEC0/idXBSJ2V5c//v key1@test"
    static let key2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE9N1w3R2OEzKiJgmsYp4tXZrG+2jS+GCZ/yMTHDAqGn key2@test"
    static let key3 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOzJSkiV8ioK+MtzjPqTDBgjDmXXEDL9jCcoInx/qOO8 key3@test"
    static let ecdsaKey = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFfhnhviLWSUnuH7UfrsirWSBfw4pIwQIRcAeIGZ9rkpAcDqWT8JzyV2UonN864/KYMz3PlEBIvGZNZNLlUfWJI= ecdsa@test"

    static let bcryptHash = "$2b$04$BtqUHAcZnSJKgHboi9em.ucDFgg19pn.rF4JBlgzlgT5NcoEF8pya"
    static let argon2idP4Hash = "$argon2id$v=19$m=1024,t=1,p=4$xmY8h/b4BYzeXm6z0T7ZwQ$Bkzbb5G2EezQ1VVqoK80vKNNewLkDkZbCgm+q50U56A"
    static let argon2iHash = "$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHRzYWx0$ZGeQVFKJg/FSTDgJOLdSnPc4S+vLUMW3l/aUf/Cd0zM"
    static let sha512CryptHash = "$6$abcdefgh$yIZAF3gQPvtKZO/9qOJKffAKKbtS3ef3qmwyugk4uWVjX8YZf/GV3A8SkFxEPY0T56CcilGrHKLffBsp6dLMG."
    static let yescryptHash = "$y$j9T$abcdefghijklmnop$0Hi8KsZH/hAMRN9Bam6ce3nmi5QAIz3R/KeaXG/c7p9"

    /// An argon2id hash of ``password`` made by the model's own hasher, cheap parameters to keep tests quick.
    static let modelHash: String = {
        do {
            return try PasswordHasher.hash(password, parameters: Argon2Parameters(memoryKiB: 1024, iterations: 1, parallelism: 1))
        } catch {
            fatalError("the model's hasher failed on a fixed password: \(error)")
        }
    }()

    /// An argon2id hash of `FTP secret`, for per-protocol overrides.
    static let ftpPasswordHash: String = {
        do {
            return try PasswordHasher.hash("FTP secret", parameters: Argon2Parameters(memoryKiB: 1024, iterations: 1, parallelism: 1))
        } catch {
            fatalError("the model's hasher failed on a fixed password: \(error)")
        }
    }()

    /// The `SHA256:` fingerprint of a fixture key (a fixture that does not parse fails the tests that use it).
    static func fingerprint(of line: String) -> String {
        (try? SSHPublicKey(parsing: line))?.fingerprint ?? "unparseable fixture key"
    }

    /// 2026-06-01T12:00:00Z: "now" in the tests with dates.
    static let now = Date(timeIntervalSince1970: 1_780_315_200)
}

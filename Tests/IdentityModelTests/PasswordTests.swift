import Foundation
import Testing
@testable import IdentityModel

/// Hashes made during the run by other implementations (argon2-cffi, bcrypt, libcrypt via Python) must verify,
/// and ours must verify with argon2-cffi. Failure messages never show a password or a hash.
@Suite struct PasswordTests {
    static let password = "correct horse battery staple ü€"
    static let wrong = "correct horse battery stapla ü€"

    /// Runs `program` with the password on stdin and returns the single line it prints (a hash).
    static func hashWithPython(_ program: String, password: String = password) throws -> String {
        try ExternalTool.python(program, input: password).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func isMatch(_ password: String, _ stored: StoredPassword) -> Bool {
        PasswordVerifier.verify(password, against: stored) == .match
    }

    /// The right password matches `hash`, a wrong one does not, and the kind is detected. Only booleans reach
    /// `#expect`, so a failure never prints the password or the hash.
    static func expectVerifies(_ hash: String, kind: PasswordKind, sourceLocation: SourceLocation = #_sourceLocation) {
        let detected = StoredPassword.hash(hash).kind
        let rightMatches = isMatch(password, .hash(hash))
        let wrongMatches = isMatch(wrong, .hash(hash))
        #expect(detected == kind, sourceLocation: sourceLocation)
        #expect(rightMatches, "the \(kind.label) hash did not verify", sourceLocation: sourceLocation)
        #expect(!wrongMatches, "a wrong password verified against the \(kind.label) hash", sourceLocation: sourceLocation)
    }

    @Test func argon2CffiDefaultHashVerifies() throws {
        let hash = try Self.hashWithPython("import sys, argon2; print(argon2.PasswordHasher().hash(sys.stdin.read()))")
        let isDefaultArgon2id = hash.hasPrefix("$argon2id$v=19$") && hash.contains("p=4")
        #expect(isDefaultArgon2id, "argon2-cffi did not produce an argon2id p=4 hash")
        Self.expectVerifies(hash, kind: .argon2id)
    }

    @Test func argon2iHashVerifies() throws {
        let hash = try Self.hashWithPython(
            "import sys, argon2; print(argon2.PasswordHasher(type=argon2.Type.I, time_cost=3, memory_cost=4096, parallelism=2).hash(sys.stdin.read()))")
        Self.expectVerifies(hash, kind: .argon2i)
    }

    @Test func ourArgon2idHashVerifiesWithArgon2Cffi() throws {
        let hash = try PasswordHasher.hash(Self.password)
        let hasDefaultParameters = hash.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$")
        #expect(hasDefaultParameters, "our hash does not carry the default parameters")
        let parts = hash.split(separator: "$")
        let saltLength = parts.count == 5 ? Data(base64Encoded: String(parts[3]) + "==")?.count : nil
        let hashLength = parts.count == 5 ? Data(base64Encoded: String(parts[4]) + "=")?.count : nil
        #expect(saltLength == 16, "salt is not 16 bytes")
        #expect(hashLength == 32, "hash is not 32 bytes")
        Self.expectVerifies(hash, kind: .argon2id)
        let program = """
        import sys, argon2
        stored, password = sys.stdin.read().split("\\n", 1)
        try:
            argon2.PasswordHasher().verify(stored, password)
            print("match")
        except argon2.exceptions.VerifyMismatchError:
            print("mismatch")
        """
        let right = try ExternalTool.python(program, input: hash + "\n" + Self.password) == "match\n"
        let wrong = try ExternalTool.python(program, input: hash + "\n" + Self.wrong) == "mismatch\n"
        #expect(right, "argon2-cffi rejected our hash")
        #expect(wrong, "argon2-cffi accepted a wrong password")
    }

    @Test func saltsDifferBetweenHashes() throws {
        let parameters = try Argon2Parameters(memoryKiB: 1024, iterations: 1, parallelism: 1)
        let first = try PasswordHasher.hash(Self.password, parameters: parameters)
        let second = try PasswordHasher.hash(Self.password, parameters: parameters)
        let differ = first != second
        let hasParameters = first.hasPrefix("$argon2id$v=19$m=1024,t=1,p=1$")
        #expect(differ, "two hashes of one password are equal: the salt is not random")
        #expect(hasParameters, "the chosen parameters are not in the hash")
    }

    @Test func argon2ParametersAreValidated() {
        #expect(throws: FieldError.self) { try Argon2Parameters(memoryKiB: 4, iterations: 2, parallelism: 1) }
        #expect(throws: FieldError.self) { try Argon2Parameters(memoryKiB: 64, iterations: 2, parallelism: 16) }
        #expect(throws: FieldError.self) { try Argon2Parameters(memoryKiB: 19456, iterations: 0, parallelism: 1) }
        #expect(throws: FieldError.self) { try Argon2Parameters(memoryKiB: 19456, iterations: 2, parallelism: 0) }
        #expect(Argon2Parameters.default.memoryKiB == 19456)
    }

    @Test("the argon2 setting: parts in any order, missing ones default, every bad form named")
    func argon2Setting() throws {
        #expect(try Argon2Parameters(setting: "m=65536,t=3,p=4").description == "m=65536,t=3,p=4")
        #expect(try Argon2Parameters(setting: " t = 4 , m=65536").description == "m=65536,t=4,p=1")
        #expect(try Argon2Parameters(setting: "p=2") == Argon2Parameters(memoryKiB: 19456, iterations: 2, parallelism: 2))
        for bad in ["", "m=", "m=-1", "x=3", "m=65536;t=3", "m=65536,,t=3", "m=1e6", "m=99999999999"] {
            #expect(throws: FieldError(field: "argon2 setting", rule: "must be m=KiB,t=ITERATIONS,p=LANES with whole numbers"), "\(bad)") {
                try Argon2Parameters(setting: bad)
            }
        }
        #expect(throws: FieldError(field: "argon2 memory", rule: "must be 8 KiB per lane up to 1048576 KiB (1 GiB)")) {
            try Argon2Parameters(setting: "m=2097152")
        }
        #expect(throws: FieldError(field: "argon2 iterations", rule: "must be 1 to 64")) { try Argon2Parameters(setting: "t=0") }
    }

    @Test("a hash's parameters are read from its PHC string; more memory or more passes cost more, more lanes do not")
    func argon2HashCost() throws {
        let cffiDefault = try #require(Argon2Parameters(ofHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g"))
        #expect(cffiDefault.description == "m=65536,t=3,p=4")
        #expect(cffiDefault.costsMore(than: .default))
        #expect(!cffiDefault.costsMore(than: try Argon2Parameters(setting: "m=65536,t=3,p=1")))
        let morePasses = try #require(Argon2Parameters(ofHash: "$argon2id$v=19$m=19456,t=3,p=1$c2FsdA$aGFzaA"))
        #expect(morePasses.costsMore(than: .default))
        let moreLanes = try #require(Argon2Parameters(ofHash: "$argon2i$v=19$m=4096,t=2,p=8$c2FsdA$aGFzaA"))
        #expect(!moreLanes.costsMore(than: .default))
        // Unchecked: a hostile hash's parameters are read as written, for the refusal to name.
        #expect(Argon2Parameters(ofHash: "$argon2id$v=19$m=4194304,t=1,p=1$c2FsdA$aGFzaA")?.memoryKiB == 4_194_304)
        for unreadable in ["$argon2id$v=19$c2FsdA$aGFzaA", "$argon2id$v=19$m=1,t=x,p=1$c2FsdA$aGFzaA", "$2b$04$abc", ""] {
            #expect(Argon2Parameters(ofHash: unreadable) == nil, "\(unreadable)")
        }
    }

    @Test func emptyAndOverlongPasswordsAreNotHashed() {
        #expect(throws: FieldError.self) { try PasswordHasher.hash("") }
        #expect(throws: FieldError.self) { try PasswordHasher.hash(String(repeating: "a", count: 1025)) }
    }

    @Test(arguments: ["2a", "2b", "2y"])
    func bcryptHashesVerify(variant: String) throws {
        let program = """
        import sys, bcrypt
        hashed = bcrypt.hashpw(sys.stdin.read().encode(), bcrypt.gensalt(rounds=6)).decode()
        print("$\(variant)$" + hashed[4:])
        """
        let hash = try Self.hashWithPython(program)
        Self.expectVerifies(hash, kind: .bcrypt)
    }

    @Test func sha512CryptAndYescryptHashesVerify() throws {
        let sha = try Self.hashWithPython("import sys, crypt; print(crypt.crypt(sys.stdin.read(), crypt.mksalt(crypt.METHOD_SHA512)))")
        // A yescrypt setting with a random 16-byte salt: 22 crypt-base64 characters, the last one carrying 2 bits.
        let yescrypt = try Self.hashWithPython("""
        import secrets, sys, crypt
        a = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
        salt = ''.join(secrets.choice(a) for _ in range(21)) + secrets.choice(a[:4])
        print(crypt.crypt(sys.stdin.read(), '$y$j9T$' + salt))
        """)
        let isYescrypt = yescrypt.hasPrefix("$y$j9T$") && yescrypt.split(separator: "$").count == 4
        #expect(isYescrypt, "Python's crypt did not make a yescrypt hash")
        Self.expectVerifies(sha, kind: .sha512crypt)
        Self.expectVerifies(yescrypt, kind: .yescrypt)
    }

    @Test func legacyPlainTextComparesWholeValues() {
        let results = ["secret", "secre", "secret2", "", "Secret"].map { Self.isMatch($0, .legacyPlainText("secret")) }
        #expect(results == [true, false, false, false, false])
        let emptyMatchesEmpty = Self.isMatch("", .legacyPlainText(""))
        #expect(!emptyMatchesEmpty, "an empty password must never match")
        #expect(StoredPassword.legacyPlainText("x").kindLabel == "legacy plain text")
        #expect(StoredPassword.legacyPlainText("x").isLegacy)
        let described = "\(StoredPassword.legacyPlainText("hunter2"))"
        #expect(described == "StoredPassword(legacy plain text)")
    }

    @Test func constantTimeCompareHandlesLengths() {
        #expect(PasswordVerifier.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!PasswordVerifier.constantTimeEqual([1, 2, 3], [1, 2]))
        #expect(!PasswordVerifier.constantTimeEqual([], [0]))
        #expect(!PasswordVerifier.constantTimeEqual([UInt8](repeating: 0, count: 256), []))
    }

    @Test func unsupportedAndMalformedHashesAreReportedNotMatched() {
        for stored in ["$1$abc$def", "$argon2d$v=19$m=16,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "plain", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
                       "$argon2id$garbage", "$6$", "$6$abc", "$2b$04$short", "$argon2id$v=19$m=64,t=100000,p=1$c2FsdHNhbHQ$aGFzaA", "$y$"] {
            guard case .unsupportedHash(let reason) = PasswordVerifier.verify("pw", against: .hash(stored)) else {
                Issue.record("a malformed or unsupported hash was not reported as unsupported")
                continue
            }
            let leaks = reason.contains(stored)
            #expect(!leaks, "the reason quotes the stored hash")
        }
    }

    @Test func overlongPasswordsNeverMatch() {
        let long = String(repeating: "a", count: 1025)
        #expect(PasswordVerifier.verify(long, against: .legacyPlainText(long)) == .mismatch)
    }
}

@Suite struct PasswordGeneratorTests {
    @Test func generatesFromTheAlphabetAtTheLength() throws {
        for alphabet in [PasswordAlphabet.lettersAndDigits, .lettersDigitsAndSymbols, .noLookAlikes] {
            let password = try PasswordGenerator.generate(length: 64, alphabet: alphabet)
            #expect(password.count == 64)
            #expect(password.allSatisfy(alphabet.characters.contains))
        }
        #expect(!PasswordAlphabet.noLookAlikes.characters.contains("0"))
        #expect(!PasswordAlphabet.noLookAlikes.characters.contains("l"))
        #expect(try PasswordGenerator.generate().count == 24)
    }

    @Test func everyCharacterOfTheAlphabetShowsUp() throws {
        // 62 characters, 20000 draws: a missing character has probability ~62 * e^-322, so this cannot flake.
        let text = try PasswordGenerator.generate(length: 1024, alphabet: .lettersAndDigits)
            + (0..<19).map { _ in try PasswordGenerator.generate(length: 1024, alphabet: .lettersAndDigits) }.joined()
        #expect(Set(text) == Set(PasswordAlphabet.lettersAndDigits.characters))
    }

    @Test func lengthsAndAlphabetsAreValidated() throws {
        #expect(throws: FieldError.self) { try PasswordGenerator.generate(length: 4) }
        #expect(throws: FieldError.self) { try PasswordGenerator.generate(length: 5000) }
        #expect(throws: FieldError.self) { try PasswordAlphabet("aaaaabbbbb") }
        #expect(try PasswordAlphabet("abcdefghij").characters.count == 10)
    }
}

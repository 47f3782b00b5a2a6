import Foundation
import IdentityModel
import IdentityProvider
import Testing

/// Every password login costs exactly one hash verification, whatever is stored: the answer's timing must not
/// tell whether the user exists or how its password is stored. (The benchmark in Benchmarks/HandlerBenchmarks
/// shows the times; here the verifications are counted.)
@Suite("One verification per password login")
struct PasswordCheckCostTests {
    /// A stored situation and what it must come to.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// Secret members of `jess`, or `nil` for no secret at all; a string member `raw` replaces the whole secret.
        var members: [String: JSONValue]?
        var password: String
        var expected: DenialCategory?
        /// Whether the verification must be against the dummy hash rather than the user's.
        var dummy: Bool
        var sourceIP: String = "192.0.2.10"

        var testDescription: String { name }
    }

    static let base: [String: JSONValue] = ["Role": .string(Fixture.role)]
    static let moreMemory = "$argon2id$v=19$m=2048,t=1,p=1$c29tZXNhbHRzYWx0$ZGeQVFKJg/FSTDgJOLdSnPc4S+vLUMW3l/aUf/Cd0zM"
    static let morePasses = "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHRzYWx0$ZGeQVFKJg/FSTDgJOLdSnPc4S+vLUMW3l/aUf/Cd0zM"
    static func with(_ extra: [String: JSONValue]) -> [String: JSONValue] { base.merging(extra) { $1 } }

    static let cases: [Case] = [
        Case(name: "unknown user", members: nil, password: Fixture.password, expected: .unknownUser, dummy: true),
        Case(name: "secret not a JSON object", members: ["raw": .string("not json")], password: Fixture.password, expected: .invalidSecret, dummy: true),
        Case(name: "no password configured", members: with(["PublicKey": .string(Fixture.key1)]), password: Fixture.password, expected: .wrongPassword, dummy: true),
        Case(name: "legacy plain text, right", members: with(["Password": .string(Fixture.password)]), password: Fixture.password, expected: nil, dummy: true),
        Case(name: "legacy plain text, wrong", members: with(["Password": .string(Fixture.password)]), password: "wrong", expected: .wrongPassword, dummy: true),
        Case(name: "unsupported hash", members: with(["PasswordHash": .string("$1$abc$def")]), password: Fixture.password, expected: .invalidSecret, dummy: true),
        Case(name: "argon2id costlier than the limit", members: with(["PasswordHash": .string("$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHRzYWx0$ZGeQVFKJg/FSTDgJOLdSnPc4S+vLUMW3l/aUf/Cd0zM")]), password: Fixture.password, expected: .invalidSecret, dummy: true),
        Case(name: "argon2id with too many passes", members: with(["PasswordHash": .string("$argon2id$v=19$m=1024,t=100,p=1$c29tZXNhbHRzYWx0$ZGeQVFKJg/FSTDgJOLdSnPc4S+vLUMW3l/aUf/Cd0zM")]), password: Fixture.password, expected: .invalidSecret, dummy: true),
        // The harness configures m=1032,t=1,p=1: a hash within the limits but above that would take longer than an unknown user.
        Case(name: "argon2id with more memory than configured", members: with(["PasswordHash": .string(Self.moreMemory)]), password: Fixture.password, expected: .invalidSecret, dummy: true),
        Case(name: "argon2id with more passes than configured", members: with(["PasswordHash": .string(Self.morePasses)]), password: Fixture.password, expected: .invalidSecret, dummy: true),
        Case(name: "argon2id with more lanes than configured, right", members: with(["PasswordHash": .string(Fixture.argon2idP4Hash)]), password: Fixture.password, expected: nil, dummy: false),
        Case(name: "bcrypt costlier than the limit", members: with(["PasswordHash": .string("$2b$31$BtqUHAcZnSJKgHboi9em.ucDFgg19pn.rF4JBlgzlgT5NcoEF8pya")]), password: Fixture.password, expected: .invalidSecret, dummy: true),
        Case(name: "argon2id, right", members: with(["PasswordHash": .string(Fixture.modelHash)]), password: Fixture.password, expected: nil, dummy: false),
        Case(name: "argon2id, wrong", members: with(["PasswordHash": .string(Fixture.modelHash)]), password: "wrong", expected: .wrongPassword, dummy: false),
        Case(name: "bcrypt, right", members: with(["PasswordHash": .string(Fixture.bcryptHash)]), password: Fixture.password, expected: nil, dummy: false),
        Case(name: "disabled, right password", members: with(["PasswordHash": .string(Fixture.modelHash), "sftpidp:Disabled": .bool(true)]), password: Fixture.password, expected: .disabled, dummy: false),
        Case(name: "expired, right password", members: with(["PasswordHash": .string(Fixture.modelHash), "sftpidp:ExpiresAt": .string("2020-01-01")]), password: Fixture.password, expected: .expired, dummy: false),
        Case(name: "out of network, right password", members: with(["PasswordHash": .string(Fixture.modelHash), "AcceptedIpNetwork": .string("10.0.0.0/8")]), password: Fixture.password, expected: .sourceIPNotAllowed, dummy: false),
    ]

    @Test("each case verifies exactly one hash, the dummy where the user's cannot or need not be checked", arguments: cases)
    func oneVerification(testCase: Case) async throws {
        var secrets: [String: String] = [:]
        if let members = testCase.members {
            secrets["SFTP/jess"] = members["raw"]?.stringValue ?? JSONValue.object(members).jsonText
        }
        let harness = try await HandlerHarness(secrets: secrets)
        let decision = try await harness.decide(HandlerHarness.request(password: testCase.password, sourceIP: testCase.sourceIP))
        #expect(decision.denialCategory == testCase.expected, "\(decision.reason)")
        let verified = harness.recorder.verifications
        #expect(verified.count == 1)
        #expect(verified.allSatisfy(HandlerHarness.isDummy) == testCase.dummy)
    }

    @Test("a hash costlier than the configured parameters is refused naming both costs and both ways out, never the hash")
    func overCostReason() async throws {
        let harness = try await HandlerHarness(jess: Self.with(["PasswordHash": .string(Self.moreMemory)]))
        let decision = try await harness.decide(HandlerHarness.request(password: Fixture.password))
        #expect(decision.reason == "the stored password cannot be checked: the argon2 hash (m=2048,t=1,p=1) costs more than the configured "
            + "m=1032,t=1,p=1: set a new password, or raise SFTPIDP_ARGON2 (the config's argon2) to at least m=2048,t=1")
        #expect(!decision.reason.contains("c29tZXNhbHRzYWx0"))
        // Raised to the hash's cost, the same hash is verified for real (and is wrong: it is no hash of the password).
        let raised = try await HandlerHarness(jess: Self.with(["PasswordHash": .string(Self.moreMemory)]),
                                              parameters: try Argon2Parameters(memoryKiB: 2048, iterations: 1, parallelism: 1))
        #expect(try await raised.decide(HandlerHarness.request(password: Fixture.password)).denialCategory == .wrongPassword)
    }

    @Test("key logins and requests denied before the secret is read verify nothing")
    func noVerification() async throws {
        let harness = try await HandlerHarness(jess: Self.with(["PublicKey": .string(Fixture.key1), "PasswordHash": .string(Fixture.modelHash)]))
        #expect(try await harness.decide(HandlerHarness.request()).isAllowed)
        #expect(try await harness.decide(HandlerHarness.request(password: "pw", protocolName: "SCP")).denialCategory == .invalidRequest)
        #expect(harness.recorder.verifications.isEmpty)
    }

    @Test("a costly stored hash is never handed to the hashing library")
    func costlyHashNotHashed() {
        let hostile = "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHRzYWx0$ZGeQVFKJg/FSTDgJOLdSnPc4S+vLUMW3l/aUf/Cd0zM"
        #expect(PasswordVerifier.refusal(of: hostile) == "the argon2 hash asks for more than sftpidp allows (at most 1048576 KiB (1 GiB) of memory, 64 passes and 64 lanes)")
        #expect(PasswordVerifier.refusal(of: Fixture.modelHash) == nil)
        #expect(PasswordVerifier.refusal(of: "$6$rounds=5000000$salt$hash") == "the sha512-crypt hash asks for more than 1000000 rounds")
        #expect(PasswordVerifier.refusal(of: Fixture.sha512CryptHash) == nil)
    }

    @Test("past the hashing queue limit a password login is denied at once while key logins still answer")
    func saturatedQueue() async throws {
        let gate = DispatchSemaphore(value: 0)
        let harness = try await HandlerHarness(
            secrets: ["SFTP/jess": JSONValue.object(Self.with(["PasswordHash": .string(Fixture.modelHash), "PublicKey": .string(Fixture.key1)])).jsonText],
            hashingThreads: 1,
            hashingQueueLimit: 0,
            verifyHash: { password, stored in
                gate.wait()
                return PasswordVerifier.verify(password, against: stored)
            }
        )
        let first = Task { try await harness.decide(HandlerHarness.request(password: Fixture.password)) }
        // Bounded wait for the first check to occupy the only thread (not a timing assertion: it only waits).
        for _ in 0..<2000 where harness.handler.passwordChecker.pool.statistics.running == 0 {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(harness.handler.passwordChecker.pool.statistics.running == 1)
        let refused = try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "192.0.2.11"))
        #expect(refused.denialCategory == .throttled)
        #expect(refused.reason == "too many password checks in progress (the hashing queue is full); denied without checking the password")
        #expect(try await harness.decide(HandlerHarness.request()).isAllowed)
        #expect(harness.handler.passwordChecker.pool.statistics.rejected == 1)
        gate.signal()
        #expect(try await first.value.isAllowed)
        // A refused-as-busy attempt is no failure: nothing counted against the address.
        #expect(await harness.handler.throttle.statistics(at: Fixture.now).trackedEntries == 0)
    }

    @Test("hashing runs on the pool's own threads, not on the cooperative pool")
    func ownThreads() async {
        let pool = PasswordHashingPool(threads: 2, queueLimit: 4)
        let onPool = await withTaskGroup(of: Bool?.self) { group in
            for _ in 0..<6 {
                group.addTask { await pool.run { pool.isCurrentThreadInPool } }
            }
            return await group.reduce(into: [Bool?]()) { $0.append($1) }
        }
        #expect(onPool.count == 6)
        #expect(onPool.allSatisfy { $0 == nil || $0 == true })
        #expect(onPool.contains(true))
        #expect(!pool.isCurrentThreadInPool)
    }
}

import Foundation
import IdentityModel
import IdentityProvider
import SecretStore
import SecretStoreTesting
import Synchronization
import Testing

/// A clock tests can move.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Fixture.now) {
        current = Mutex(start)
    }

    var now: Date {
        current.withLock { $0 }
    }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// What the handler did that tests count: hash verifications (and against what) and throttle delays asked for.
final class Recorder: Sendable {
    private let verified = Mutex<[StoredPassword]>([])
    private let slept = Mutex<[Duration]>([])

    /// The stored passwords verified so far, in order.
    var verifications: [StoredPassword] { verified.withLock { $0 } }
    /// The delays the handler waited (without waiting), in order.
    var delays: [Duration] { slept.withLock { $0 } }

    func recordVerification(_ stored: StoredPassword) { verified.withLock { $0.append(stored) } }
    func recordDelay(_ delay: Duration) { slept.withLock { $0.append(delay) } }
    func reset() {
        verified.withLock { $0 = [] }
        slept.withLock { $0 = [] }
    }
}

/// A handler over an in-memory store holding the given secrets.
struct HandlerHarness {
    /// The configured argon2 cost in tests (the dummy hash's): cheap, and recognisable in ``Recorder/verifications``.
    static let dummyParameters: Argon2Parameters = {
        do {
            return try Argon2Parameters(memoryKiB: 1032, iterations: 1, parallelism: 1)
        } catch {
            fatalError("fixed argon2 parameters were refused: \(error)")
        }
    }()

    let store: InMemorySecretStore
    let handler: IdentityProviderHandler
    let clock: ManualClock
    let recorder: Recorder

    /// `secrets` maps secret names to secret strings.
    init(
        secrets: [String: String],
        namingScheme: NamingScheme = .sftpPrefix,
        cacheTimeToLive: Duration = .zero,
        throttle: LoginThrottle.Configuration = .disabled,
        hashingThreads: Int = 2,
        hashingQueueLimit: Int = 64,
        parameters: Argon2Parameters = Self.dummyParameters,
        verifyHash: @escaping @Sendable (String, StoredPassword) -> PasswordCheck = PasswordVerifier.verify,
        clock: ManualClock = ManualClock()
    ) async throws {
        store = InMemorySecretStore()
        for (name, value) in secrets {
            _ = try await store.createSecret(name: name, value: value, context: WriteContext(action: "test.create", actor: "test"))
        }
        self.clock = clock
        let recorder = Recorder()
        self.recorder = recorder
        handler = IdentityProviderHandler(configuration: .init(
            store: store,
            namingScheme: namingScheme,
            cacheTimeToLive: cacheTimeToLive,
            throttle: throttle,
            passwordChecking: PasswordChecker.Configuration(
                threads: hashingThreads,
                queueLimit: hashingQueueLimit,
                parameters: parameters,
                verifyHash: { password, stored in
                    recorder.recordVerification(stored)
                    return verifyHash(password, stored)
                }
            ),
            sleep: { recorder.recordDelay($0) },
            now: { clock.now }
        ))
    }

    /// One user `jess` stored under `SFTP/jess` with `members`.
    init(jess members: [String: JSONValue], throttle: LoginThrottle.Configuration = .disabled, parameters: Argon2Parameters = Self.dummyParameters,
         clock: ManualClock = ManualClock()) async throws {
        try await self.init(secrets: ["SFTP/jess": JSONValue.object(members).jsonText], throttle: throttle, parameters: parameters, clock: clock)
    }

    /// The decision for a request, failing the test when the store failed instead.
    func decide(_ request: LoginRequest, recordingChecks: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) async throws -> LoginDecision {
        switch await handler.decide(request, recordingChecks: recordingChecks) {
        case .decided(let decision):
            return decision
        case .storeFailure(let failure):
            Issue.record("expected a decision, the store failed: \(failure.message)", sourceLocation: sourceLocation)
            throw failure
        }
    }

    /// A request for `jess` on the fixture server.
    static func request(user: String? = "jess", password: String? = nil, protocolName: String? = "SFTP", sourceIP: String? = "192.0.2.10", serverID: String? = Fixture.serverID) -> LoginRequest {
        LoginRequest(serverID: serverID, username: user, password: password, protocolName: protocolName, sourceIP: sourceIP)
    }

    /// Whether `stored` is the handler's dummy hash (argon2id at ``dummyParameters``), not a user's.
    static func isDummy(_ stored: StoredPassword) -> Bool {
        guard case .hash(let hash) = stored else { return false }
        return hash.hasPrefix("$argon2id$v=19$m=1032,t=1,p=1$")
    }
}

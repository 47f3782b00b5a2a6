import Foundation
import IdentityModel
import IdentityProvider
import SecretStore
import SecretStoreTesting
import Testing

/// A clock tests can move.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Fixture.now) {
        current = start
    }

    var now: Date {
        lock.withLock { current }
    }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}

/// A handler over an in-memory store holding the given secrets.
struct HandlerHarness {
    let store: InMemorySecretStore
    let handler: IdentityProviderHandler
    let clock: ManualClock

    /// `secrets` maps secret names to secret strings.
    init(
        secrets: [String: String],
        namingScheme: NamingScheme = .sftpPrefix,
        cacheTimeToLive: Duration = .zero,
        throttle: LoginThrottle.Configuration = .disabled,
        clock: ManualClock = ManualClock()
    ) async throws {
        store = InMemorySecretStore()
        for (name, value) in secrets {
            _ = try await store.createSecret(name: name, value: value, context: WriteContext(action: "test.create", actor: "test"))
        }
        self.clock = clock
        handler = IdentityProviderHandler(configuration: .init(
            store: store,
            namingScheme: namingScheme,
            cacheTimeToLive: cacheTimeToLive,
            throttle: throttle,
            now: { clock.now }
        ))
    }

    /// One user `jess` stored under `SFTP/jess` with `members`.
    init(jess members: [String: JSONValue], throttle: LoginThrottle.Configuration = .disabled) async throws {
        try await self.init(secrets: ["SFTP/jess": JSONValue.object(members).jsonText], throttle: throttle)
    }

    /// The decision for a request, failing the test when the store failed instead.
    func decide(_ request: LoginRequest, sourceLocation: SourceLocation = #_sourceLocation) async throws -> LoginDecision {
        switch await handler.decide(request) {
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
}

import Foundation
import IdentityModel
import IdentityProvider
import Testing

@Suite("Brute-force protection")
struct ThrottleTests {
    static let limits = LoginThrottle.Configuration(maxFailuresPerUser: 3, maxFailuresPerSourceIP: 5, window: .seconds(60), cooldown: .seconds(300))
    static let jess: [String: JSONValue] = ["Role": .string(Fixture.role), "PasswordHash": .string(Fixture.modelHash)]

    @Test("after N failures for a user the right password is refused without being checked, until the cool-down ends")
    func userLockout() async throws {
        let harness = try await HandlerHarness(jess: Self.jess, throttle: Self.limits)
        for attempt in 1...3 {
            let decision = try await harness.decide(HandlerHarness.request(password: "guess \(attempt)", sourceIP: "192.0.2.\(attempt)"))
            #expect(decision.denialCategory == .wrongPassword)
        }
        let refused = try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "192.0.2.99"))
        #expect(refused.denialCategory == .throttled)
        #expect(refused.reason.hasPrefix("too many failed password attempts for user jess; password logins refused until 2026-06-01T12:05:00Z"))
        #expect(!refused.checks.contains { $0.name == "password" || $0.name == "secret" })

        harness.clock.advance(by: 299)
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password)).denialCategory == .throttled)
        harness.clock.advance(by: 1)
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password)).isAllowed)
    }

    @Test("key logins are not refused while passwords are locked")
    func keyLoginsPass() async throws {
        var members = Self.jess
        members["PublicKey"] = .string(Fixture.key1)
        let harness = try await HandlerHarness(jess: members, throttle: Self.limits)
        for _ in 1...3 {
            _ = try await harness.decide(HandlerHarness.request(password: "wrong"))
        }
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password)).denialCategory == .throttled)
        #expect(try await harness.decide(HandlerHarness.request()).isAllowed)
    }

    @Test("failures from one address across users lock that address, also for unknown users")
    func sourceIPLockout() async throws {
        let harness = try await HandlerHarness(jess: Self.jess, throttle: Self.limits)
        for index in 1...5 {
            let decision = try await harness.decide(HandlerHarness.request(user: "nobody\(index)", password: "guess", sourceIP: "203.0.113.9"))
            #expect(decision.denialCategory == .unknownUser)
        }
        let refused = try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "203.0.113.9"))
        #expect(refused.denialCategory == .throttled)
        #expect(refused.reason.contains("source IP 203.0.113.9"))
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "203.0.113.10")).isAllowed)
    }

    @Test("failures older than the window do not count, and success clears the user's count")
    func windowAndReset() async throws {
        let harness = try await HandlerHarness(jess: Self.jess, throttle: Self.limits)
        _ = try await harness.decide(HandlerHarness.request(password: "wrong"))
        _ = try await harness.decide(HandlerHarness.request(password: "wrong"))
        harness.clock.advance(by: 61)
        _ = try await harness.decide(HandlerHarness.request(password: "wrong"))
        _ = try await harness.decide(HandlerHarness.request(password: "wrong", sourceIP: "192.0.2.11"))
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "192.0.2.12")).isAllowed)
        _ = try await harness.decide(HandlerHarness.request(password: "wrong", sourceIP: "192.0.2.13"))
        _ = try await harness.decide(HandlerHarness.request(password: "wrong", sourceIP: "192.0.2.14"))
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "192.0.2.15")).isAllowed)
    }

    @Test("the tables stay within their cap")
    func boundedMemory() async {
        let throttle = LoginThrottle(configuration: .init(maxTrackedEntries: 100))
        for index in 0..<1000 {
            await throttle.recordFailure(serverID: Fixture.serverID, username: "user\(index)", sourceIP: "10.0.\(index / 256).\(index % 256)", at: Fixture.now.addingTimeInterval(Double(index)))
            #expect(await throttle.trackedEntryCount <= 100)
        }
        // The newest entries survive eviction.
        for _ in 1..<5 {
            await throttle.recordFailure(serverID: Fixture.serverID, username: "user999", sourceIP: nil, at: Fixture.now.addingTimeInterval(1000))
        }
        #expect(await throttle.refusal(serverID: Fixture.serverID, username: "user999", sourceIP: nil, at: Fixture.now.addingTimeInterval(1001)) != nil)
    }

    @Test("limits of zero turn throttling off; bad limits are named")
    func configuration() async {
        let throttle = LoginThrottle(configuration: .disabled)
        for _ in 0..<50 {
            await throttle.recordFailure(serverID: Fixture.serverID, username: "jess", sourceIP: "192.0.2.1", at: Fixture.now)
        }
        #expect(await throttle.refusal(serverID: Fixture.serverID, username: "jess", sourceIP: "192.0.2.1", at: Fixture.now) == nil)
        #expect(LoginThrottle.Configuration(maxFailuresPerUser: -1).validationError == "the failure limit per user must be 0 (off) or more")
        #expect(LoginThrottle.Configuration(window: .zero).validationError == "the throttle window must be longer than 0 seconds")
        #expect(LoginThrottle.Configuration().validationError == nil)
    }
}

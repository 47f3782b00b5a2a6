import Foundation
import IdentityModel
import IdentityProvider
import Testing

@Suite("Brute-force protection")
struct ThrottleTests {
    /// 5 failures lock an address; past 3 failures a user's logins wait 1 s, 2 s, 4 s, at most 4 s.
    static let limits = LoginThrottle.Configuration(
        maxFailuresPerAddress: 5, freeFailuresPerUser: 3, window: .seconds(60), cooldown: .seconds(300),
        userDelayBase: .seconds(1), userDelayMax: .seconds(4)
    )
    static let jess: [String: JSONValue] = ["Role": .string(Fixture.role), "PasswordHash": .string(Fixture.modelHash)]

    @Test("guessing from one address locks that address (also over unknown users), not others, and checks no password while locked")
    func addressLock() async throws {
        let harness = try await HandlerHarness(jess: Self.jess, throttle: Self.limits)
        for index in 1...5 {
            let decision = try await harness.decide(HandlerHarness.request(user: "nobody\(index)", password: "guess", sourceIP: "203.0.113.9"))
            #expect(decision.denialCategory == .unknownUser)
        }
        harness.recorder.reset()
        let refused = try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "203.0.113.9"))
        #expect(refused.denialCategory == .throttled)
        #expect(refused.reason.hasPrefix("too many failed password attempts from source address 203.0.113.9; its password logins are refused until 2026-06-01T12:05:00Z"))
        #expect(harness.recorder.verifications.isEmpty)
        #expect(!refused.checks.contains { $0.name == "secret" })
        // Another address is not locked, and the right password lets jess in from there.
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "203.0.113.10")).isAllowed)
        harness.clock.advance(by: 300)
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "203.0.113.9")).isAllowed)
    }

    @Test("IPv6 addresses count by /64, whatever their spelling; IPv4-mapped addresses count as IPv4")
    func addressKeys() async throws {
        let harness = try await HandlerHarness(jess: Self.jess, throttle: Self.limits)
        let spellings = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:0DB8:0001:0002:0000:0000:0000:0003", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::5"]
        for address in spellings {
            _ = try await harness.decide(HandlerHarness.request(password: "wrong", sourceIP: address))
        }
        let refused = try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "2001:db8:1:2:abcd::9"))
        #expect(refused.denialCategory == .throttled)
        #expect(refused.reason.contains("source address 2001:db8:1:2::/64"))
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "2001:db8:1:3::1")).isAllowed)

        for _ in 1...5 {
            _ = try await harness.decide(HandlerHarness.request(user: "nobody", password: "wrong", sourceIP: "::ffff:198.51.100.7"))
        }
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "198.51.100.7")).denialCategory == .throttled)
    }

    @Test("a sourceIp that is not exactly an address is a denial with a reason, before any password check", arguments: [
        "10.0.0.1\u{0}x", "10.0.0.1%00x", "fe80::1%eth0", "fe80::1%25eth0", "garbage", " 10.0.0.1", "10.0.0.1 ", "010.0.0.1", "10.0.0", "1.2.3.4.5", "::ffff:1.2.3.4%lo",
    ])
    func unparsableSource(source: String) async throws {
        let harness = try await HandlerHarness(jess: Self.jess, throttle: Self.limits)
        let decision = try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: source))
        #expect(decision.denialCategory == .invalidRequest)
        #expect(decision.reason.hasPrefix("sourceIp \""))
        #expect(decision.reason.hasSuffix("is not an IPv4 or IPv6 address (no zone ids, no other characters)"))
        #expect(!decision.reason.contains("\u{0}"))
        #expect(harness.recorder.verifications.isEmpty)
        #expect(await harness.handler.throttle.statistics(at: Fixture.now).trackedEntries == 0)
    }

    @Test("guessing one user from many addresses slows that user down, doubling up to the cap, but never locks a clean address out")
    func userSlowdown() async throws {
        let harness = try await HandlerHarness(jess: Self.jess, throttle: Self.limits)
        for attempt in 1...6 {
            let decision = try await harness.decide(HandlerHarness.request(password: "guess \(attempt)", sourceIP: "192.0.2.\(attempt)"))
            #expect(decision.denialCategory == .wrongPassword)
        }
        // Free failures 1-3 no delay; the 4th waited 1 s, the 5th 2 s, the 6th 4 s.
        #expect(harness.recorder.delays == [.seconds(1), .seconds(2), .seconds(4)])
        harness.recorder.reset()
        // A clean address is slowed down (4 s, the cap), not refused, and the right password lets jess in.
        let allowed = try await harness.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "198.51.100.1"))
        #expect(allowed.isAllowed)
        #expect(harness.recorder.delays == [.seconds(4)])
        #expect(allowed.checks.first { $0.name == "throttle" }?.detail == "slowed down by 4.0 seconds after recent failed password attempts for this user")
        // The fully allowed login cleared the user's count.
        harness.recorder.reset()
        #expect(try await harness.decide(HandlerHarness.request(password: "wrong", sourceIP: "198.51.100.1")).denialCategory == .wrongPassword)
        #expect(harness.recorder.delays.isEmpty)
        // Failures age out of the window.
        for attempt in 1...4 {
            _ = try await harness.decide(HandlerHarness.request(password: "again \(attempt)", sourceIP: "192.0.2.\(50 + attempt)"))
        }
        harness.clock.advance(by: 61)
        harness.recorder.reset()
        _ = try await harness.decide(HandlerHarness.request(password: "later", sourceIP: "192.0.2.99"))
        #expect(harness.recorder.delays.isEmpty)
        // Key logins are never slowed down.
        #expect(try await harness.decide(HandlerHarness.request(sourceIP: "192.0.2.99")).checks.first { $0.name == "throttle" }?.outcome == .skipped)
    }

    @Test("a right password for a disabled, expired or out-of-network user counts as a failure, exactly like a wrong one", arguments: [
        ["sftpidp:Disabled": JSONValue.bool(true)],
        ["sftpidp:ExpiresAt": .string("2020-01-01")],
        ["AcceptedIpNetwork": .string("10.0.0.0/8")],
    ])
    func rightPasswordOfDeniedUserCounts(extra: [String: JSONValue]) async throws {
        let members = Self.jess.merging(extra) { $1 }
        let right = try await HandlerHarness(jess: members, throttle: Self.limits)
        let wrong = try await HandlerHarness(jess: members, throttle: Self.limits)
        for attempt in 1...5 {
            let rightDecision = try await right.decide(HandlerHarness.request(password: Fixture.password, sourceIP: "192.0.2.\(attempt)"))
            let wrongDecision = try await wrong.decide(HandlerHarness.request(password: "wrong", sourceIP: "192.0.2.\(attempt)"))
            #expect(!rightDecision.isAllowed && !wrongDecision.isAllowed)
        }
        // Both throttles saw the same: an attacker cannot tell from delays that the password was right.
        #expect(right.recorder.delays == [.seconds(1), .seconds(2)])
        #expect(right.recorder.delays == wrong.recorder.delays)
        #expect(await right.handler.throttle.statistics(at: Fixture.now) == wrong.handler.throttle.statistics(at: Fixture.now))
    }

    @Test("the counters stay within their byte bound; flooding new addresses does not free a locked one")
    func boundedMemory() async {
        let limit = 64 * 1024
        let throttle = LoginThrottle(configuration: .init(maxFailuresPerAddress: 3, freeFailuresPerUser: 3, maxTrackedBytes: limit))
        let locked = SourceAddress(parsing: "203.0.113.66")
        for _ in 1...3 {
            await throttle.recordFailure(user: "SFTP/victim", address: locked, at: Fixture.now)
        }
        let longName = "SFTP/" + String(repeating: "u", count: 95)
        for index in 0..<5000 {
            let address = SourceAddress(parsing: "10.\(index / 65536).\(index / 256 % 256).\(index % 256)")
            await throttle.recordFailure(user: longName + String(index), address: address, at: Fixture.now.addingTimeInterval(Double(index) / 100))
            #expect(await throttle.statistics(at: Fixture.now).trackedBytes <= limit)
        }
        let statistics = await throttle.statistics(at: Fixture.now)
        #expect(statistics.evictions > 0)
        guard case .refused = await throttle.verdict(user: "SFTP/other", address: locked, at: Fixture.now.addingTimeInterval(60)) else {
            Issue.record("the locked address was forgotten while the table was flooded")
            return
        }
    }

    @Test("over-long user names and server ids are denied before anything is stored or read")
    func overLongNames() async throws {
        let harness = try await HandlerHarness(jess: Self.jess, throttle: Self.limits)
        let callsBefore = await harness.store.callCount
        let longUser = try await harness.decide(HandlerHarness.request(user: String(repeating: "a", count: 101), password: "pw"))
        #expect(longUser.denialCategory == .invalidRequest)
        #expect(longUser.reason == "the username is longer than 100 characters")
        let longServer = try await harness.decide(HandlerHarness.request(password: "pw", serverID: "s-" + String(repeating: "0", count: 99)))
        #expect(longServer.reason == "the serverId is longer than 100 characters")
        #expect(await harness.handler.throttle.statistics(at: Fixture.now).trackedEntries == 0)
        #expect(await harness.store.callCount == callsBefore)
    }

    @Test("limits of zero turn throttling off; bad limits are named")
    func configuration() async {
        let throttle = LoginThrottle(configuration: .disabled)
        let address = SourceAddress(parsing: "192.0.2.1")
        for _ in 0..<50 {
            await throttle.recordFailure(user: "SFTP/jess", address: address, at: Fixture.now)
        }
        #expect(await throttle.verdict(user: "SFTP/jess", address: address, at: Fixture.now) == .proceed(delay: .zero))
        #expect(LoginThrottle.Configuration(maxFailuresPerAddress: -1).validationError == "the failure limit per source address must be 0 (off) to 1000000")
        #expect(LoginThrottle.Configuration(window: .zero).validationError == "the throttle window must be more than 0 and at most 86400 seconds")
        #expect(LoginThrottle.Configuration(userDelayBase: .seconds(2), userDelayMax: .seconds(1)).validationError == "the longest user delay must be at least the first and at most 60 seconds")
        #expect(LoginThrottle.Configuration(maxTrackedBytes: 1000).validationError == "the throttle must be allowed at least 65536 bytes")
        #expect(LoginThrottle.Configuration().validationError == nil)
    }
}

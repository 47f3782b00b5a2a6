import Foundation
import IdentityModel
import IdentityProvider
import SecretStore
import SecretStoreTesting
import Testing

@Suite("Handler: checks, schemes, store failures")
struct HandlerBehaviourTests {
    @Test("a legacy plain-text password is verified and flagged in the checks")
    func legacyPasswordIsFlagged() async throws {
        let harness = try await HandlerHarness(jess: ["Role": .string(Fixture.role), "Password": .string(Fixture.password)])
        let decision = try await harness.decide(HandlerHarness.request(password: Fixture.password))
        #expect(decision.isAllowed)
        let passwordCheck = try #require(decision.checks.first { $0.name == "password" })
        #expect(passwordCheck.outcome == .passed)
        #expect(passwordCheck.detail.contains("legacy plain-text password"))
    }

    @Test("checks come in the contract's order and end with the answer")
    func checksAreOrdered() async throws {
        let harness = try await HandlerHarness(jess: ["Role": .string(Fixture.role), "PasswordHash": .string(Fixture.modelHash), "AcceptedIpNetwork": "192.0.2.0/24"])
        let decision = try await harness.decide(HandlerHarness.request(password: Fixture.password))
        #expect(decision.checks.map(\.name) == ["request", "secret name", "throttle", "secret", "password", "fields", "disabled", "expiry", "server", "source ip", "role", "answer"])
        #expect(decision.reason == "allowed by password")
        #expect(decision.duration > .zero)
    }

    @Test("without recording checks (serve, Lambda) the decisions are the same, only the checks are left out",
          arguments: [Fixture.password, "wrong password", nil])
    func decisionsWithoutChecks(password: String?) async throws {
        let harness = try await HandlerHarness(jess: ["Role": .string(Fixture.role), "PasswordHash": .string(Fixture.modelHash), "AcceptedIpNetwork": "192.0.2.0/24"])
        let explained = try await harness.decide(HandlerHarness.request(password: password))
        let plain = try await harness.decide(HandlerHarness.request(password: password), recordingChecks: false)
        #expect(!explained.checks.isEmpty)
        #expect(plain.checks.isEmpty)
        #expect(plain.reason == explained.reason)
        #expect(plain.denialCategory == explained.denialCategory)
        #expect(plain.responseText == explained.responseText)
    }

    @Test("key authentication reports how many keys were returned")
    func keyReason() async throws {
        let harness = try await HandlerHarness(jess: ["Role": .string(Fixture.role), "PublicKey": .string(Fixture.key1 + "," + Fixture.key2)])
        let decision = try await harness.decide(HandlerHarness.request())
        #expect(decision.reason == "allowed by public key (2 keys returned)")
        #expect(decision.authentication == .publicKey)
    }

    @Test("a broken field for the protocol denies and names the field, not its value")
    func unreadableFieldDenies() async throws {
        let harness = try await HandlerHarness(jess: ["Role": .string(Fixture.role), "PasswordHash": .string(Fixture.modelHash), "PosixProfile": "not json"])
        let decision = try await harness.decide(HandlerHarness.request(password: Fixture.password))
        #expect(decision.denialCategory == .invalidSecret)
        #expect(decision.reason.hasPrefix("secret SFTP/jess has a field that cannot be read: PosixProfile"))
    }

    @Test("a Role that is not a role ARN is refused with the rule")
    func invalidRole() async throws {
        let harness = try await HandlerHarness(jess: ["Role": "admin", "PasswordHash": .string(Fixture.modelHash)])
        let decision = try await harness.decide(HandlerHarness.request(password: Fixture.password))
        #expect(decision.denialCategory == .invalidSecret)
        #expect(decision.reason.hasPrefix("Role: "))
    }

    @Test("the {serverId}/{username} scheme reads the server's secret")
    func serverScheme() async throws {
        let secret = JSONValue.object(["Role": .string(Fixture.role), "PasswordHash": .string(Fixture.modelHash)]).jsonText
        let harness = try await HandlerHarness(secrets: ["\(Fixture.serverID)/jess": secret], namingScheme: .serverPrefix)
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password)).isAllowed)
        let other = try await harness.decide(HandlerHarness.request(password: Fixture.password, serverID: Fixture.otherServerID))
        #expect(other.reason == "no secret \(Fixture.otherServerID)/jess")
    }

    @Test("an unreachable store is a store failure, not a denial", arguments: [SecretStoreError.Kind.unavailable, .accessDenied, .corrupt])
    func storeFailure(kind: SecretStoreError.Kind) async throws {
        let harness = try await HandlerHarness(jess: ["Role": .string(Fixture.role), "PasswordHash": .string(Fixture.modelHash)])
        await harness.store.failNextCalls(1, with: SecretStoreError(kind, message: "the store said no"))
        guard case .storeFailure(let failure) = await harness.handler.decide(HandlerHarness.request(password: Fixture.password)) else {
            Issue.record("expected a store failure")
            return
        }
        #expect(failure.message == "the store said no")
        #expect(failure.checks.last?.name == "secret")
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password)).isAllowed)
    }

    @Test("a secret scheduled for deletion is no user")
    func deletedSecret() async throws {
        let harness = try await HandlerHarness(jess: ["Role": .string(Fixture.role), "PasswordHash": .string(Fixture.modelHash)])
        try await harness.store.deleteSecret(name: "SFTP/jess", recoveryWindowDays: 7, forceWithoutRecovery: false, context: WriteContext(action: "test.delete", actor: "test"))
        let decision = try await harness.decide(HandlerHarness.request(password: Fixture.password))
        #expect(decision.denialCategory == .unknownUser)
    }

    @Test("control characters in a user name are escaped in the reason")
    func escapedReason() async throws {
        let harness = try await HandlerHarness(secrets: [:])
        let decision = try await harness.decide(HandlerHarness.request(user: "eve\nallowed", password: "x"))
        #expect(decision.reason == #"user name "eve\nallowed" cannot be part of a secret name (allowed: A-Z a-z 0-9 _ + = . @ -)"#)
    }
}

import Foundation
import IdentityModel
import IdentityProvider
import SecretStore
import SecretStoreTesting
import Testing

@Suite("Secret cache")
struct SecretCacheTests {
    static let jess = JSONValue.object(["Role": .string(Fixture.role), "PasswordHash": .string(Fixture.modelHash)]).jsonText
    static let context = WriteContext(action: "test.update", actor: "test")

    @Test("with a TTL a second login does not read the store, until the TTL passes")
    func cachesForTTL() async throws {
        let harness = try await HandlerHarness(secrets: ["SFTP/jess": Self.jess], cacheTimeToLive: .seconds(30))
        let before = await harness.store.callCount
        _ = try await harness.decide(HandlerHarness.request(password: Fixture.password))
        _ = try await harness.decide(HandlerHarness.request(password: Fixture.password))
        #expect(await harness.store.callCount == before + 1)
        harness.clock.advance(by: 30)
        _ = try await harness.decide(HandlerHarness.request(password: Fixture.password))
        #expect(await harness.store.callCount == before + 2)
    }

    @Test("a change is seen at once after invalidate, and only then")
    func invalidation() async throws {
        let harness = try await HandlerHarness(secrets: ["SFTP/jess": Self.jess], cacheTimeToLive: .seconds(300))
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password)).isAllowed)
        let current = try await harness.store.getSecret(name: "SFTP/jess", version: .current)
        let disabled = JSONValue.object(["Role": .string(Fixture.role), "PasswordHash": .string(Fixture.modelHash), "sftpidp:Disabled": .bool(true)]).jsonText
        _ = try await harness.store.putSecret(name: "SFTP/jess", value: disabled, replacing: current.versionID, context: Self.context)
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password)).isAllowed)
        await harness.handler.cache.invalidate(name: "SFTP/jess")
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password)).denialCategory == .disabled)
    }

    @Test("unknown users are cached too; invalidateAll forgets them")
    func negativeCaching() async throws {
        let harness = try await HandlerHarness(secrets: [:], cacheTimeToLive: .seconds(300))
        #expect(try await harness.decide(HandlerHarness.request()).denialCategory == .unknownUser)
        _ = try await harness.store.createSecret(name: "SFTP/jess", value: Self.jess, context: Self.context)
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password)).denialCategory == .unknownUser)
        await harness.handler.cache.invalidateAll()
        #expect(try await harness.decide(HandlerHarness.request(password: Fixture.password)).isAllowed)
    }

    @Test("TTL zero reads the store every time; failures are never cached")
    func offAndFailures() async throws {
        let harness = try await HandlerHarness(secrets: ["SFTP/jess": Self.jess])
        let before = await harness.store.callCount
        _ = try await harness.decide(HandlerHarness.request(password: Fixture.password))
        _ = try await harness.decide(HandlerHarness.request(password: Fixture.password))
        #expect(await harness.store.callCount == before + 2)
        #expect(await harness.handler.cache.count == 0)

        let cached = try await HandlerHarness(secrets: ["SFTP/jess": Self.jess], cacheTimeToLive: .seconds(300))
        await cached.store.failNextCalls(1, with: SecretStoreError(.unavailable, message: "down"))
        guard case .storeFailure = await cached.handler.decide(HandlerHarness.request(password: Fixture.password)) else {
            Issue.record("expected a store failure")
            return
        }
        #expect(try await cached.decide(HandlerHarness.request(password: Fixture.password)).isAllowed)
    }

    @Test("the cache keeps at most its capacity")
    func capacity() async throws {
        let store = InMemorySecretStore()
        let handler = IdentityProviderHandler(configuration: .init(store: store, cacheTimeToLive: .seconds(60), cacheCapacity: 10, throttle: .disabled))
        for index in 0..<50 {
            _ = await handler.decide(HandlerHarness.request(user: "user\(index)"))
            #expect(await handler.cache.count <= 10)
        }
    }
}

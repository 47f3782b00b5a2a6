import Foundation
import PeerTesting
import Testing
@testable import AWSCore

/// The refresh rule of temporary credentials, with an injected clock and a scripted fetch.
@Suite struct RefreshingCredentialProviderTests {
    /// Hands out numbered credentials that expire an hour after the clock's time; fails while `failing` is set.
    // @unchecked Sendable: its state, a waiting continuation included, is guarded by `lock`.
    final class Source: @unchecked Sendable {
        let clock: TestClock
        private let lock = NSLock()
        private var issued = 0
        private var failing = false
        private var gate: CheckedContinuation<Void, Never>?
        private var holding = false

        init(clock: TestClock) { self.clock = clock }

        func setFailing(_ value: Bool) { lock.withLock { failing = value } }

        /// Makes the next fetches wait until ``release()``.
        func hold() { lock.withLock { holding = true } }

        func release() {
            let waiting = lock.withLock { () -> CheckedContinuation<Void, Never>? in
                holding = false
                defer { gate = nil }
                return gate
            }
            waiting?.resume()
        }

        var count: Int { lock.withLock { issued } }

        func fetch() async throws(AWSCredentialError) -> AWSCredentials {
            if lock.withLock({ holding }) {
                await withCheckedContinuation { continuation in
                    let released = lock.withLock { () -> Bool in
                        if holding { gate = continuation; return false }
                        return true
                    }
                    if released { continuation.resume() }
                }
            }
            let (number, fail) = lock.withLock { () -> (Int, Bool) in
                issued += 1
                return (issued, failing)
            }
            if fail { throw AWSCredentialError(source: "test", message: "refresh \(number) failed") }
            return AWSCredentials(accessKeyID: "ASIA\(number)", secretAccessKey: "secret-\(number)", sessionToken: "token-\(number)",
                                  expiration: clock.now.addingTimeInterval(3600))
        }
    }

    func provider(_ source: Source) -> RefreshingCredentialProvider {
        RefreshingCredentialProvider(source: "test", detail: "scripted", now: source.clock.closure) { () async throws(AWSCredentialError) -> AWSCredentials in
            try await source.fetch()
        }
    }

    @Test func cachedUntilTheAdvisoryWindowThenRefreshedInTheBackground() async throws {
        let clock = TestClock()
        let source = Source(clock: clock)
        let provider = provider(source)
        #expect(try await provider.credentials().accessKeyID == "ASIA1")
        clock.advance(3600 - 301)
        #expect(try await provider.credentials().accessKeyID == "ASIA1")
        #expect(provider.fetchCount == 1)

        // Inside the last five minutes: the old credentials at once, one refresh behind them.
        clock.advance(2)
        source.hold()
        #expect(try await provider.credentials().accessKeyID == "ASIA1")
        #expect(try await provider.credentials().accessKeyID == "ASIA1")
        #expect(provider.fetchCount == 2)
        source.release()
        await provider.waitForRefresh()
        #expect(try await provider.credentials().accessKeyID == "ASIA2")
        #expect(source.count == 2)
    }

    @Test func concurrentCallersShareOneFetch() async throws {
        let clock = TestClock()
        let source = Source(clock: clock)
        let provider = provider(source)
        source.hold()
        async let first = provider.credentials()
        async let second = provider.credentials()
        async let third = provider.credentials()
        #expect(await waitUntil { provider.fetchCount == 1 })
        source.release()
        let keys = try await [first, second, third].map(\.accessKeyID)
        #expect(keys == ["ASIA1", "ASIA1", "ASIA1"])
        #expect(source.count == 1)
    }

    @Test func failedRefreshKeepsValidCredentialsAndRetries() async throws {
        let clock = TestClock()
        let source = Source(clock: clock)
        let provider = provider(source)
        _ = try await provider.credentials()
        source.setFailing(true)

        // Background refresh fails: the cached credentials stay in use.
        clock.advance(3600 - 200)
        #expect(try await provider.credentials().accessKeyID == "ASIA1")
        await provider.waitForRefresh()
        #expect(provider.fetchCount == 2)
        // Not retried at once, but after the pause.
        #expect(try await provider.credentials().accessKeyID == "ASIA1")
        #expect(provider.fetchCount == 2)
        clock.advance(provider.retryAfterFailure)
        #expect(try await provider.credentials().accessKeyID == "ASIA1")
        await provider.waitForRefresh()
        #expect(provider.fetchCount == 3)

        // Mandatory window: callers wait; a failure still returns the unexpired credentials.
        clock.advance(150)
        #expect(try await provider.credentials().accessKeyID == "ASIA1")
        #expect(provider.fetchCount == 4)

        // Expired and the refresh fails: the error, without any secret.
        clock.advance(100)
        let error = await #expect(throws: AWSCredentialError.self) { try await provider.credentials() }
        #expect(error?.description.hasPrefix("Could not get AWS credentials from test: refresh") == true)
        #expect(error?.description.contains("secret-1") == false)

        source.setFailing(false)
        #expect(try await provider.credentials().accessKeyID == "ASIA6")
    }

    @Test func credentialsWithoutExpiryAreFetchedOnce() async throws {
        let counter = Source(clock: TestClock())
        let provider = RefreshingCredentialProvider(source: "test", detail: "static") { () async throws(AWSCredentialError) -> AWSCredentials in
            _ = try await counter.fetch()
            return AWSCredentials(accessKeyID: "AKIA", secretAccessKey: "s")
        }
        for _ in 0..<5 { _ = try await provider.credentials() }
        #expect(provider.fetchCount == 1)
    }
}

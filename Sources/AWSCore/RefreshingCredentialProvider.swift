import Foundation
import Synchronization

/// Caches temporary credentials from a fetch (STS, a process, ECS, IMDS) and refreshes them ahead of expiry.
///
/// - Credentials with more than ``advisoryRefresh`` left are returned from the cache.
/// - Within ``advisoryRefresh`` of expiry, the cached credentials are returned at once and one refresh starts in
///   the background; a failed background refresh keeps the cached credentials and is tried again on a later call,
///   at most every ``retryAfterFailure``.
/// - Within ``mandatoryRefresh`` of expiry (or with nothing cached), callers wait for the refresh; concurrent
///   callers share one fetch. If it fails while the cached credentials have not yet expired, those are returned.
public final class RefreshingCredentialProvider: AWSCredentialProvider, Sendable {
    public let source: String
    /// What the credentials are fetched from, without secrets (e.g. a role ARN or an endpoint).
    public let detail: String
    public let advisoryRefresh: TimeInterval
    public let mandatoryRefresh: TimeInterval
    public let retryAfterFailure: TimeInterval
    private let fetch: @Sendable () async throws(AWSCredentialError) -> AWSCredentials
    private let now: @Sendable () -> Date
    /// The cache, the shared refresh and the failure time, which change together.
    private let state = Mutex(State())

    private struct State {
        var cached: AWSCredentials?
        var refreshing: Task<AWSCredentials, any Error>?
        var lastFailure: Date?
        var fetches = 0
    }

    /// `now` is the clock that expiry is judged by (tests inject one).
    public init(source: String, detail: String, advisoryRefresh: TimeInterval = 300, mandatoryRefresh: TimeInterval = 60,
                retryAfterFailure: TimeInterval = 10, now: @escaping @Sendable () -> Date = { Date() },
                fetch: @escaping @Sendable () async throws(AWSCredentialError) -> AWSCredentials) {
        self.source = source
        self.detail = detail
        self.advisoryRefresh = advisoryRefresh
        self.mandatoryRefresh = mandatoryRefresh
        self.retryAfterFailure = retryAfterFailure
        self.now = now
        self.fetch = fetch
    }

    public var description: String { "\(source) \(detail)" }

    /// How many fetches have been started.
    public var fetchCount: Int { state.withLock { $0.fetches } }

    public func credentials() async throws(AWSCredentialError) -> AWSCredentials {
        let instant = now()
        let (ready, pending): (AWSCredentials?, Task<AWSCredentials, any Error>?) = state.withLock { state in
            guard let cached = state.cached else { return (nil, startRefresh(&state)) }
            guard let expiration = cached.expiration, instant >= expiration.addingTimeInterval(-advisoryRefresh) else {
                return (cached, nil)
            }
            guard instant >= expiration.addingTimeInterval(-mandatoryRefresh) else {
                if state.refreshing == nil, state.lastFailure.map({ instant.timeIntervalSince($0) >= retryAfterFailure }) ?? true {
                    _ = startRefresh(&state)
                }
                return (cached, nil)
            }
            return (nil, startRefresh(&state))
        }
        if let ready { return ready }
        guard let pending else { throw AWSCredentialError(source: source, message: "no refresh was started") }
        do {
            return try await pending.value
        } catch {
            if let still = state.withLock({ $0.cached }), let expiration = still.expiration, now() < expiration {
                return still
            }
            throw (error as? AWSCredentialError) ?? AWSCredentialError(source: source, message: String(describing: error))
        }
    }

    /// The running refresh, or a new one, in the locked `state`.
    private func startRefresh(_ state: inout State) -> Task<AWSCredentials, any Error> {
        if let refreshing = state.refreshing { return refreshing }
        state.fetches += 1
        let task = Task<AWSCredentials, any Error> { [fetch, now] in
            do {
                let fresh = try await fetch()
                self.state.withLock { state in
                    state.cached = fresh
                    state.refreshing = nil
                    state.lastFailure = nil
                }
                return fresh
            } catch {
                let failedAt = now()
                self.state.withLock { state in
                    state.refreshing = nil
                    state.lastFailure = failedAt
                }
                throw error
            }
        }
        state.refreshing = task
        return task
    }

    /// Waits for a refresh that is running, if any (for tests and for a clean shutdown).
    public func waitForRefresh() async {
        let task = state.withLock { $0.refreshing }
        _ = try? await task?.value
    }
}

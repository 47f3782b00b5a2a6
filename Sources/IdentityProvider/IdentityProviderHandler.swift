import Foundation
import IdentityModel
import SecretStore

/// Decides logins: the one function behind `sftpidp serve`, `sftpidp test-login` and the console's test panel.
///
/// Follows CONTRACT.md section 4 step by step (see ``decide(_:)``), keeps each user of a store that tracks its
/// changes (the embedded store) prepared per secret version until anything in the store changes, reads the
/// secrets of other stores through a ``SecretCache``,
/// guards password checks with a ``LoginThrottle`` and checks every password login with exactly one hash
/// verification on the ``PasswordChecker``'s own threads. Safe to share between tasks.
public final class IdentityProviderHandler: Sendable {
    /// What the handler reads and how it guards itself.
    public struct Configuration: Sendable {
        /// Where the user secrets live.
        public var store: any SecretStore
        /// How a user's secret is named.
        public var namingScheme: NamingScheme
        /// How long secret reads of a store that does not track its changes are kept; zero (the default) reads
        /// such a store on every login. A ``ChangeTrackingSecretStore`` is never read through this cache.
        public var cacheTimeToLive: Duration
        /// Most secrets kept in the cache, and most users (per protocol) kept prepared.
        public var cacheCapacity: Int
        /// Brute-force protection limits.
        public var throttle: LoginThrottle.Configuration
        /// Password hashing threads, queue and the configured argon2 cost.
        public var passwordChecking: PasswordChecker.Configuration
        /// Waits out a throttle delay: injectable so tests need not wait.
        public var sleep: @Sendable (Duration) async -> Void
        /// The current time: injectable so tests can move it.
        public var now: @Sendable () -> Date

        public init(
            store: any SecretStore,
            namingScheme: NamingScheme = .sftpPrefix,
            cacheTimeToLive: Duration = .zero,
            cacheCapacity: Int = 10_000,
            throttle: LoginThrottle.Configuration = LoginThrottle.Configuration(),
            passwordChecking: PasswordChecker.Configuration = PasswordChecker.Configuration(),
            sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) },
            now: @escaping @Sendable () -> Date = Date.init
        ) {
            self.store = store
            self.namingScheme = namingScheme
            self.cacheTimeToLive = cacheTimeToLive
            self.cacheCapacity = cacheCapacity
            self.throttle = throttle
            self.passwordChecking = passwordChecking
            self.sleep = sleep
            self.now = now
        }
    }

    public let configuration: Configuration
    /// The secret reads kept for ``Configuration/cacheTimeToLive``; writers call its `invalidate` methods.
    public let cache: SecretCache
    /// The users logins read, kept prepared while a change-tracking store stays unchanged.
    let users: LoginUserSource
    /// The failed-attempt counters.
    public let throttle: LoginThrottle
    /// The password checks and the threads they run on.
    public let passwordChecker: PasswordChecker

    public init(configuration: Configuration) {
        self.configuration = configuration
        self.cache = SecretCache(store: configuration.store, timeToLive: configuration.cacheTimeToLive, capacity: configuration.cacheCapacity, now: configuration.now)
        self.users = LoginUserSource(secrets: cache, capacity: configuration.cacheCapacity)
        self.throttle = LoginThrottle(configuration: configuration.throttle)
        self.passwordChecker = PasswordChecker(configuration: configuration.passwordChecking)
    }

    /// Decides one login. Never throws: a denial is a decision with an empty response, and only a store
    /// that cannot be read gives ``LoginOutcome/storeFailure(_:)``.
    ///
    /// Every password login the throttle lets through is counted: as a success only when fully allowed, as a
    /// failure otherwise (wrong password, but also a right one for a disabled, expired or out-of-network user).
    ///
    /// The steps, in order: the request's fields; no FTP without a password; the throttle (password logins);
    /// the secret (found, a JSON object); the password or the public keys (per-protocol keys first); disabled;
    /// expiry; allowed server ids; source IP in `AcceptedIpNetwork`; the answer (a `Role` is required).
    ///
    /// With `recordingChecks` false the decision's ``LoginDecision/checks`` are left empty and their texts never
    /// built: `serve` and the Lambda function only log the reason.
    public func decide(_ request: LoginRequest, recordingChecks: Bool = true) async -> LoginOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let now = configuration.now()
        var evaluation = LoginEvaluation(request: request, namingScheme: configuration.namingScheme, users: users, throttle: throttle, checker: passwordChecker, sleep: configuration.sleep, now: now, recordsChecks: recordingChecks)
        do throws(LoginStop) {
            let allowed = try await evaluation.run()
            if let attempt = evaluation.passwordAttempt {
                await throttle.recordSuccess(user: attempt.user)
            }
            var decision = LoginDecision(response: allowed.response, denialCategory: nil, reason: allowed.reason, checks: evaluation.checks, authentication: request.authentication, duration: clock.now - start)
            decision.preparedResponseText = allowed.responseText
            return .decided(decision)
        } catch {
            switch error {
            case .denied(let category, let reason):
                if let attempt = evaluation.passwordAttempt {
                    await throttle.recordFailure(user: attempt.user, address: attempt.address, at: now)
                }
                return .decided(LoginDecision(response: .object([:]), denialCategory: category, reason: reason, checks: evaluation.checks, authentication: request.authentication, duration: clock.now - start))
            case .storeFailure(let message):
                return .storeFailure(LoginStoreFailure(message: message, checks: evaluation.checks, duration: clock.now - start))
            }
        }
    }
}

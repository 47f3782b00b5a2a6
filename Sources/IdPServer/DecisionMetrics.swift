import IdentityProvider
import Prometheus

/// The endpoint's Prometheus metrics: decisions by result and denial reason, and decision latency.
///
/// Names: `sftpidp_login_decisions_total{result, reason}` (result `allowed`, `denied` or `error`; reason a
/// ``DenialCategory`` raw value, `none` when allowed, `store_unavailable` for errors) and
/// `sftpidp_login_decision_duration_seconds` (histogram).
///
/// With ``update(from:)`` before each exposition, also the throttle's and the hashing pool's state:
/// `sftpidp_throttle_tracked_entries`, `sftpidp_throttle_tracked_bytes`, `sftpidp_throttle_locked_addresses`,
/// `sftpidp_throttle_slowed_users` (gauges), `sftpidp_throttle_refusals_total`, `sftpidp_throttle_delays_total`,
/// `sftpidp_throttle_evictions_total` (counters), `sftpidp_password_hashing_queued`,
/// `sftpidp_password_hashing_running` (gauges) and `sftpidp_password_hashing_rejections_total` (counter).
public final class DecisionMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let latency: DurationHistogram
    private let trackedEntries: Gauge
    private let trackedBytes: Gauge
    private let lockedAddresses: Gauge
    private let slowedUsers: Gauge
    private let refusals: Counter
    private let delays: Counter
    private let evictions: Counter
    private let hashingQueued: Gauge
    private let hashingRunning: Gauge
    private let hashingRejections: Counter
    /// The decision counters, made once: looking a labelled counter up in the registry costs a lock and a search.
    private let allowedDecisions: Counter
    private let failedDecisions: Counter
    private let deniedDecisions: [DenialCategory: Counter]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.latency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "sftpidp_login_decision_duration", unitName: "seconds", helpText: "Time to decide one login, store reads and hashing included."),
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5)]
        )
        func gauge(_ name: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, helpText: help))
        }
        func total(_ name: String, _ help: String) -> Counter {
            registry.makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "total", helpText: help))
        }
        trackedEntries = gauge("sftpidp_throttle_tracked_entries", "Users and source addresses the throttle remembers.")
        trackedBytes = gauge("sftpidp_throttle_tracked_bytes", "Estimated bytes the throttle's counters take.")
        lockedAddresses = gauge("sftpidp_throttle_locked_addresses", "Source addresses (IPv4, IPv6 /64) whose password logins are refused now.")
        slowedUsers = gauge("sftpidp_throttle_slowed_users", "Users whose password logins are slowed down now.")
        refusals = total("sftpidp_throttle_refusals", "Password logins refused because their source address was locked.")
        delays = total("sftpidp_throttle_delays", "Password logins slowed down because their user had many recent failures.")
        evictions = total("sftpidp_throttle_evictions", "Throttle entries forgotten to stay within the byte bound.")
        hashingQueued = gauge("sftpidp_password_hashing_queued", "Password checks waiting for a hashing thread.")
        hashingRunning = gauge("sftpidp_password_hashing_running", "Password checks running on the hashing threads.")
        hashingRejections = total("sftpidp_password_hashing_rejections", "Password logins denied at once because the hashing queue was full.")
        // Every series exists from the start, at zero, so rates work from the first scrape.
        allowedDecisions = Self.counter(registry, result: "allowed", reason: "none")
        failedDecisions = Self.counter(registry, result: "error", reason: "store_unavailable")
        deniedDecisions = Dictionary(uniqueKeysWithValues: DenialCategory.allCases.map { category in
            (category, Self.counter(registry, result: "denied", reason: category.rawValue))
        })
    }

    /// Counts one decision and its latency.
    public func record(_ decision: LoginDecision) {
        let counter = decision.denialCategory.map { deniedDecisions[$0] ?? Self.counter(registry, result: "denied", reason: $0.rawValue) } ?? allowedDecisions
        counter.increment()
        latency.record(decision.duration)
    }

    /// Counts one request the store could not answer.
    public func record(_ failure: LoginStoreFailure) {
        failedDecisions.increment()
        latency.record(failure.duration)
    }

    /// Copies the throttle's and the hashing pool's counts into their series.
    public func update(from handler: IdentityProviderHandler) async {
        let throttle = await handler.throttle.statistics(at: handler.configuration.now())
        trackedEntries.set(Int64(throttle.trackedEntries))
        trackedBytes.set(Int64(throttle.trackedBytes))
        lockedAddresses.set(Int64(throttle.lockedAddresses))
        slowedUsers.set(Int64(throttle.slowedUsers))
        Self.set(refusals, to: throttle.refusals)
        Self.set(delays, to: throttle.delays)
        Self.set(evictions, to: throttle.evictions)
        let hashing = handler.passwordChecker.pool.statistics
        hashingQueued.set(Int64(hashing.queued))
        hashingRunning.set(Int64(hashing.running))
        Self.set(hashingRejections, to: hashing.rejected)
    }

    /// A counter kept by its source as a running total: set to that total.
    private static func set(_ counter: Counter, to total: Int) {
        counter.reset()
        counter.increment(by: Int64(total))
    }

    /// The metrics in the Prometheus text format.
    public func exposition() -> String {
        registry.emitToString()
    }

    private static func counter(_ registry: PrometheusCollectorRegistry, result: String, reason: String) -> Counter {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "sftpidp_login_decisions", unitName: "total", helpText: "Login decisions by result and denial reason."),
            labels: [("result", result), ("reason", reason)]
        )
    }
}

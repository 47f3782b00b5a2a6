import IdentityProvider
import Prometheus

/// The endpoint's Prometheus metrics: decisions by result and denial reason, and decision latency.
///
/// Names: `sftpidp_login_decisions_total{result, reason}` (result `allowed`, `denied` or `error`; reason a
/// ``DenialCategory`` raw value, `none` when allowed, `store_unavailable` for errors) and
/// `sftpidp_login_decision_duration_seconds` (histogram).
public final class DecisionMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let latency: DurationHistogram


    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.latency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "sftpidp_login_decision_duration", unitName: "seconds", helpText: "Time to decide one login, store reads and hashing included."),
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5)]
        )
        // Every series exists from the start, at zero, so rates work from the first scrape.
        _ = counter(result: "allowed", reason: "none")
        _ = counter(result: "error", reason: "store_unavailable")
        for category in DenialCategory.allCases {
            _ = counter(result: "denied", reason: category.rawValue)
        }
    }

    /// Counts one decision and its latency.
    public func record(_ decision: LoginDecision) {
        let reason = decision.denialCategory?.rawValue ?? "none"
        counter(result: decision.isAllowed ? "allowed" : "denied", reason: reason).increment()
        latency.record(decision.duration)
    }

    /// Counts one request the store could not answer.
    public func record(_ failure: LoginStoreFailure) {
        counter(result: "error", reason: "store_unavailable").increment()
        latency.record(failure.duration)
    }

    /// The metrics in the Prometheus text format.
    public func exposition() -> String {
        registry.emitToString()
    }

    private func counter(result: String, reason: String) -> Counter {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "sftpidp_login_decisions", unitName: "total", helpText: "Login decisions by result and denial reason."),
            labels: [("result", result), ("reason", reason)]
        )
    }
}

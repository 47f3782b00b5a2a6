/// Timeouts, retries and caching of an AWS client.
public struct AWSClientOptions: Sendable, Hashable {
    /// The limit for one HTTP attempt, from sending to the last byte of the answer.
    public var timeout: Duration
    /// Attempts per call, the first one included; throttling, 5xx answers and network failures are retried.
    public var maxAttempts: Int
    /// Backoff: before retry `n` wait a random time in `0 ..< min(maxRetryDelay, baseRetryDelay * 2^n)` (full jitter).
    public var baseRetryDelay: Duration
    public var maxRetryDelay: Duration
    /// How long our own creates and deletes are overlaid on listings (ListSecrets is eventually consistent).
    public var listingOverlayLifetime: Duration
    /// Largest answer body accepted.
    public var maxResponseBytes: Int

    public init(timeout: Duration = .seconds(10), maxAttempts: Int = 4, baseRetryDelay: Duration = .milliseconds(100),
                maxRetryDelay: Duration = .seconds(5), listingOverlayLifetime: Duration = .seconds(300),
                maxResponseBytes: Int = 16 << 20) {
        self.timeout = timeout
        self.maxAttempts = max(1, maxAttempts)
        self.baseRetryDelay = baseRetryDelay
        self.maxRetryDelay = maxRetryDelay
        self.listingOverlayLifetime = listingOverlayLifetime
        self.maxResponseBytes = maxResponseBytes
    }

    /// The wait before retry number `retry` (1 for the first retry), drawn with full jitter.
    public func retryDelay(retry: Int) -> Duration {
        let exponent = min(retry - 1, 20)
        let ceiling = min(maxRetryDelay, baseRetryDelay * (1 << exponent))
        let ceilingSeconds = Double(ceiling.components.seconds) + Double(ceiling.components.attoseconds) / 1e18
        guard ceilingSeconds > 0 else { return .zero }
        return .milliseconds(Int(Double.random(in: 0..<ceilingSeconds) * 1000))
    }
}

import Synchronization

/// Counts HTTP requests sent to the service, per operation (retries included), and the retries among them.
final class CallCounters: Sendable {
    private let counts = Mutex<(all: [String: Int], retries: [String: Int])>(([:], [:]))

    func record(_ operation: String, isRetry: Bool) {
        counts.withLock { counts in
            counts.all[operation, default: 0] += 1
            if isRetry { counts.retries[operation, default: 0] += 1 }
        }
    }

    var snapshot: [String: Int] { counts.withLock { $0.all } }
    var retries: [String: Int] { counts.withLock { $0.retries } }
}

import Synchronization

/// Counts HTTP requests sent to the service, per operation (retries included).
final class CallCounters: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func record(_ operation: String) {
        counts.withLock { $0[operation, default: 0] += 1 }
    }

    var snapshot: [String: Int] { counts.withLock { $0 } }
}

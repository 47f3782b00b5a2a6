import Foundation

/// Counts HTTP requests sent to the service, per operation (retries included).
final class CallCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func record(_ operation: String) {
        lock.withLock { counts[operation, default: 0] += 1 }
    }

    var snapshot: [String: Int] { lock.withLock { counts } }

    func reset() { lock.withLock { counts = [:] } }
}

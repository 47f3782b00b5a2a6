import Synchronization

/// Public keys parsed from stored secrets, by their exact line: every login reads a user's keys again (and checks
/// the whole secret once more), while the lines themselves rarely change. Keys are public, so keeping them is safe;
/// lines that do not parse are not kept, so their error is always produced afresh.
final class StoredKeyCache: Sendable {
    static let shared = StoredKeyCache(capacity: 4_096)

    private let capacity: Int
    private let keys = Mutex<[String: SSHPublicKey]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// How many lines are remembered.
    var count: Int { keys.withLock { $0.count } }

    /// The key on `line`, parsed once and then remembered (the cache starts over when it holds `capacity` lines).
    func key(parsing line: String) throws(SSHKeyError) -> SSHPublicKey {
        if let known = keys.withLock({ $0[line] }) { return known }
        let key = try SSHPublicKey(parsing: line)
        keys.withLock { keys in
            if keys.count >= capacity { keys.removeAll(keepingCapacity: true) }
            keys[line] = key
        }
        return key
    }
}

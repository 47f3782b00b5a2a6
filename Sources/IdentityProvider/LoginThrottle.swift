import Foundation

/// Brute-force protection for password logins, built so that an attacker can neither read it nor aim it at
/// someone else (docs/security.md, "Throttle"):
///
/// - **Per source address** (an IPv4 address, or an IPv6 /64): ``Configuration/maxFailuresPerAddress`` failures
///   within the window refuse that address's password logins for the cool-down. Guessing from one address stops.
/// - **Per user** (the secret name): failures from anywhere never lock the user out. Past
///   ``Configuration/freeFailuresPerUser`` failures within the window, every password login for that user waits
///   ``Configuration/userDelayBase`` doubled per further failure, at most ``Configuration/userDelayMax``, before
///   its password is checked. Guessing one user from many addresses slows down; the user can still log in.
/// - Every password login that is not fully allowed counts as a failure, and only a fully allowed login clears
///   the user's count (never the address's), so the counts do not tell whether a password was right.
/// - Memory is bounded in bytes (``Configuration/maxTrackedBytes``): past it the least recently touched entries
///   are forgotten, entries without a lock first.
public actor LoginThrottle {
    /// Limits of the throttle. The defaults: 20 failures from one address within 15 minutes lock it for 15
    /// minutes; past 5 failures for one user its password logins wait 1 s, 2 s, 4 s ... at most 16 s.
    public struct Configuration: Sendable, Hashable {
        /// Failed attempts from one address (IPv4, or IPv6 /64) that lock it; 0 turns address locks off.
        public var maxFailuresPerAddress: Int
        /// Failed attempts for one user before its password logins are slowed down; 0 turns slowing off.
        public var freeFailuresPerUser: Int
        /// How far back failures are counted.
        public var window: Duration
        /// How long a locked address's password attempts are refused.
        public var cooldown: Duration
        /// The first delay once a user's free failures are spent; it doubles with each further failure.
        public var userDelayBase: Duration
        /// The longest delay for one attempt.
        public var userDelayMax: Duration
        /// Most bytes the counters may take (an estimate per entry: its key, its timestamps, fixed overhead).
        public var maxTrackedBytes: Int

        public init(
            maxFailuresPerAddress: Int = 20,
            freeFailuresPerUser: Int = 5,
            window: Duration = .seconds(15 * 60),
            cooldown: Duration = .seconds(15 * 60),
            userDelayBase: Duration = .seconds(1),
            userDelayMax: Duration = .seconds(16),
            maxTrackedBytes: Int = 16 << 20
        ) {
            self.maxFailuresPerAddress = maxFailuresPerAddress
            self.freeFailuresPerUser = freeFailuresPerUser
            self.window = window
            self.cooldown = cooldown
            self.userDelayBase = userDelayBase
            self.userDelayMax = userDelayMax
            self.maxTrackedBytes = maxTrackedBytes
        }

        /// No throttling at all.
        public static let disabled = Configuration(maxFailuresPerAddress: 0, freeFailuresPerUser: 0)

        /// A problem with these limits naming the option and the rule, or `nil` when they are usable.
        public var validationError: String? {
            if !(0...1_000_000).contains(maxFailuresPerAddress) { return "the failure limit per source address must be 0 (off) to 1000000" }
            if !(0...1_000_000).contains(freeFailuresPerUser) { return "the free failures per user must be 0 (off) to 1000000" }
            if window <= .zero || window > .seconds(86_400) { return "the throttle window must be more than 0 and at most 86400 seconds" }
            if cooldown <= .zero || cooldown > .seconds(86_400) { return "the throttle cool-down must be more than 0 and at most 86400 seconds" }
            if userDelayBase < .zero || userDelayBase > .seconds(60) { return "the first user delay must be 0 to 60 seconds" }
            if userDelayMax < userDelayBase || userDelayMax > .seconds(60) { return "the longest user delay must be at least the first and at most 60 seconds" }
            if maxTrackedBytes < 64 * 1024 { return "the throttle must be allowed at least 65536 bytes" }
            return nil
        }
    }

    /// What the throttle says about one password attempt.
    public enum Verdict: Sendable, Hashable {
        /// Go on, after waiting `delay` (zero when the user has no recent failures to speak of).
        case proceed(delay: Duration)
        /// The address is locked: deny without checking the password.
        case refused(Refusal)
    }

    /// A refused attempt: which address is locked and until when.
    public struct Refusal: Sendable, Hashable, CustomStringConvertible {
        /// The address or network, e.g. `203.0.113.9` or `2001:db8::/64`.
        public var subject: String
        public var until: Date

        public var description: String {
            "too many failed password attempts from source address \(subject); its password logins are refused until \(until.formatted(.iso8601)) without checking the password"
        }
    }

    /// Counts for metrics.
    public struct Statistics: Sendable, Hashable {
        /// Users and addresses remembered now.
        public var trackedEntries: Int
        /// The estimated bytes they take.
        public var trackedBytes: Int
        /// Addresses locked now.
        public var lockedAddresses: Int
        /// Users whose password logins are slowed down now.
        public var slowedUsers: Int
        /// Attempts refused because their address was locked, since start.
        public var refusals: Int
        /// Attempts slowed down, since start.
        public var delays: Int
        /// Entries forgotten to stay within the byte bound, since start.
        public var evictions: Int
    }

    private enum Key: Hashable {
        case user(String)
        case address([UInt8])
        /// Requests that carry no source address share one counter.
        case noAddress

        var byteCount: Int {
            switch self {
            case .user(let name): name.utf8.count
            case .address(let bytes): bytes.count
            case .noAddress: 0
            }
        }
    }

    private struct Entry {
        var failures: [Date] = []
        var lockedUntil: Date?
        var lastTouched: Date
    }

    /// Bytes charged per entry besides its key and timestamps: dictionary slot, array header, dates.
    static let entryOverhead = 128

    public let configuration: Configuration
    private var entries: [Key: Entry] = [:]
    private var trackedBytes = 0
    private var refusals = 0
    private var delays = 0
    private var evictions = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Whether a password attempt for `user` (its secret name) from `address` may go on, and after what delay.
    public func verdict(user: String, address: SourceAddress?, at now: Date) -> Verdict {
        let addressKey = Self.key(for: address)
        if let until = entries[addressKey]?.lockedUntil, until > now {
            refusals += 1
            return .refused(Refusal(subject: address?.description ?? "(none given)", until: until))
        }
        let delay = userDelay(failures: recentFailures(.user(user), at: now))
        if delay > .zero { delays += 1 }
        return .proceed(delay: delay)
    }

    /// Counts one password attempt that was not fully allowed, against the user and the address.
    public func recordFailure(user: String, address: SourceAddress?, at now: Date) {
        if configuration.freeFailuresPerUser > 0 {
            // The delay stops growing at its maximum, so older failures past that need not be kept.
            count(.user(user), keep: configuration.freeFailuresPerUser + Self.doublingsToMax(configuration) + 1, lockAt: nil, at: now)
        }
        if configuration.maxFailuresPerAddress > 0 {
            count(Self.key(for: address), keep: configuration.maxFailuresPerAddress, lockAt: configuration.maxFailuresPerAddress, at: now)
        }
    }

    /// Forgets the user's failures after a fully allowed password login (the address's failures stay).
    public func recordSuccess(user: String) {
        remove(.user(user))
    }

    /// The counts now.
    public func statistics(at now: Date) -> Statistics {
        var locked = 0
        var slowed = 0
        for (key, entry) in entries {
            switch key {
            case .user:
                if userDelay(failures: entry.failures.filter { $0 > now.addingTimeInterval(-configuration.window.timeInterval) }.count) > .zero { slowed += 1 }
            case .address, .noAddress:
                if let until = entry.lockedUntil, until > now { locked += 1 }
            }
        }
        return Statistics(trackedEntries: entries.count, trackedBytes: trackedBytes, lockedAddresses: locked, slowedUsers: slowed, refusals: refusals, delays: delays, evictions: evictions)
    }

    /// The delay for a user with this many failures in the window.
    func userDelay(failures: Int) -> Duration {
        let free = configuration.freeFailuresPerUser
        guard free > 0, failures >= free, configuration.userDelayBase > .zero else { return .zero }
        let doublings = min(failures - free, Self.doublingsToMax(configuration))
        let delay = configuration.userDelayBase * (1 << doublings)
        return min(delay, configuration.userDelayMax)
    }

    /// How many doublings take the first delay to the longest (at most 30).
    private static func doublingsToMax(_ configuration: Configuration) -> Int {
        guard configuration.userDelayBase > .zero else { return 0 }
        var doublings = 0
        var delay = configuration.userDelayBase
        while delay < configuration.userDelayMax && doublings < 30 {
            delay = delay * 2
            doublings += 1
        }
        return doublings
    }

    private static func key(for address: SourceAddress?) -> Key {
        address.map { .address($0.counterKey) } ?? .noAddress
    }

    private func recentFailures(_ key: Key, at now: Date) -> Int {
        guard let failures = entries[key]?.failures else { return 0 }
        let windowStart = now.addingTimeInterval(-configuration.window.timeInterval)
        return failures.reduce(0) { $0 + ($1 > windowStart ? 1 : 0) }
    }

    private func count(_ key: Key, keep: Int, lockAt limit: Int?, at now: Date) {
        var entry = entries[key] ?? Entry(lastTouched: now)
        let bytesBefore = entries[key].map { Self.cost(key, $0) } ?? 0
        if let until = entry.lockedUntil, until <= now {
            entry.lockedUntil = nil
        }
        let windowStart = now.addingTimeInterval(-configuration.window.timeInterval)
        entry.failures.removeAll { $0 <= windowStart }
        entry.failures.append(now)
        if entry.failures.count > keep {
            entry.failures.removeFirst(entry.failures.count - keep)
        }
        if let limit, entry.failures.count >= limit {
            entry.lockedUntil = now.addingTimeInterval(configuration.cooldown.timeInterval)
            entry.failures.removeAll()
        }
        entry.lastTouched = now
        entries[key] = entry
        trackedBytes += Self.cost(key, entry) - bytesBefore
        evictIfNeeded(at: now)
    }

    private func remove(_ key: Key) {
        guard let entry = entries.removeValue(forKey: key) else { return }
        trackedBytes -= Self.cost(key, entry)
    }

    private static func cost(_ key: Key, _ entry: Entry) -> Int {
        entryOverhead + key.byteCount + entry.failures.count * MemoryLayout<Date>.stride
    }

    /// Past the byte bound, forgets the least recently touched entries down to 90% of it: unlocked ones first,
    /// so that flooding the table with new addresses does not free a locked one.
    private func evictIfNeeded(at now: Date) {
        guard trackedBytes > configuration.maxTrackedBytes else { return }
        let target = configuration.maxTrackedBytes / 10 * 9
        let order = entries.sorted { left, right in
            let leftLocked = (left.value.lockedUntil ?? .distantPast) > now
            let rightLocked = (right.value.lockedUntil ?? .distantPast) > now
            if leftLocked != rightLocked { return !leftLocked }
            return left.value.lastTouched < right.value.lastTouched
        }
        for (key, _) in order {
            guard trackedBytes > target else { break }
            remove(key)
            evictions += 1
        }
    }
}

extension Duration {
    /// The duration in seconds as a `TimeInterval`.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

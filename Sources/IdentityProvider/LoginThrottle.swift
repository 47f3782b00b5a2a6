import Foundation

/// Brute-force protection: counts failed password attempts per user and per source address, and refuses
/// further password attempts for a cool-down once either count reaches its limit within the window.
///
/// A refused attempt never reaches the password check. Success clears the user's count (not the address's,
/// so that one good account does not launder attempts on others). Memory is bounded: past
/// ``Configuration/maxTrackedEntries`` the least recently touched entries are forgotten.
public actor LoginThrottle {
    /// Limits of the throttle. The defaults: 5 failures per user or 20 per source address within 15 minutes
    /// lock that user or address for 15 minutes.
    public struct Configuration: Sendable, Hashable {
        /// Failed attempts for one user (on one server) that start a cool-down; 0 turns the per-user limit off.
        public var maxFailuresPerUser: Int
        /// Failed attempts from one source address that start a cool-down; 0 turns the per-address limit off.
        public var maxFailuresPerSourceIP: Int
        /// How far back failures are counted.
        public var window: Duration
        /// How long attempts are refused once a limit is reached.
        public var cooldown: Duration
        /// At most this many users plus addresses are remembered.
        public var maxTrackedEntries: Int

        public init(maxFailuresPerUser: Int = 5, maxFailuresPerSourceIP: Int = 20, window: Duration = .seconds(15 * 60), cooldown: Duration = .seconds(15 * 60), maxTrackedEntries: Int = 100_000) {
            self.maxFailuresPerUser = maxFailuresPerUser
            self.maxFailuresPerSourceIP = maxFailuresPerSourceIP
            self.window = window
            self.cooldown = cooldown
            self.maxTrackedEntries = maxTrackedEntries
        }

        /// No throttling at all.
        public static let disabled = Configuration(maxFailuresPerUser: 0, maxFailuresPerSourceIP: 0)

        /// A problem with these limits naming the option and the rule, or `nil` when they are usable.
        public var validationError: String? {
            if maxFailuresPerUser < 0 { return "the failure limit per user must be 0 (off) or more" }
            if maxFailuresPerSourceIP < 0 { return "the failure limit per source IP must be 0 (off) or more" }
            if window <= .zero { return "the throttle window must be longer than 0 seconds" }
            if cooldown <= .zero { return "the throttle cool-down must be longer than 0 seconds" }
            if maxTrackedEntries < 1 { return "the throttle must track at least 1 entry" }
            return nil
        }
    }

    /// What a refusal is about.
    public enum Scope: String, Sendable, Hashable {
        case user
        case sourceIP = "source IP"
    }

    /// A refused attempt: who is locked and until when.
    public struct Refusal: Sendable, Hashable, CustomStringConvertible {
        public var scope: Scope
        /// The user name or the source address.
        public var subject: String
        public var until: Date

        public var description: String {
            let what = scope == .user ? "user \(subject)" : "source IP \(subject)"
            return "too many failed password attempts for \(what); password logins refused until \(until.formatted(.iso8601)) without checking the password"
        }
    }

    private enum Key: Hashable {
        case user(serverID: String, username: String)
        case sourceIP(String)
    }

    private struct Entry {
        var failures: [Date] = []
        var lockedUntil: Date?
        var lastTouched: Date
    }

    public let configuration: Configuration
    private var entries: [Key: Entry] = [:]

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The refusal in force for this user or address at `now`, or `nil` when the attempt may go on.
    public func refusal(serverID: String, username: String, sourceIP: String?, at now: Date) -> Refusal? {
        if let until = lockedUntil(.user(serverID: serverID, username: username), at: now) {
            return Refusal(scope: .user, subject: username, until: until)
        }
        if let sourceIP, let until = lockedUntil(.sourceIP(sourceIP), at: now) {
            return Refusal(scope: .sourceIP, subject: sourceIP, until: until)
        }
        return nil
    }

    /// Counts one failed password attempt against the user and the address.
    public func recordFailure(serverID: String, username: String, sourceIP: String?, at now: Date) {
        count(.user(serverID: serverID, username: username), limit: configuration.maxFailuresPerUser, at: now)
        if let sourceIP {
            count(.sourceIP(sourceIP), limit: configuration.maxFailuresPerSourceIP, at: now)
        }
    }

    /// Forgets the user's failures after a successful password login.
    public func recordSuccess(serverID: String, username: String) {
        entries[.user(serverID: serverID, username: username)] = nil
    }

    /// How many users and addresses are remembered now.
    public var trackedEntryCount: Int { entries.count }

    private func lockedUntil(_ key: Key, at now: Date) -> Date? {
        guard let until = entries[key]?.lockedUntil else { return nil }
        return until > now ? until : nil
    }

    private func count(_ key: Key, limit: Int, at now: Date) {
        guard limit > 0 else { return }
        var entry = entries[key] ?? Entry(lastTouched: now)
        if let until = entry.lockedUntil, until <= now {
            entry.lockedUntil = nil
        }
        let windowStart = now.addingTimeInterval(-configuration.window.timeInterval)
        entry.failures.removeAll { $0 <= windowStart }
        entry.failures.append(now)
        if entry.failures.count >= limit {
            entry.lockedUntil = now.addingTimeInterval(configuration.cooldown.timeInterval)
            entry.failures.removeAll()
        }
        entry.lastTouched = now
        entries[key] = entry
        evictIfNeeded()
    }

    /// Drops the least recently touched tenth when the table is over its cap, so eviction is rare.
    private func evictIfNeeded() {
        guard entries.count > configuration.maxTrackedEntries else { return }
        let excess = entries.count - configuration.maxTrackedEntries
        let dropCount = min(entries.count, max(excess, configuration.maxTrackedEntries / 10))
        let oldest = entries.sorted { $0.value.lastTouched < $1.value.lastTouched }.prefix(dropCount)
        for (key, _) in oldest {
            entries[key] = nil
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

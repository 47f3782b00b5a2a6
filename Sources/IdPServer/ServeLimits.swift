import IdentityModel
import IdentityProvider

/// The numeric options of `sftpidp serve` as given on the command line, checked before anything runs: a value
/// that is not a number (`nan`), infinite, negative or beyond its range is an error naming the option and its
/// range, never a crash or a silent clamp.
public struct ServeLimits: Sendable {
    public var port: Int
    /// `--cache-ttl` in seconds; `nil` lets the store decide.
    public var cacheTTL: Double?
    public var maxFailuresPerIP: Int
    public var maxFailuresPerUser: Int
    public var throttleWindow: Double
    public var throttleCooldown: Double
    public var userDelayMax: Double
    public var maxConnections: Int
    /// `--hashing-threads`; `nil` means one per processor.
    public var hashingThreads: Int?
    public var hashingQueue: Int

    public init(port: Int, cacheTTL: Double?, maxFailuresPerIP: Int, maxFailuresPerUser: Int, throttleWindow: Double, throttleCooldown: Double, userDelayMax: Double, maxConnections: Int, hashingThreads: Int?, hashingQueue: Int) {
        self.port = port
        self.cacheTTL = cacheTTL
        self.maxFailuresPerIP = maxFailuresPerIP
        self.maxFailuresPerUser = maxFailuresPerUser
        self.throttleWindow = throttleWindow
        self.throttleCooldown = throttleCooldown
        self.userDelayMax = userDelayMax
        self.maxConnections = maxConnections
        self.hashingThreads = hashingThreads
        self.hashingQueue = hashingQueue
    }

    /// The checked values, ready for the handler.
    public struct Checked: Sendable {
        public var cacheTTL: Duration?
        public var throttle: LoginThrottle.Configuration
        public var passwordChecking: PasswordChecker.Configuration
    }

    /// The values as configurations; throws naming the first option out of its range.
    public func checked(argon2: Argon2Parameters = .default) throws(IdPServerError) -> Checked {
        _ = try Self.whole(port, "--port", 0...65_535)
        _ = try Self.whole(maxConnections, "--max-connections", IdPServerConfiguration.connectionLimitRange)
        let ttl = try cacheTTL.map { value throws(IdPServerError) in try Self.seconds(value, "--cache-ttl", 0...3600) }
        var throttle = LoginThrottle.Configuration(
            maxFailuresPerAddress: try Self.whole(maxFailuresPerIP, "--max-failures-per-ip", 0...1_000_000),
            freeFailuresPerUser: try Self.whole(maxFailuresPerUser, "--max-failures-per-user", 0...1_000_000),
            window: try Self.seconds(throttleWindow, "--throttle-window", 1...86_400),
            cooldown: try Self.seconds(throttleCooldown, "--throttle-cooldown", 1...86_400)
        )
        throttle.userDelayMax = try Self.seconds(userDelayMax, "--user-delay-max", 0...60)
        throttle.userDelayBase = min(throttle.userDelayBase, throttle.userDelayMax)
        if let problem = throttle.validationError {
            throw IdPServerError(problem)
        }
        var checking = PasswordChecker.Configuration(parameters: argon2)
        if let hashingThreads {
            checking.threads = try Self.whole(hashingThreads, "--hashing-threads", 1...256)
        }
        checking.queueLimit = try Self.whole(hashingQueue, "--hashing-queue", 0...100_000)
        return Checked(cacheTTL: ttl, throttle: throttle, passwordChecking: checking)
    }

    private static func whole(_ value: Int, _ option: String, _ range: ClosedRange<Int>) throws(IdPServerError) -> Int {
        guard range.contains(value) else {
            throw IdPServerError("\(option) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(value)")
        }
        return value
    }

    private static func seconds(_ value: Double, _ option: String, _ range: ClosedRange<Double>) throws(IdPServerError) -> Duration {
        guard value.isFinite, range.contains(value) else {
            throw IdPServerError("\(option) must be a number of seconds from \(Self.shown(range.lowerBound)) to \(Self.shown(range.upperBound)), not \(value)")
        }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    private static func shown(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

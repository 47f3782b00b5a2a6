/// The cost of an argon2id hash: memory in KiB, passes, lanes. Defaults follow the OWASP minimum (19 MiB, 2, 1).
///
/// The ranges are the one limit for both sides: ``PasswordHasher`` only makes hashes within them and
/// ``PasswordVerifier`` refuses stored hashes beyond them, so every hash sftpidp makes can be verified.
public struct Argon2Parameters: Sendable, Hashable {
    /// Memory cost in KiB: 8 KiB up to 1 GiB.
    public static let memoryRange: ClosedRange<UInt32> = 8...1_048_576
    /// Passes: 1 to 64.
    public static let iterationsRange: ClosedRange<UInt32> = 1...64
    /// Lanes: 1 to 64.
    public static let parallelismRange: ClosedRange<UInt32> = 1...64
    /// The limits in words, for messages: "at most 1 GiB of memory, 64 passes and 64 lanes".
    public static let limitsDescription = "at most 1048576 KiB (1 GiB) of memory, 64 passes and 64 lanes"

    /// m=19456 KiB, t=2, p=1.
    public static let `default` = Argon2Parameters(uncheckedMemoryKiB: 19_456, iterations: 2, parallelism: 1)

    /// Memory cost in KiB (`m=`).
    public let memoryKiB: UInt32
    /// Number of passes (`t=`).
    public let iterations: UInt32
    /// Number of lanes (`p=`).
    public let parallelism: UInt32

    /// Checked parameters: memory 8 KiB..1 GiB and at least 8 KiB per lane, iterations 1..64, parallelism 1..64.
    public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) throws(FieldError) {
        guard Self.parallelismRange.contains(parallelism) else {
            throw FieldError(field: "argon2 parallelism", rule: "must be 1 to 64")
        }
        guard Self.iterationsRange.contains(iterations) else {
            throw FieldError(field: "argon2 iterations", rule: "must be 1 to 64")
        }
        guard Self.memoryRange.contains(memoryKiB), memoryKiB >= 8 * parallelism else {
            throw FieldError(field: "argon2 memory", rule: "must be 8 KiB per lane up to 1048576 KiB (1 GiB)")
        }
        self.init(uncheckedMemoryKiB: memoryKiB, iterations: iterations, parallelism: parallelism)
    }

    /// Parses a setting such as `SFTPIDP_ARGON2=m=65536,t=3,p=4`; a part left out keeps its default.
    public init(setting text: String) throws(FieldError) {
        var values: [String: UInt32] = ["m": Self.default.memoryKiB, "t": Self.default.iterations, "p": Self.default.parallelism]
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, values[pair[0]] != nil, let value = UInt32(pair[1]) else {
                throw FieldError(field: "argon2 setting", rule: "must be m=KiB,t=ITERATIONS,p=LANES with whole numbers")
            }
            values[pair[0]] = value
        }
        try self.init(memoryKiB: values["m", default: 0], iterations: values["t", default: 0], parallelism: values["p", default: 0])
    }

    /// The parameters of a PHC-format argon2 hash (`$argon2id$v=19$m=65536,t=3,p=4$salt$hash`), when it is an
    /// argon2id or argon2i hash that names them.
    ///
    /// Unchecked: a hostile hash may ask for more than the limits; ``PasswordVerifier/refusal(of:)`` decides that.
    public init?(ofHash hash: String) {
        guard [.argon2id, .argon2i].contains(PasswordKind(hashString: hash)),
              let field = hash.split(separator: "$").first(where: { $0.hasPrefix("m=") }) else { return nil }
        var cost: [Substring: UInt32] = [:]
        for parameter in field.split(separator: ",") {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.count == 2, let value = UInt32(pair[1]) { cost[pair[0]] = value }
        }
        guard let memory = cost["m"], let iterations = cost["t"], let lanes = cost["p"] else { return nil }
        self.init(uncheckedMemoryKiB: memory, iterations: iterations, parallelism: lanes)
    }

    /// True when a hash with these parameters takes more memory or more passes to verify than one with `configured`.
    ///
    /// Lanes do not count: they split the same memory and passes between threads.
    public func costsMore(than configured: Argon2Parameters) -> Bool {
        memoryKiB > configured.memoryKiB || iterations > configured.iterations
    }

    private init(uncheckedMemoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
        memoryKiB = uncheckedMemoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }
}

extension Argon2Parameters: CustomStringConvertible {
    /// `m=19456,t=2,p=1`: the form `SFTPIDP_ARGON2` and PHC hashes use.
    public var description: String { "m=\(memoryKiB),t=\(iterations),p=\(parallelism)" }
}

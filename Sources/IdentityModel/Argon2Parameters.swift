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

    private init(uncheckedMemoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
        memoryKiB = uncheckedMemoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }
}

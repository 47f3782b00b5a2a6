/// The cost of an argon2id hash: memory in KiB, passes, lanes. Defaults follow the OWASP minimum (19 MiB, 2, 1).
public struct Argon2Parameters: Sendable, Hashable {
    public static let memoryRange: ClosedRange<UInt32> = 8...4_194_304
    public static let iterationsRange: ClosedRange<UInt32> = 1...64
    public static let parallelismRange: ClosedRange<UInt32> = 1...64

    /// m=19456 KiB, t=2, p=1.
    public static let `default` = Argon2Parameters(uncheckedMemoryKiB: 19_456, iterations: 2, parallelism: 1)

    /// Memory cost in KiB (`m=`).
    public let memoryKiB: UInt32
    /// Number of passes (`t=`).
    public let iterations: UInt32
    /// Number of lanes (`p=`).
    public let parallelism: UInt32

    /// Checked parameters: memory 8 KiB..4 GiB and at least 8 KiB per lane, iterations 1..64, parallelism 1..64.
    public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) throws(FieldError) {
        guard Self.parallelismRange.contains(parallelism) else {
            throw FieldError(field: "argon2 parallelism", rule: "must be 1 to 64")
        }
        guard Self.iterationsRange.contains(iterations) else {
            throw FieldError(field: "argon2 iterations", rule: "must be 1 to 64")
        }
        guard Self.memoryRange.contains(memoryKiB), memoryKiB >= 8 * parallelism else {
            throw FieldError(field: "argon2 memory", rule: "must be 8 KiB per lane up to 4194304 KiB (4 GiB)")
        }
        self.init(uncheckedMemoryKiB: memoryKiB, iterations: iterations, parallelism: parallelism)
    }

    private init(uncheckedMemoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
        memoryKiB = uncheckedMemoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }
}

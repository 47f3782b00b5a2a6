import Benchmark
import BenchmarkFixtures
import EmbeddedStore
import Foundation
import SecretStore

/// Embedded-store latencies at 10k and 100k users (read one user, write one user, list every name), and the
/// cost of one argon2id password check.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        timeUnits: .microseconds,
        warmupIterations: 10,
        maxDuration: .seconds(5),
        maxIterations: 100_000
    )

    for userCount in [10_000, 100_000] {
        let label = "\(userCount / 1_000)k users"
        // Benchmarks run one after another; each sets up and tears down its own store.
        nonisolated(unsafe) var seeded: SeededStore?
        let setUp: Benchmark.BenchmarkSetupHook = { seeded = try await SeededStore(userCount: userCount) }
        let tearDown: Benchmark.BenchmarkTeardownHook = { seeded = nil }

        Benchmark("get current (\(label))", closure: { benchmark in
            guard let seeded else { throw BenchmarkFailure("setup did not run") }
            for _ in benchmark.scaledIterations {
                blackHole(try await seeded.getNext())
            }
        }, setup: setUp, teardown: tearDown)

        Benchmark("put new version (\(label))", configuration: .init(maxDuration: .seconds(5), maxIterations: 2_000), closure: { benchmark in
            guard let seeded else { throw BenchmarkFailure("setup did not run") }
            for _ in benchmark.scaledIterations {
                blackHole(try await seeded.putNext())
            }
        }, setup: setUp, teardown: tearDown)

        Benchmark("list all names (\(label))", configuration: .init(timeUnits: .milliseconds, maxDuration: .seconds(10), maxIterations: 100), closure: { _ in
            guard let seeded else { throw BenchmarkFailure("setup did not run") }
            let names = try await seeded.store.listAllSecrets(prefix: "SFTP/")
            guard names.count == userCount else { throw BenchmarkFailure("listed \(names.count) of \(userCount) names") }
            blackHole(names)
        }, setup: setUp, teardown: tearDown)
    }

    passwordBenchmarks()
}

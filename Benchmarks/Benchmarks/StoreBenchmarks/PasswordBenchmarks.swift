import Benchmark
import BenchmarkFixtures
import IdentityModel

/// argon2id verification with the default parameters (m=19456 KiB, t=2, p=1): the cost of every password login.
/// It does not depend on the number of users, so it runs once.
func passwordBenchmarks() {
    nonisolated(unsafe) var hash = ""
    Benchmark("argon2id verify (m=19456,t=2,p=1)", configuration: .init(timeUnits: .milliseconds, maxDuration: .seconds(10), maxIterations: 200), closure: { benchmark in
        for _ in benchmark.scaledIterations {
            let check = PasswordVerifier.verify("correct horse battery staple", against: .hash(hash))
            guard check == .match else { throw BenchmarkFailure("argon2id verify did not match: \(check)") }
            blackHole(check)
        }
    }, setup: {
        hash = try PasswordHasher.hash("correct horse battery staple", parameters: .default)
    })
}

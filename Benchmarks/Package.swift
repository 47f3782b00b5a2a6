// swift-tools-version:6.1
// Benchmarks for sftpidp, kept out of the main package so that users and CI never build package-benchmark.
// Run from the repository root: swift package --package-path Benchmarks benchmark
import PackageDescription

let package = Package(
    name: "sftpidp-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "sftpidp", path: ".."),
        // Only the malloc interposer trait: the runtime interposer (Linux, Swift 6.3) is not needed for these metrics.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // One executable target per area under Benchmarks/<Name>Benchmarks; shared fixtures in BenchmarkFixtures.
        // What several benchmarks share: an embedded store seeded with realistic users.
        .target(
            name: "BenchmarkFixtures",
            dependencies: [
                .product(name: "SecretStore", package: "sftpidp"),
                .product(name: "EmbeddedStore", package: "sftpidp"),
            ],
            path: "Benchmarks/BenchmarkFixtures"
        ),
        .executableTarget(
            name: "StoreBenchmarks",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SecretStore", package: "sftpidp"),
                .product(name: "EmbeddedStore", package: "sftpidp"),
                .product(name: "IdentityModel", package: "sftpidp"),
            ],
            path: "Benchmarks/StoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TerminalBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TerminalUI", package: "sftpidp"),
            ],
            path: "Benchmarks/TerminalBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ConsoleBenchmarks",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Console", package: "sftpidp"),
                .product(name: "TerminalUI", package: "sftpidp"),
                .product(name: "IdentityProvider", package: "sftpidp"),
                .product(name: "SecretStore", package: "sftpidp"),
            ],
            path: "Benchmarks/ConsoleBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "HandlerBenchmarks",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "IdentityProvider", package: "sftpidp"),
                .product(name: "IdentityModel", package: "sftpidp"),
                .product(name: "SecretStore", package: "sftpidp"),
                .product(name: "EmbeddedStore", package: "sftpidp"),
            ],
            path: "Benchmarks/HandlerBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)

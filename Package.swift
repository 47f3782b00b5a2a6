// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "sftpidp",
    platforms: [.macOS(.v15)],  // Synchronization.Mutex
    products: [
        .executable(name: "sftpidp", targets: ["sftpidp"]),
        .executable(name: "sftpidp-lambda", targets: ["sftpidp-lambda"]),
        .library(name: "IdentityModel", targets: ["IdentityModel"]),
        .library(name: "SecretStore", targets: ["SecretStore"]),
        .library(name: "UserManagement", targets: ["UserManagement"]),
        .library(name: "EmbeddedStore", targets: ["EmbeddedStore"]),
        .library(name: "AWSCore", targets: ["AWSCore"]),
        .library(name: "AWSSecretsManager", targets: ["AWSSecretsManager"]),
        .library(name: "IdentityProvider", targets: ["IdentityProvider"]),
        .library(name: "IdPServer", targets: ["IdPServer"]),
        .library(name: "TerminalUI", targets: ["TerminalUI"]),
        .library(name: "Console", targets: ["Console"]),
        .library(name: "IdPLambda", targets: ["IdPLambda"]),
        .library(name: "AccessAnalysis", targets: ["AccessAnalysis"]),
        // For the Fuzz and Benchmarks packages: an in-memory store with the protocol's exact semantics.
        .library(name: "SecretStoreTesting", targets: ["SecretStoreTesting"]),
        .library(name: "ProcessHardening", targets: ["ProcessHardening"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.19.7"),
    ],
    targets: [
        // C shims: the only places that touch C libraries directly.
        .target(
            name: "CPasswordHash",
            linkerSettings: [.linkedLibrary("argon2"), .linkedLibrary("crypt")]
        ),
        .target(name: "CProcessHardening"),
        .target(
            name: "CCurses",
            linkerSettings: [.linkedLibrary("ncursesw")]
        ),

        // Users <-> secret JSON, validation, SSH keys, password hashes, CIDRs.
        .target(
            name: "IdentityModel",
            dependencies: [
                "CPasswordHash",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // The store protocol, its value types and the secret naming schemes.
        .target(
            name: "SecretStore",
            dependencies: ["IdentityModel"],
            swiftSettings: strictSettings
        ),
        // Users as secrets: list, load, save with conflict detection, history; shared by the CLI and the console.
        .target(
            name: "UserManagement",
            dependencies: ["IdentityModel", "SecretStore", "TerminalText"],
            swiftSettings: strictSettings
        ),
        // Process-wide protections for commands that hold secrets in memory (no core dumps).
        .target(
            name: "ProcessHardening",
            dependencies: ["CProcessHardening"],
            swiftSettings: strictSettings
        ),
        // SQLite + AES-256-GCM store that needs no set-up.
        .target(
            name: "EmbeddedStore",
            dependencies: [
                "SecretStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // Shared by every AWS client: SigV4, the credential chain (env, web identity, profiles, process, ECS, IMDS),
        // shared config files, STS, HTTP with retries, clock-skew correction and error mapping.
        .target(
            name: "AWSCore",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // AWS Secrets Manager over awsJson1_1, on AWSCore.
        .target(
            name: "AWSSecretsManager",
            dependencies: [
                "AWSCore",
                "SecretStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSettings
        ),
        // Users' overviews kept between listings: sealed in a private file under $XDG_CACHE_HOME, and for the
        // embedded store beside each version in the store.
        .target(
            name: "ListingCache",
            dependencies: [
                "UserManagement",
                "SecretStore",
                "EmbeddedStore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // Test support: an in-memory SecretStore for unit tests of the layers above.
        .target(
            name: "SecretStoreTesting",
            dependencies: ["SecretStore"],
            swiftSettings: strictSettings
        ),
        // The login decision: request -> answer + reasons.
        .target(
            name: "IdentityProvider",
            dependencies: [
                "IdentityModel",
                "SecretStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The HTTP face of the identity provider (`sftpidp serve`).
        .target(
            name: "IdPServer",
            dependencies: [
                "IdentityModel",
                "IdentityProvider",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The identity provider as an AWS Lambda function: runtime events <-> login requests and answers, and a
        // small generic Lambda Runtime API client loop.
        .target(
            name: "IdPLambda",
            dependencies: [
                "IdentityModel",
                "SecretStore",
                "IdentityProvider",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The one rule for text printed to a terminal: control characters and bidi overrides neutralised.
        .target(name: "TerminalText", swiftSettings: strictSettings),
        // What an allowed login can do: IAM-style evaluation of the role and session policies per directory.
        .target(
            name: "AccessAnalysis",
            swiftSettings: strictSettings
        ),
        // A role's identity policies read from IAM (query protocol, on AWSCore) for the access explainer.
        .target(
            name: "AWSIAM",
            dependencies: ["AWSCore", "AccessAnalysis", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: strictSettings
        ),
        // Terminal abstraction: curses driver, virtual screen, themes.
        .target(
            name: "TerminalUI",
            dependencies: [
                "CCurses",
                "TerminalText",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strictSettings
        ),
        // The console: screens as a state machine over the handler and the store.
        .target(
            name: "Console",
            dependencies: [
                "TerminalUI",
                "IdentityModel",
                "SecretStore",
                "UserManagement",
                "IdentityProvider",
                "AccessAnalysis",
            ],
            swiftSettings: strictSettings
        ),
        // The command line: every command's options, the configuration they resolve and the reports they print.
        .target(
            name: "CommandLineInterface",
            dependencies: [
                "IdentityModel",
                "SecretStore",
                "UserManagement",
                "EmbeddedStore",
                "AWSCore",
                "AWSSecretsManager",
                "ListingCache",
                "IdentityProvider",
                "IdPServer",
                "Console",
                "TerminalUI",
                "TerminalText",
                "AccessAnalysis",
                "AWSIAM",
                "ProcessHardening",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strictSettings
        ),
        // The `sftpidp` binary: only runs CommandLineInterface's root command.
        .executableTarget(
            name: "sftpidp",
            dependencies: ["CommandLineInterface"],
            swiftSettings: strictSettings
        ),
        // The slim Lambda binary (custom runtime `bootstrap`): no curses, SQLite or HTTP server linked in.
        .executableTarget(
            name: "sftpidp-lambda",
            dependencies: [
                "IdPLambda",
                "IdentityProvider",
                "AWSSecretsManager",
                "ProcessHardening",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        // Test support: real peers (moto server, external tools, free ports) shared by the test targets.
        .target(name: "PeerTesting", path: "Tests/PeerTesting"),
        // Test support: a Lambda Runtime API server (the documented endpoints) that hands out events and collects answers.
        .target(
            name: "LambdaRuntimeTesting",
            dependencies: [
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/LambdaRuntimeTesting"
        ),

        .testTarget(name: "IdentityModelTests", dependencies: ["IdentityModel", "PeerTesting"]),
        .testTarget(name: "SecretStoreTests", dependencies: ["SecretStore", "SecretStoreTesting"]),
        .testTarget(name: "UserManagementTests", dependencies: ["UserManagement", "IdentityModel", "SecretStore", "SecretStoreTesting", "TerminalText"]),
        .testTarget(name: "EmbeddedStoreTests", dependencies: ["EmbeddedStore", "SecretStore", "SecretStoreTesting", "PeerTesting"]),
        .testTarget(name: "AWSSecretsManagerTests", dependencies: ["AWSSecretsManager", "AWSCore", "SecretStore", "SecretStoreTesting", "PeerTesting", "ListingCache", "UserManagement", "Console", "IdentityProvider", "TerminalUI"]),
        .testTarget(name: "AWSCoreTests", dependencies: ["AWSCore", "PeerTesting"]),
        .testTarget(
            name: "ListingCacheTests",
            dependencies: ["ListingCache", "EmbeddedStore", "UserManagement", "SecretStore", "PeerTesting",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "IdentityProviderTests",
            dependencies: ["IdentityProvider", "IdentityModel", "SecretStore", "SecretStoreTesting"]
        ),
        .testTarget(
            name: "IdPServerTests",
            dependencies: [
                "IdPServer", "IdentityModel", "IdentityProvider", "PeerTesting", "SecretStore", "SecretStoreTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "IdPLambdaTests",
            dependencies: [
                "IdPLambda", "IdentityProvider", "IdentityModel", "SecretStore", "SecretStoreTesting", "LambdaRuntimeTesting",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TerminalText", "CCurses"]),
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "Console", "TerminalUI", "AccessAnalysis", "IdentityModel", "IdentityProvider", "PeerTesting", "SecretStore", "SecretStoreTesting", "UserManagement",
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            // Text snapshots are read from the source tree by SnapshotTesting, not bundled.
            exclude: ["__Snapshots__"]
        ),
        .testTarget(
            name: "CommandLineInterfaceTests",
            dependencies: [
                "CommandLineInterface", "EmbeddedStore", "IdentityModel", "IdentityProvider", "ListingCache", "SecretStore", "UserManagement",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "AccessAnalysisTests", dependencies: ["AccessAnalysis", "PeerTesting"]),
        .testTarget(name: "PeerTestingTests", dependencies: ["PeerTesting"]),
        .testTarget(name: "AWSIAMTests", dependencies: ["AWSIAM", "AWSCore", "AccessAnalysis", "PeerTesting"]),
        // Runs the real `sftpidp` binary: CLI, curl against `serve`, tmux against the console.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "EmbeddedStore", "SecretStore", "PeerTesting", "LambdaRuntimeTesting",
                "Console", "TerminalUI", "IdentityModel", "IdentityProvider", "UserManagement", "ListingCache",
            ]
        ),
    ]
)

// swift-tools-version:6.1
// libFuzzer targets for sftpidp's parsers of untrusted input, kept out of the main package: they only build with
// `--sanitize=fuzzer`. Build and run them with `bash scripts/fuzz.sh [target] [seconds]` from the repository root.
import PackageDescription

/// One fuzz target: Sources/<name>/main.swift exports `LLVMFuzzerTestOneInput`.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + dependencies,
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "sftpidp-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "sftpidp", path: ".."),
    ],
    targets: [
        // What every target shares: turning bytes into text, and failing loudly when a property does not hold.
        .target(name: "FuzzSupport"),
        fuzzTarget("FuzzSSHPublicKey", [.product(name: "IdentityModel", package: "sftpidp")]),
        fuzzTarget("FuzzIPNetwork", [.product(name: "IdentityModel", package: "sftpidp")]),
        fuzzTarget("FuzzUserSecret", [.product(name: "IdentityModel", package: "sftpidp")]),
        fuzzTarget("FuzzThemeTOML", [.product(name: "TerminalUI", package: "sftpidp")]),
        fuzzTarget("FuzzLambdaEvent", [
            .product(name: "IdPLambda", package: "sftpidp"),
            .product(name: "IdentityProvider", package: "sftpidp"),
        ]),
        fuzzTarget("FuzzAWSResponse", [
            .product(name: "AWSCore", package: "sftpidp"),
            .product(name: "AWSSecretsManager", package: "sftpidp"),
        ]),
        fuzzTarget("FuzzAWSConfigFile", [.product(name: "AWSCore", package: "sftpidp")]),
        fuzzTarget("FuzzHandler", [
            .product(name: "IdentityModel", package: "sftpidp"),
            .product(name: "IdentityProvider", package: "sftpidp"),
            .product(name: "SecretStore", package: "sftpidp"),
            .product(name: "SecretStoreTesting", package: "sftpidp"),
        ]),
    ]
)

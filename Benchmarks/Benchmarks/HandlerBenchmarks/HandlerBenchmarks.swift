import Benchmark
import BenchmarkFixtures
import EmbeddedStore
import Foundation
import IdentityModel
import IdentityProvider
import SecretStore

/// Whole login decisions in process, over a real embedded store in a temporary directory: key authentication
/// (read, parse, keys, answer) and password authentication (the same plus one argon2id check at the default cost).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        timeUnits: .microseconds,
        warmupIterations: 10,
        maxDuration: .seconds(5),
        maxIterations: 100_000
    )

    nonisolated(unsafe) var fixture: HandlerFixture?
    let setUp: Benchmark.BenchmarkSetupHook = { fixture = try await HandlerFixture() }
    let tearDown: Benchmark.BenchmarkTeardownHook = { fixture = nil }

    // With the checks recorded, as test-login and the console ask; without, as serve and the Lambda function ask.
    for recordingChecks in [true, false] {
        Benchmark(recordingChecks ? "decide: key auth" : "decide: key auth, checks not recorded (serve)", closure: { benchmark in
            guard let fixture else { throw BenchmarkFailure("setup did not run") }
            for _ in benchmark.scaledIterations {
                guard case .decided(let decision) = await fixture.handler.decide(fixture.keyRequest, recordingChecks: recordingChecks),
                      decision.isAllowed else {
                    throw BenchmarkFailure("the key login was not allowed")
                }
                blackHole(decision)
            }
        }, setup: setUp, teardown: tearDown)
    }

    // The same decision 1,000 times per sample: each figure is the mean of one decision, without the harness's own
    // work per sample (reading the process's CPU time from /proc, counting allocations), which the figures above
    // include and which is larger than the decision itself.
    Benchmark("decide: key auth, checks not recorded (serve), mean of 1000", configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .kilo), closure: { benchmark in
        guard let fixture else { throw BenchmarkFailure("setup did not run") }
        for _ in benchmark.scaledIterations {
            blackHole(await fixture.handler.decide(fixture.keyRequest, recordingChecks: false))
        }
    }, setup: setUp, teardown: tearDown)

    Benchmark("decide: password auth (argon2id m=19456,t=2,p=1)", configuration: .init(timeUnits: .milliseconds, maxDuration: .seconds(5), maxIterations: 200), closure: { benchmark in
        guard let fixture else { throw BenchmarkFailure("setup did not run") }
        for _ in benchmark.scaledIterations {
            guard case .decided(let decision) = await fixture.handler.decide(fixture.passwordRequest), decision.isAllowed else {
                throw BenchmarkFailure("the password login was not allowed")
            }
            blackHole(decision)
        }
    }, setup: setUp, teardown: tearDown)

    // Password logins whose timing must not tell the cases apart: each costs one argon2id verification at the
    // default cost (docs/security.md, "Timing"); the medians are recorded in docs/benchmarks.md. CPU time as well
    // as wall clock: on a machine doing other work, the wall clock measures the load as much as the login.
    for (label, username, password) in HandlerFixture.timingCases {
        Benchmark("password timing: \(label)", configuration: .init(metrics: [.wallClock, .cpuTotal], timeUnits: .milliseconds, maxDuration: .seconds(5), maxIterations: 200), closure: { benchmark in
            guard let fixture else { throw BenchmarkFailure("setup did not run") }
            let request = LoginRequest(serverID: "s-0123456789abcdef0", username: username, password: password, protocolName: "SFTP", sourceIP: "10.1.2.3")
            for _ in benchmark.scaledIterations {
                blackHole(await fixture.handler.decide(request))
            }
        }, setup: setUp, teardown: tearDown)
    }

    Benchmark("decide: unknown user, key auth", closure: { benchmark in
        guard let fixture else { throw BenchmarkFailure("setup did not run") }
        for _ in benchmark.scaledIterations {
            blackHole(await fixture.handler.decide(fixture.unknownRequest))
        }
    }, setup: setUp, teardown: tearDown)
}

/// An embedded store in a temporary directory holding one key user and one password user, and a handler over it.
final class HandlerFixture {
    let directory: URL
    let store: EmbeddedSecretStore
    let handler: IdentityProviderHandler
    let keyRequest = LoginRequest(serverID: "s-0123456789abcdef0", username: "kim", password: nil, protocolName: "SFTP", sourceIP: "10.1.2.3")
    let passwordRequest = LoginRequest(serverID: "s-0123456789abcdef0", username: "jess", password: "correct horse battery staple", protocolName: "SFTP", sourceIP: "10.1.2.3")
    let unknownRequest = LoginRequest(serverID: "s-0123456789abcdef0", username: "nobody", password: nil, protocolName: "SFTP", sourceIP: "10.1.2.3")

    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
    static let password = "correct horse battery staple"
    /// Label, user, password: every way a password login can go, for the timing benchmark.
    static let timingCases: [(String, String, String)] = [
        ("right password", "jess", password),
        ("wrong password", "jess", "wrong"),
        ("unknown user", "nobody", password),
        ("legacy plain text", "lee", password),
        ("unsupported hash", "una", password),
        ("hash over the limit", "otto", password),
        ("argon2 costlier than configured", "cora", password),
        ("disabled", "dee", password),
        ("expired", "exa", password),
        ("out of network", "oon", password),
    ]
    static let keys = [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILSM73oWUphH3J7JAeB1L5Eg5ZqEC0/idXBSJ2V5c//v key1@bench",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE9N1w3R2OEzKiJgmsYp4tXZrG+2jS+GCZ/yMTHDAqGn key2@bench",
    ]

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sftpidp-handler-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try EmbeddedSecretStore.open(databasePath: directory.appendingPathComponent("secrets.db").path, keyPath: directory.appendingPathComponent("master.key").path, createIfMissing: true)
        let context = WriteContext(action: "benchmark.create", actor: "benchmark")
        let kim = JSONValue.object([
            "Role": .string(Self.role),
            "HomeDirectory": .string("/bucket/kim"),
            "PublicKey": .string(Self.keys.joined(separator: ",")),
            "AcceptedIpNetwork": .string("10.0.0.0/8, 2001:db8::/32"),
        ])
        let jess = JSONValue.object([
            "Role": .string(Self.role),
            "HomeDirectory": .string("/bucket/jess"),
            "PasswordHash": .string(try PasswordHasher.hash("correct horse battery staple")),
            "AcceptedIpNetwork": .string("10.0.0.0/8"),
        ])
        _ = try await store.createSecret(name: "SFTP/kim", value: kim.jsonText, context: context)
        _ = try await store.createSecret(name: "SFTP/jess", value: jess.jsonText, context: context)
        let hash = try PasswordHasher.hash(Self.password)
        let timingUsers: [String: [String: JSONValue]] = [
            "lee": ["Password": .string(Self.password)],
            "una": ["PasswordHash": .string("$1$abcdefgh$unsupportedmd5crypt")],
            "otto": ["PasswordHash": .string("$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHRzYWx0$ZGeQVFKJg/FSTDgJOLdSnPc4S+vLUMW3l/aUf/Cd0zM")],
            // argon2-cffi's default cost, above the configured one: refused after the dummy verification.
            "cora": ["PasswordHash": .string("$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzYWx0$ZGeQVFKJg/FSTDgJOLdSnPc4S+vLUMW3l/aUf/Cd0zM")],
            "dee": ["PasswordHash": .string(hash), "sftpidp:Disabled": .bool(true)],
            "exa": ["PasswordHash": .string(hash), "sftpidp:ExpiresAt": .string("2020-01-01")],
            "oon": ["PasswordHash": .string(hash), "AcceptedIpNetwork": .string("192.168.0.0/16")],
        ]
        for (name, members) in timingUsers {
            let secret = JSONValue.object(members.merging(["Role": .string(Self.role)]) { $1 })
            _ = try await store.createSecret(name: "SFTP/\(name)", value: secret.jsonText, context: context)
        }
        // The configured cost, stated: the dummy verification and the users' hashes are all at the default.
        handler = IdentityProviderHandler(configuration: .init(store: store, throttle: .disabled, passwordChecking: .init(parameters: .default)))
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}


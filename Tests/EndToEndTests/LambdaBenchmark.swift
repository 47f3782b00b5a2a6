import Foundation
import LambdaRuntimeTesting
import PeerTesting
import Testing

/// Cold start and warm latency of `sftpidp-lambda` (run by `scripts/bench-lambda.sh` on the release bootstrap):
/// a Runtime API server in this process, moto as the store. Measures and prints; asserts nothing about speed.
@Suite(.motoServer, .enabled(if: ProcessInfo.processInfo.environment["SFTPIDP_LAMBDA_BENCHMARK"] != nil, "run by scripts/bench-lambda.sh"))
struct LambdaBenchmark {
    static let iterations = Int(ProcessInfo.processInfo.environment["SFTPIDP_LAMBDA_BENCHMARK"] ?? "") ?? 1000

    @Test func coldStartAndWarmInvocations() async throws {
        let moto = try #require(MotoServer.current)
        let sandbox = try Sandbox()
        let prefix = "bench\(UUID().uuidString.prefix(8).lowercased())/SFTP/"
        let keyPath = sandbox.path("id_ed25519")
        try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "bench@key", "-f", keyPath])
        let publicKey = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        // carol's hash with the default argon2id cost (m=19456, t=2, p=1), as `users create` writes it by default.
        try LambdaEndToEndTests.populate(moto: moto, sandbox: sandbox, prefix: prefix, publicKey: publicKey, extra: ["SFTPIDP_ARGON2": "m=19456,t=2,p=1"])
        var environment = LambdaEndToEndTests.awsEnvironment(moto)
        environment["SFTPIDP_NAMING_SCHEME"] = "\(prefix){username}"
        environment["SFTPIDP_LOG_LEVEL"] = "error"
        let keyEvent = #"{"username":"jess","protocol":"SFTP","serverId":"\#(LambdaEndToEndTests.serverID)","sourceIp":"203.0.113.9"}"#
        let passwordEvent = #"{"username":"carol","password":"\#(LambdaEndToEndTests.carolPassword)","protocol":"SFTP","serverId":"\#(LambdaEndToEndTests.serverID)","sourceIp":"203.0.113.9"}"#
        print("lambda bench: binary \(LambdaProcess.binary.path)")

        // Cold start: the event is waiting before the process starts; time from spawn to the posted answer.
        var coldStarts: [Duration] = []
        for _ in 0..<10 {
            let runtime = try await LambdaRuntimeServer.start()
            let answer = Task { try await runtime.invoke(keyEvent) }
            let clock = ContinuousClock()
            let start = clock.now
            let function = try LambdaProcess(sandbox: sandbox, runtime: runtime, environment: environment)
            let outcome = try await answer.value
            coldStarts.append(clock.now - start)
            #expect(outcome.object["PublicKeys"] != nil, "\(outcome)")
            function.stop()
            await runtime.stop()
        }
        report("cold start, key login (process start to answer, store read included)", coldStarts)

        for (name, ttl) in [("cache 30 s", "30"), ("cache off", "0")] {
            environment["SFTPIDP_CACHE_TTL"] = ttl
            let runtime = try await LambdaRuntimeServer.start()
            let function = try LambdaProcess(sandbox: sandbox, runtime: runtime, environment: environment)
            for (label, event, count) in [("invalid event (runtime round trip, no decision)", "[]", Self.iterations), ("key login", keyEvent, Self.iterations), ("password login, argon2id default cost", passwordEvent, Self.iterations / 5)] {
                var samples: [Duration] = []
                for index in 0..<(count + 20) {
                    let clock = ContinuousClock()
                    let start = clock.now
                    _ = try await function.invoke(event)
                    if index >= 20 { samples.append(clock.now - start) }
                }
                report("warm, \(name): \(label)", samples)
            }
            function.stop()
            await runtime.stop()
        }
    }

    private func report(_ label: String, _ samples: [Duration]) {
        let sorted = samples.sorted()
        func ms(_ duration: Duration) -> String {
            String(format: "%.2f ms", Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
        }
        let p50 = sorted[sorted.count / 2]
        let p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
        print("lambda bench: \(label): n=\(sorted.count) p50 \(ms(p50)) p99 \(ms(p99)) min \(ms(sorted[0])) max \(ms(sorted[sorted.count - 1]))")
    }
}

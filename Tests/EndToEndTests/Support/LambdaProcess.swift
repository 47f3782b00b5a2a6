import Foundation
import LambdaRuntimeTesting
import PeerTesting
import Testing

/// The real `sftpidp-lambda` binary serving a test Runtime API, its JSON log (stdout) and stderr in files.
final class LambdaProcess {
    /// The binary under test: `SFTPIDP_LAMBDA_BINARY`, else `sftpidp-lambda` next to the `sftpidp` under test.
    static let binary: URL = {
        if let explicit = ProcessInfo.processInfo.environment["SFTPIDP_LAMBDA_BINARY"] {
            return URL(fileURLWithPath: explicit)
        }
        return Sandbox.binary.deletingLastPathComponent().appendingPathComponent("sftpidp-lambda")
    }()

    let process: BackgroundProcess
    let runtime: LambdaRuntimeServer
    private let outputPath: String
    private let errorPath: String

    /// Starts `command` (the binary by default) with only `environment` plus `AWS_LAMBDA_RUNTIME_API`.
    init(sandbox: Sandbox, runtime: LambdaRuntimeServer, environment: [String: String], command: [String]? = nil) throws {
        self.runtime = runtime
        let command = command ?? [Self.binary.path]
        guard FileManager.default.isExecutableFile(atPath: command[0]) else {
            throw SandboxError("\(command[0]) is missing: run `swift build` before `swift test`")
        }
        outputPath = sandbox.path("lambda-\(UUID().uuidString).out")
        errorPath = sandbox.path("lambda-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        var environment = environment
        environment["AWS_LAMBDA_RUNTIME_API"] = runtime.address
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        process = try BackgroundProcess(command[0], Array(command.dropFirst()), environment: environment,
                                        streams: .files(output: outputPath, error: errorPath))
    }

    /// Hands `event` to the function and returns what it posted.
    func invoke(_ event: String) async throws -> LambdaRuntimeServer.Outcome {
        try await runtime.invoke(event)
    }

    /// Hands a flat Transfer event to the function.
    func invokeFlat(user: String, password: String?, serverID: String = LambdaEndToEndTests.serverID, protocolName: String = "SFTP") async throws -> LambdaRuntimeServer.Outcome {
        var event: [String: String] = ["username": user, "protocol": protocolName, "serverId": serverID, "sourceIp": "203.0.113.9"]
        event["password"] = password
        return try await invoke(String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self))
    }

    /// Stops the process (SIGTERM, then SIGKILL); a no-op once it has ended.
    func stop() {
        process.stop()
    }

    /// Waits (bounded) for the process to end on its own and returns its exit status, or nil if it is still running.
    func waitForExit() async -> Int32? {
        await process.waitForExit(timeout: .seconds(15))
    }

    /// The resident memory of the process in KiB, from /proc/<pid>/status (VmRSS).
    var residentKiB: Int? {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") }
    }

    /// Standard output: one JSON object per line.
    var logLines: [String] {
        Self.read(outputPath).split(separator: "\n").map(String.init)
    }

    var standardError: String { Self.read(errorPath) }

    /// The log lines parsed as JSON objects (lines that are not are left out).
    var logObjects: [[String: Any]] {
        logLines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    private static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

extension LambdaRuntimeServer.Outcome {
    /// The answer object inside a proxy answer's `body` string.
    var proxyBody: [String: Any] {
        let text = object["body"] as? String ?? ""
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }
}

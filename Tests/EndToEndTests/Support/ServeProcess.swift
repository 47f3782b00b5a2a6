import Foundation
import PeerTesting
import Testing

/// A running `sftpidp serve` on a free loopback port, its output in files of the sandbox, stopped with SIGTERM.
final class ServeProcess {
    let process: Process
    /// `http://127.0.0.1:PORT`, read from the line the server prints once listening.
    let baseURL: String
    private let outputPath: String
    private let errorPath: String

    /// Starts `sftpidp serve --port 0 ARGUMENTS` (with `extra` in its environment; through `launcher`, e.g.
    /// `prlimit ... --`, when given: it must exec the binary so the process id stays the server's) and waits
    /// (bounded) for its "listening on" line. `binary` is the sftpidp executable to run (a copy another user can
    /// reach, for a server started as that user).
    init(sandbox: Sandbox, arguments: [String], environment extra: [String: String] = [:], launcher: [String] = [],
         binary: URL = Sandbox.binary) throws {
        outputPath = sandbox.path("serve-\(UUID().uuidString).out")
        errorPath = sandbox.path("serve-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process = Process()
        if let tool = launcher.first {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = Array(launcher.dropFirst()) + [binary.path, "serve", "--port", "0"] + arguments
        } else {
            process.executableURL = binary
            process.arguments = ["serve", "--port", "0"] + arguments
        }
        process.environment = sandbox.environment.merging(extra) { $1 }
        process.currentDirectoryURL = sandbox.root
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()

        var found: String?
        for _ in 0..<600 where found == nil && process.isRunning {
            found = Self.listeningURL(in: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
            if found == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            throw SandboxError("sftpidp serve did not start listening: \(Self.read(outputPath)) \(Self.read(errorPath))")
        }
        baseURL = found
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Sends SIGTERM and waits for the exit status.
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// What the server wrote on standard error so far (its log).
    var log: String { Self.read(errorPath) }

    private static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    private static func listeningURL(in output: String) -> String? {
        guard let range = output.range(of: "listening on ") else { return nil }
        let rest = output[range.upperBound...]
        guard let end = rest.firstIndex(where: { $0 == " " || $0 == "\n" }) else { return nil }
        return String(rest[..<end])
    }
}

/// The status and body of one `curl` call.
struct CurlResult: CustomStringConvertible {
    var status: Int
    var body: String

    var description: String { "HTTP \(status): \(body)" }

    /// The body as a JSON object, or an empty dictionary when it is not one.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }
}

extension Sandbox {
    /// Runs the real `curl` with `arguments` and returns the HTTP status and body.
    ///
    /// Spawned with `spawnAndWait`, not Foundation's `Process`: a tmux server started meanwhile by a test running in
    /// parallel can inherit the descriptor `Process` waits on, and then `waitUntilExit` never returns.
    func curl(_ arguments: [String]) throws -> CurlResult {
        let outputPath = path(".curl-out-\(UUID().uuidString)"), errorPath = path(".curl-err-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        let exitStatus = try spawnAndWait(try Self.which("curl"), ["--silent", "--show-error", "--max-time", "30", "--write-out", "\n%{http_code}"] + arguments,
                                      environment: environment, standardOutput: outputPath, standardError: errorPath)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard exitStatus == 0 else {
            throw SandboxError("curl failed with status \(exitStatus): \((try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")")
        }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last ?? "") ?? 0
        return CurlResult(status: status, body: lines.dropLast().joined(separator: "\n"))
    }
}

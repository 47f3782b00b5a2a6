import Foundation
import PeerTesting
import Testing

/// A running `sftpidp serve` on a free loopback port, its output in files of the sandbox, stopped with SIGTERM.
final class ServeProcess {
    let process: BackgroundProcess
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
        let command = launcher.isEmpty ? [binary.path] : launcher + [binary.path]
        process = try BackgroundProcess(
            command[0], Array(command.dropFirst()) + ["serve", "--port", "0"] + arguments, environment: sandbox.environment.merging(extra) { $1 },
            directory: sandbox.root.path, streams: .files(output: outputPath, error: errorPath))

        var found: String?
        for _ in 0..<600 where found == nil && process.isRunning {
            found = Self.listeningURL(in: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
            if found == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        guard let found else {
            process.stop()
            throw SandboxError("sftpidp serve did not start listening: \(Self.read(outputPath)) \(Self.read(errorPath))")
        }
        baseURL = found
    }

    /// Sends SIGTERM and waits for the exit status (SIGKILL after 3 s).
    func stop() -> Int32 {
        process.stop()
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
    func curl(_ arguments: [String]) throws -> CurlResult {
        let result = try runTool("curl", ["--silent", "--show-error", "--max-time", "30", "--write-out", "\n%{http_code}"] + arguments)
        guard result.status == 0 else {
            throw SandboxError("curl failed with status \(result.status): \(result.stderr)")
        }
        let output = result.stdout
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last ?? "") ?? 0
        return CurlResult(status: status, body: lines.dropLast().joined(separator: "\n"))
    }
}

import EmbeddedStore
import Foundation
import PeerTesting
import SecretStore
import Testing

/// A temporary home for one end-to-end test: its own HOME, XDG directories and store, removed at the end.
///
/// Runs the real `sftpidp` binary built by `swift build` (or the one named by `SFTPIDP_BINARY`).
final class Sandbox: Sendable {
    let root: URL
    let environment: [String: String]

    /// The `sftpidp` binary under test.
    static let binary: URL = {
        if let explicit = ProcessInfo.processInfo.environment["SFTPIDP_BINARY"] {
            return URL(fileURLWithPath: explicit)
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug/sftpidp")
    }()

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sftpidp-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("SFTPIDP_") && !key.hasPrefix("AWS_") && !key.hasPrefix("XDG_") && key != "NO_COLOR"
        }
        environment["HOME"] = root.path
        environment["XDG_CONFIG_HOME"] = root.appendingPathComponent("config").path
        environment["XDG_DATA_HOME"] = root.appendingPathComponent("data").path
        environment["USER"] = "e2e-admin"
        // Cheap hashes keep the suite fast; the default cost is tested in the model's unit tests.
        environment["SFTPIDP_ARGON2"] = "m=256,t=1,p=1"
        self.environment = environment
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw SandboxError("the sftpidp binary is missing at \(Self.binary.path): run `swift build` before `swift test`")
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// A path inside the sandbox.
    func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// Writes a file inside the sandbox and returns its path.
    @discardableResult
    func write(_ text: String, to relative: String) throws -> String {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Copies the binary under test to `destination` (mode 0755) with `install`, in a child process.
    ///
    /// A copy made in this process holds the file open for writing while parallel tests fork: a child forked in that
    /// window inherits the descriptor until it execs, and running the copy then fails with "Text file busy" (ETXTBSY).
    func installBinaryCopy(at destination: String) throws {
        try runTool("install", ["-m", "0755", Self.binary.path, destination]).check("install a copy of the binary")
    }

    /// Runs `sftpidp` with `arguments` and `input` on standard input, and waits for it.
    @discardableResult
    func run(_ arguments: [String], input: String? = nil, environment extra: [String: String] = [:]) throws -> CommandResult {
        try Self.runProcess(Self.binary, arguments, input: input, environment: environment.merging(extra) { $1 }, directory: root)
    }

    /// Runs any program (a real peer such as `ssh-keygen`, `curl` or `sqlite3`) found on PATH.
    @discardableResult
    func runTool(_ tool: String, _ arguments: [String], input: String? = nil, environment extra: [String: String] = [:]) throws -> CommandResult {
        let path = try Self.which(tool)
        return try Self.runProcess(URL(fileURLWithPath: path), arguments, input: input, environment: environment.merging(extra) { $1 }, directory: root)
    }

    /// Starts `sftpidp` without waiting; the caller stops it.
    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> BackgroundProcess {
        try BackgroundProcess(Self.binary.path, arguments, environment: environment.merging(extra) { $1 }, directory: root.path)
    }

    /// The full path of a program on PATH; a test that needs a missing tool fails with this error.
    static func which(_ tool: String) throws -> String {
        guard let path = ExternalProcess.which(tool) else {
            throw SandboxError("\(tool) is not installed: run `bash scripts/install-deps.sh --test`")
        }
        return path
    }

    private static func runProcess(_ executable: URL, _ arguments: [String], input: String?, environment: [String: String], directory: URL) throws -> CommandResult {
        let output = try ExternalProcess.execute(executable.path, arguments, input: input, environment: environment, directory: directory)
        return CommandResult(status: output.status, stdout: output.stdout, stderr: output.stderr)
    }
}

/// What a finished command printed and its exit status.
struct CommandResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

extension CommandResult {
    /// Fails with what was printed when the command did not succeed.
    func check(_ what: String) throws {
        guard status == 0 else { throw SandboxError("\(what) failed: \(self)") }
    }
}

/// A sandbox set-up failure, with what to do about it.
struct SandboxError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Changes a stored secret's members through the embedded store API, as another tool writing the same secrets
/// would (for values sftpidp itself refuses to write, such as plain-text passwords).
func rewrite(_ name: String, in sandbox: Sandbox, _ change: (inout [String: Any]) -> Void) async throws {
    let location = EmbeddedStoreLocation.resolve(storePath: nil, environment: sandbox.environment)
    let store = try EmbeddedSecretStore.open(databasePath: location.databasePath, keyPath: location.keyPath, createIfMissing: false)
    defer { try? store.close() }
    let current = try await store.getSecret(name: name, version: .current)
    var members = try #require(try JSONSerialization.jsonObject(with: Data(current.string.utf8)) as? [String: Any])
    change(&members)
    let value = String(decoding: try JSONSerialization.data(withJSONObject: members), as: UTF8.self)
    _ = try await store.putSecret(name: name, value: value, replacing: current.versionID, context: WriteContext(action: "test.rewrite", actor: "other-tool"))
}

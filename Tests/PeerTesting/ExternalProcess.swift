import Foundation

/// Runs helper programs (python3, aws) for tests; a missing tool fails the test with a clear message.
public enum ExternalProcess {
    /// A tool that is missing or failed, with what it printed.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// What a finished program printed, and its exit status.
    public struct Output: Sendable, CustomStringConvertible {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        public var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
    }

    /// Runs `executable` (a path, or a name looked up in PATH) with `arguments`, feeding `input`, and waits for it.
    /// The one way the tests run a program to completion (a ``BackgroundProcess`` waited for). Input and output go
    /// through files, not pipes, so a chatty program never blocks on a full pipe.
    public static func execute(
        _ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String]? = nil, directory: URL? = nil
    ) throws -> Output {
        guard let path = executable.contains("/") ? executable : which(executable), FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "\(executable) is not installed or not in PATH; the test needs it (run `bash scripts/install-deps.sh --test`)")
        }
        let directoryPath = FileManager.default.temporaryDirectory.appendingPathComponent("process-\(UUID().uuidString)")
        // Only this user may read the directory: the input may hold a (test) password.
        try FileManager.default.createDirectory(at: directoryPath, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directoryPath) }
        let inputFile = directoryPath.appendingPathComponent("stdin")
        let outputFile = directoryPath.appendingPathComponent("stdout")
        let errorFile = directoryPath.appendingPathComponent("stderr")
        try Data((input ?? "").utf8).write(to: inputFile)
        let process = try BackgroundProcess(
            path, arguments, environment: environment ?? ProcessInfo.processInfo.environment, directory: directory?.path,
            streams: .files(input: inputFile.path, output: outputFile.path, error: errorFile.path))
        let status = process.wait()
        return Output(
            status: status,
            stdout: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        )
    }

    /// Runs `executable` like ``execute(_:_:input:environment:directory:)``; returns stdout, throws on a non-zero exit
    /// with what it printed on stderr, or without it when `showErrors` is false (a tool handling secrets).
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], input: String = "", environment: [String: String]? = nil, showErrors: Bool = true
    ) throws -> String {
        let output = try execute(executable, arguments, input: input, environment: environment)
        guard output.status == 0 else {
            let detail = showErrors ? ": \(output.stderr.suffix(2000))" : " (output hidden: it may contain secrets)"
            throw Failure(description: "\(executable) \(arguments.first ?? "") exited with \(output.status)\(detail)")
        }
        return output.stdout
    }

    /// Runs an inline Python script, failing clearly when python3 or a module is missing.
    @discardableResult
    public static func python(_ script: String, arguments: [String] = [], input: String = "") throws -> String {
        try run("python3", ["-c", script] + arguments, input: input)
    }

    /// The full path of `name` on PATH, or nil.
    public static func which(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A free TCP port on 127.0.0.1, found by binding port 0.
public func freeLoopbackPort() throws -> Int {
    let output = try ExternalProcess.python("""
        import socket
        s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
        """)
    guard let port = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw ExternalProcess.Failure(description: "could not find a free port: \(output)")
    }
    return port
}

/// True once something accepts TCP connections on 127.0.0.1:`port`.
public func isListening(port: Int) -> Bool {
    let socket = connectToLoopback(port: port)
    guard socket >= 0 else { return false }
    close(socket)
    return true
}

/// A TCP socket connected to 127.0.0.1:`port` (the caller closes it), or -1 when the connection fails.
public func connectToLoopback(port: Int) -> Int32 {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { return -1 }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard result == 0 else {
        close(socket)
        return -1
    }
    return socket
}

/// Polls `condition` every 100 ms, at most `attempts` times.
public func waitUntil(attempts: Int = 150, _ condition: () -> Bool) async -> Bool {
    for _ in 0..<attempts {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return condition()
}

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
    /// The one way the tests run a program to completion. Output goes to files, not pipes, so a chatty program never
    /// blocks on a full pipe.
    public static func execute(
        _ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String]? = nil, directory: URL? = nil
    ) throws -> Output {
        guard let path = executable.contains("/") ? executable : which(executable), FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "\(executable) is not installed or not in PATH; the test needs it (run `bash scripts/install-deps.sh --test`)")
        }
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("stdout-\(UUID().uuidString)")
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
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

/// Stops a server process: SIGTERM, up to 3 s for it to exit (moto keeps running while clients hold keep-alive
/// connections), then SIGKILL.
public func stopServer(_ process: Process) {
    guard process.isRunning else { return }
    process.terminate()
    for _ in 0..<30 where process.isRunning {
        usleep(100_000)
    }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
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

/// Runs `executable` with `posix_spawn` and `waitpid`, output to the given files, and returns its exit status.
///
/// Foundation's `Process` learns that a child ended when a socket the child inherited closes; a program that
/// leaves a daemon behind (`tmux new-session -d`) hands that socket on, so `waitUntilExit` never returns.
/// Waiting on the process id itself has no such problem.
public func spawnAndWait(_ executable: String, _ arguments: [String], environment: [String: String], standardOutput: String, standardError: String) throws -> Int32 {
    let pid = try spawnProcess(executable, arguments, environment: environment, standardOutput: standardOutput, standardError: standardError)
    return try waitForExit(pid)
}

/// Waits for a child started with ``spawnProcess(_:_:environment:standardOutput:standardError:)`` or
/// ``spawnOnTerminal(_:_:environment:terminal:)`` and returns its exit status (128 + the signal for a signal).
public func waitForExit(_ pid: pid_t) throws -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 {
        guard errno == EINTR else {
            throw ExternalProcess.Failure(description: "waiting for process \(pid) failed: \(String(cString: strerror(errno)))")
        }
    }
    // WIFEXITED / WEXITSTATUS, which Swift cannot import as macros.
    return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}

/// Starts `executable` with `posix_spawn` (see ``spawnAndWait(_:_:environment:standardOutput:standardError:)`` for why
/// not `Process`), output to the given files, and returns its process id: a server the caller ends with
/// ``stopSpawned(_:)``.
public func spawnProcess(_ executable: String, _ arguments: [String], environment: [String: String], standardOutput: String, standardError: String) throws -> pid_t {
    try spawn(executable, arguments, environment: environment, newSession: false) { actions in
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    }
}

/// Starts `executable` like ``spawnProcess(_:_:environment:standardOutput:standardError:)``, in a session of its own
/// whose controlling terminal is `terminal` (a pseudo-terminal's path), opened as stdin, stdout and stderr.
public func spawnOnTerminal(_ executable: String, _ arguments: [String], environment: [String: String], terminal: String) throws -> pid_t {
    // glibc runs setsid before the file actions: opening the terminal then makes it the controlling one.
    try spawn(executable, arguments, environment: environment, newSession: true) { actions in
        posix_spawn_file_actions_addopen(&actions, 0, terminal, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
    }
}

private func spawn(
    _ executable: String, _ arguments: [String], environment: [String: String], newSession: Bool,
    descriptors: (inout posix_spawn_file_actions_t) -> Void
) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    descriptors(&actions)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    // The calling thread is a concurrency-pool thread that blocks most signals; a child would inherit that mask (a tmux
    // server and its shells then ignore SIGHUP and kill-server leaves them running). Start it with none blocked and
    // every disposition at its default.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    // POSIX_SPAWN_SETSID (glibc 2.26, a GNU extension that Swift does not import): setsid in the child.
    let setSessionID: Int32 = 0x80
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (newSession ? setSessionID : 0)))
    var pid = pid_t()
    let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard spawned == 0 else {
        throw ExternalProcess.Failure(description: "could not start \(executable): \(String(cString: strerror(spawned)))")
    }
    return pid
}

/// Ends a process started by ``spawnProcess(_:_:environment:standardOutput:standardError:)``: SIGTERM, up to 3 s,
/// then SIGKILL; reaped either way.
public func stopSpawned(_ pid: pid_t) {
    kill(pid, SIGTERM)
    var status: Int32 = 0
    for _ in 0..<30 {
        if waitpid(pid, &status, WNOHANG) == pid { return }
        usleep(100_000)
    }
    kill(pid, SIGKILL)
    _ = waitpid(pid, &status, 0)
}

/// Whether a process started by ``spawnProcess(_:_:environment:standardOutput:standardError:)`` is still running.
public func isRunning(_ pid: pid_t) -> Bool {
    var status: Int32 = 0
    return waitpid(pid, &status, WNOHANG) == 0
}

import Foundation
import Synchronization

/// A program a test starts (a server, a proxy, a one-shot command, a program on a terminal), which never outlives its
/// owner: deinit stops and reaps it.
///
/// Started with `posix_spawn` and watched by its process id, not with Foundation's `Process`: `Process` learns that a
/// child ended when a socket the child inherited closes; a program that leaves a daemon behind (`tmux new-session -d`)
/// hands that socket on, so `waitUntilExit` never returns. The child inherits no descriptor but its standard streams.
public final class BackgroundProcess: Sendable {
    /// Where the child's standard input, output and error go.
    public enum Streams: Sendable {
        /// Standard input read from `input`, standard output and error written to files (created or truncated).
        case files(input: String = "/dev/null", output: String = "/dev/null", error: String = "/dev/null")
        /// All three on a pseudo-terminal (its /dev/pts path), in a session of its own whose controlling terminal it is.
        case terminal(String)
    }

    /// The child's process id; it stays the child's until it is reaped.
    public let processIdentifier: pid_t
    /// The exit status, once the child is reaped.
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `executable` (a full path) with `arguments`, only `environment` in its environment, in `directory` (the
    /// test's own when nil).
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String? = nil, streams: Streams = .files()
    ) throws {
        processIdentifier = try spawn(executable, arguments, environment: environment, directory: directory, streams: streams)
    }

    deinit {
        stop()
    }

    /// Whether the child is still running (one that has ended is reaped).
    public var isRunning: Bool { reap() == nil }

    /// Sends `signal` to the child, unless it has already been reaped (its id may then belong to another process).
    public func signal(_ signal: Int32) {
        exitStatus.withLock { status in
            if status == nil { _ = kill(processIdentifier, signal) }
        }
    }

    /// Ends the child: SIGTERM, up to 3 s for it to exit (moto keeps running while clients hold keep-alive connections),
    /// then SIGKILL. Returns its exit status; a no-op returning the status once it has ended.
    @discardableResult
    public func stop() -> Int32 {
        signal(SIGTERM)
        if let status = waitForExit(timeout: .seconds(3)) { return status }
        signal(SIGKILL)
        return wait()
    }

    /// Waits for the child to end and returns its exit status (128 + the signal for a signal). Blocks the calling thread
    /// until then: for a program that ends soon by itself, or after SIGKILL.
    @discardableResult
    public func wait() -> Int32 {
        while true {
            if let status = reap() { return status }
            // WNOWAIT: the child stays a zombie, so its id cannot be reused until reap() takes it under the lock.
            var info = siginfo_t()
            _ = waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT)
        }
    }

    /// Waits up to `timeout` for the child to end, sleeping the calling thread between checks; its exit status, or nil
    /// while it still runs. For synchronous code: async code gets the overload that suspends instead.
    public func waitForExit(timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let status = reap() { return status }
            guard ContinuousClock.now < deadline else { return nil }
            usleep(20_000)
        }
    }

    /// Waits up to `timeout` for the child to end, suspending (not blocking a thread of the concurrency pool) between
    /// checks; its exit status, or nil while it still runs or when the task is cancelled.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let status = reap() { return status }
            guard ContinuousClock.now < deadline else { return nil }
            do { try await Task.sleep(for: .milliseconds(20)) } catch { return nil }
        }
    }

    /// Reaps the child if it has ended and returns its exit status (-1 when something else reaped it), or nil while it runs.
    private func reap() -> Int32? {
        exitStatus.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(processIdentifier, &raw, WNOHANG) } while result == -1 && errno == EINTR
            if result == 0 { return nil }
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift cannot import as macros.
            let ended = result == -1 ? -1 : raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
            status = ended
            return ended
        }
    }
}

/// The GNU `posix_spawn` file actions Swift does not import (glibc declares them only with _GNU_SOURCE), looked up at run
/// time: change directory (glibc 2.29) and close every descriptor from a number on (glibc 2.34).
private enum GNUFileActions {
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let changeDirectory = symbol("posix_spawn_file_actions_addchdir_np", as: ChangeDirectory.self)
    static let closeFrom = symbol("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self)

    private static func symbol<Function>(_ name: String, as type: Function.Type) -> Function? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: type)
    }
}

private func spawn(
    _ executable: String, _ arguments: [String], environment: [String: String], directory: String?, streams: BackgroundProcess.Streams
) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let directory {
        guard let changeDirectory = GNUFileActions.changeDirectory else {
            throw ExternalProcess.Failure(description: "this C library cannot start a program in another directory (posix_spawn_file_actions_addchdir_np)")
        }
        _ = changeDirectory(&actions, directory)
    }
    let newSession: Bool
    switch streams {
    case .files(let input, let output, let error):
        newSession = false
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, error, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    case .terminal(let terminal):
        // glibc runs setsid before the file actions: opening the terminal then makes it the controlling one.
        newSession = true
        posix_spawn_file_actions_addopen(&actions, 0, terminal, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
    }
    // Tests start programs from several threads: a descriptor of another test (a connection it holds, a file it is
    // writing) must not live on in this child.
    _ = GNUFileActions.closeFrom?(&actions, 3)
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

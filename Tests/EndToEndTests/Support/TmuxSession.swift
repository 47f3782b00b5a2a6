import Foundation
import PeerTesting
import Testing

/// A tmux server of its own (unique `-L` socket) running a shell in a sandbox, to drive the real console like a person.
///
/// Every wait polls `capture-pane` until the text appears, with a bounded number of tries; the server is killed by `close()`.
final class TmuxSession {
    let sandbox: Sandbox
    let socket: String
    let tmux: String
    /// The tmux server and the shell in its pane: ended by `close()` even when `kill-server` leaves them running.
    private var processIDs: [pid_t] = []
    /// The server's socket file, removed by `close()`: a server killed by signal leaves it behind.
    private var socketPath: String?
    static let prompt = "E2E-PROMPT$ "

    init(sandbox: Sandbox, columns: Int = 100, rows: Int = 30, environment extra: [String: String] = [:]) throws {
        self.sandbox = sandbox
        tmux = try Sandbox.which("tmux")
        socket = "sftpidp-e2e-\(UUID().uuidString.prefix(12))"
        var environment = sandbox.environment.merging(extra) { $1 }
        environment["PS1"] = Self.prompt
        environment["PATH"] = Sandbox.binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment.removeValue(forKey: "TMUX")
        try runTmux(["-f", "/dev/null", "new-session", "-d", "-x", String(columns), "-y", String(rows), "-e", "TERM=tmux-256color",
                     "bash --norc --noprofile"], environment: environment)
        do {
            let server = try runTmux(["display-message", "-p", "-t", "0", "#{pid} #{pane_pid} #{socket_path}"])
                .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 2)
            processIDs = server.prefix(2).compactMap { pid_t($0) }
            socketPath = server.count == 3 ? String(server[2]) : nil
            try runTmux(["set-option", "-g", "escape-time", "0"])
            // bash ignores an inherited PS1 here, so the prompt is set by typing it.
            try shell("PS1='\(Self.prompt)'")
            try waitFor(Self.prompt)
        } catch {
            close()
            throw error
        }
    }

    /// The server ends with the session even when a test forgot `close()` or failed before reaching it.
    deinit {
        close()
    }

    /// Kills the tmux server of this session and the shell in its pane (again harmlessly when they are gone), and
    /// removes its socket file.
    /// `kill-server` alone was seen to answer 0 and leave the server running, so both are then killed by id.
    func close() {
        _ = try? runTmux(["kill-server"])
        for id in processIDs where id > 1 {
            kill(id, SIGKILL)
        }
        processIDs = []
        if let socketPath { unlink(socketPath) }
        socketPath = nil
    }

    /// Types a command line into the shell and presses Enter.
    func shell(_ line: String) throws {
        try runTmux(["send-keys", "-t", "0", "-l", line])
        try runTmux(["send-keys", "-t", "0", "Enter"])
    }

    /// Sends tmux key names (`Enter`, `Tab`, `Escape`, `Down`, `F2`, `C-u`...).
    func keys(_ names: String...) throws {
        try runTmux(["send-keys", "-t", "0"] + names)
    }

    /// Types text literally.
    func type(_ text: String) throws {
        try runTmux(["send-keys", "-t", "0", "-l", text])
    }

    /// Pastes `text` as tmux pastes for a person: wrapped in bracketed-paste markers when the program asked for them.
    func paste(_ text: String) throws {
        try runTmux(["set-buffer", "-b", "e2e-paste", text])
        try runTmux(["paste-buffer", "-p", "-d", "-b", "e2e-paste", "-t", "0"])
    }

    /// The visible pane as text.
    func capture() throws -> String {
        try runTmux(["capture-pane", "-p", "-t", "0"])
    }

    /// The pane with colour escapes (`capture-pane -e`).
    func captureWithEscapes() throws -> String {
        try runTmux(["capture-pane", "-p", "-e", "-t", "0"])
    }

    /// Appends every byte the pane's program writes (escapes and `\r` included) to the file at `path`.
    func recordOutput(to path: String) throws {
        try runTmux(["pipe-pane", "-o", "-t", "0", "cat >> '\(path)'"])
    }

    func resize(columns: Int, rows: Int) throws {
        try runTmux(["resize-window", "-t", "0", "-x", String(columns), "-y", String(rows)])
    }

    /// A tmux format value of the pane, e.g. `#{alternate_on}`.
    func display(_ format: String) throws -> String {
        try runTmux(["display-message", "-p", "-t", "0", format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the pane until `text` shows (up to `tries` × 100 ms); returns the pane. Fails with the last pane otherwise.
    @discardableResult
    func waitFor(_ text: String, tries: Int = 150, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try waitUntil(tries: tries, "\"\(text)\"", sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// Polls the pane until `text` is gone.
    @discardableResult
    func waitForAbsence(_ text: String, tries: Int = 150, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try waitUntil(tries: tries, "no \"\(text)\"", sourceLocation: sourceLocation) { !$0.contains(text) }
    }

    @discardableResult
    func waitUntil(tries: Int = 150, _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: (String) -> Bool) throws -> String {
        var pane = ""
        for _ in 0..<tries {
            pane = try capture()
            if condition(pane) { return pane }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TmuxError("timed out waiting for \(what); the pane shows:\n\(pane)")
    }

    @discardableResult
    private func runTmux(_ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let outputPath = sandbox.path(".tmux-out-\(UUID().uuidString)")
        let errorPath = sandbox.path(".tmux-err-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        // Not Foundation's Process: the tmux server that new-session leaves behind would keep it waiting forever.
        let status = try BackgroundProcess(
            tmux, ["-L", socket] + arguments, environment: environment ?? sandbox.environment,
            streams: .files(output: outputPath, error: errorPath)
        ).wait()
        guard status == 0 else {
            let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw TmuxError("tmux \(arguments.joined(separator: " ")) failed with status \(status): \(errors)")
        }
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }
}

struct TmuxError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

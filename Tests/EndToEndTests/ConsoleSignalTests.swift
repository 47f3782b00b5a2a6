import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real console binary in tmux, killed by a signal from outside: the terminal must be usable afterwards.
///
/// The console runs under `sh -c` rather than directly as a job of the interactive bash, because bash puts back its own
/// saved terminal modes when a foreground job dies of a signal and would hide a console that left them raw. Bash's
/// own bracketed paste is turned off for the same reason. What the signal left behind is then read from tmux (alternate
/// screen, cursor, keypad mode), from `stty -a` typed into the shell, and from the bytes a paste delivers.
@Suite("Console killed by a signal", .serialized)
struct ConsoleSignalTests {
    static let pastedText = "PASTE-TEXT"
    static let filler = String(repeating: "X", count: 12)

    @Test("the terminal is restored and the console dies of the signal",
          arguments: [SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGTERM, SIGHUP, SIGINT])
    func restoredAfterSignal(_ signal: Int32) throws {
        let sandbox = try Sandbox()
        for user in ["jess", "kim", "lee"] {
            let created = try sandbox.run(["users", "create", user, "--role", "arn:aws:iam::012345678901:role/AWSTransferAccessRole"])
            guard created.status == 0 else { throw SandboxError("setup `users create \(user)` failed: \(created)") }
        }
        let session = try TmuxSession(sandbox: sandbox)
        defer { session.close() }
        let directory = sandbox.root.path
        try session.shell("bind 'set enable-bracketed-paste off'; cd '\(directory)'")
        // No core file: the sandbox is removed, but a core pattern could still point elsewhere.
        try session.shell("sh -c 'ulimit -c 0; echo $$ > sh.pid; sftpidp; echo console-exit-status=$?'")
        try session.waitFor("3 users loaded")
        #expect(try session.display("#{alternate_on}") == "1", "the console did not switch to the alternate screen, so this test proves nothing")

        let consolePID = try Self.onlyChild(of: try Self.pid(in: sandbox.path("sh.pid")))
        // A console that survives the signal (before the fix, Swift's crash reporter returned from it) must not outlive the test.
        defer { if kill(consolePID, 0) == 0 { kill(consolePID, SIGKILL) } }
        #expect(kill(consolePID, signal) == 0)
        // The shell reports that the console died of this very signal, then prompts again.
        let status = "console-exit-status=\(128 + signal)"
        try session.waitUntil("\(status) and a prompt after it") { pane in
            pane.range(of: status).map { pane[$0.upperBound...].contains(TmuxSession.prompt.trimmingCharacters(in: .whitespaces)) } ?? false
        }

        #expect(try session.display("#{alternate_on}") == "0", "still on the alternate screen")
        #expect(try session.display("#{cursor_flag}") == "1", "the cursor is still hidden")
        #expect(try session.display("#{keypad_cursor_flag}") == "0", "the cursor keys are still in application mode")

        // The quotes keep the typed command line from matching what the wait looks for.
        try session.shell("stty -a > after.stty; echo stty-''done")
        try session.waitFor("stty-done")
        let flags = Set(try String(contentsOfFile: sandbox.path("after.stty"), encoding: .utf8).split(whereSeparator: { " ;\n".contains($0) }).map(String.init))
        for flag in ["echo", "icanon", "isig", "icrnl", "opost"] {
            #expect(flags.contains(flag) && !flags.contains("-" + flag), "\(flag) was not restored: \(flags.sorted())")
        }

        #expect(try Self.pastedBytes(session, sandbox: sandbox) == Self.pastedText + Self.filler, "bracketed paste is still on")
    }

    /// Pastes ``pastedText`` the way tmux pastes into a program that asked for bracketed paste (`paste-buffer -p`) and
    /// returns what a program reading the terminal raw received, padded to 22 bytes with ``filler`` typed afterwards:
    /// with bracketed paste off that is the text and the filler; with it on, the text wrapped in `ESC[200~ ... ESC[201~`.
    static func pastedBytes(_ session: TmuxSession, sandbox: Sandbox) throws -> String {
        let count = pastedText.utf8.count + filler.utf8.count
        try session.shell("stty raw -echo; echo paste-''ready; dd bs=1 count=\(count) of=pasted.bin 2>/dev/null; stty sane; echo paste-''done")
        try session.waitFor("paste-ready")
        try session.paste(pastedText)
        try session.type(filler)
        try session.waitFor("paste-done")
        return String(decoding: try Data(contentsOf: URL(fileURLWithPath: sandbox.path("pasted.bin"))), as: UTF8.self)
    }

    static func pid(in path: String) throws -> pid_t {
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = pid_t(text) else { throw TmuxError("no process id in \(path): \(text)") }
        return pid
    }

    /// The single child of `parent` (the console under its `sh -c`), from /proc.
    static func onlyChild(of parent: pid_t) throws -> pid_t {
        let text = try String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8)
        let children = text.split(separator: " ").compactMap { pid_t($0) }
        guard children.count == 1, let child = children.first else { throw TmuxError("expected one child of \(parent), found \(children)") }
        return child
    }
}

import Foundation
import Testing

/// The CLI's progress line through the real binary: drawn in place on a terminal (tmux), cleared at the end, and
/// absent without a terminal or with `--quiet`, where standard output stays exactly the same.
@Suite("Progress on standard error", .serialized)
struct ProgressEndToEndTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
    static let clearLine = "\r\u{1B}[K"

    /// A sandbox whose default store holds a few users.
    static func seededSandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        for user in ["amy", "ben", "cat", "dan"] {
            let created = try sandbox.run(["users", "create", user, "--role", role, "--home", "/bucket/home/\(user)"])
            #expect(created.status == 0, "\(created)")
        }
        return sandbox
    }

    /// Runs `command` in a tmux pane with standard output to `stdoutFile` and standard error on the terminal;
    /// returns what the terminal received (raw bytes) and the pane as it looks once the command ended.
    static func onTerminal(_ sandbox: Sandbox, _ command: String, stdoutFile: String) throws -> (raw: String, pane: String) {
        let session = try TmuxSession(sandbox: sandbox, columns: 100, rows: 30)
        defer { session.close() }
        let raw = sandbox.path("raw-\(UUID().uuidString).log")
        try session.recordOutput(to: raw)
        try session.shell("\(command) > \(sandbox.path(stdoutFile)); echo EXIT-$?")
        let pane = try session.waitFor("EXIT-0")
        // pipe-pane copies asynchronously: wait until the echo after the command reached the file too.
        var recorded = ""
        for _ in 0..<100 {
            recorded = (try? String(contentsOfFile: raw, encoding: .utf8)) ?? ""
            if recorded.contains("EXIT-0") { break }
            usleep(50_000)
        }
        #expect(recorded.contains("EXIT-0"), "the pane's output was not recorded: \(recorded.debugDescription)")
        return (recorded, pane)
    }

    @Test("store copy on a terminal shows done/total in place and clears it; scripts see the same output")
    func storeCopy() throws {
        let sandbox = try Self.seededSandbox()
        let terminal = try Self.onTerminal(sandbox, "sftpidp store copy --from embedded --to \(sandbox.path("copy-tty.db"))", stdoutFile: "tty.out")
        #expect(terminal.raw.contains("\rCopying users: 4/4 (100%)"), "\(terminal.raw.debugDescription)")
        #expect(terminal.raw.contains("\rListing users: 4"))
        #expect(terminal.raw.contains(Self.clearLine))
        // Cleared at the end: the pane keeps the start line and the prompt, not the progress line.
        #expect(!terminal.pane.contains("Copying users:"), "\(terminal.pane)")
        #expect(terminal.pane.contains("Copying users under SFTP/"))

        let piped = try sandbox.run(["store", "copy", "--from", "embedded", "--to", sandbox.path("copy-pipe.db")])
        #expect(piped.status == 0, "\(piped)")
        #expect(!piped.stderr.contains("\r") && !piped.stderr.contains("Copying users:"), "\(piped.stderr.debugDescription)")
        let ttyOutput = try String(contentsOfFile: sandbox.path("tty.out"), encoding: .utf8)
        #expect(ttyOutput == piped.stdout)
        #expect(piped.stdout.contains("created 4"))

        let quiet = try Self.onTerminal(sandbox, "sftpidp store copy --quiet --from embedded --to \(sandbox.path("copy-quiet.db"))", stdoutFile: "quiet.out")
        #expect(!quiet.raw.contains("Copying users:") && !quiet.raw.contains(Self.clearLine), "\(quiet.raw.debugDescription)")
        #expect(try String(contentsOfFile: sandbox.path("quiet.out"), encoding: .utf8) == piped.stdout)
    }

    @Test("users list on a terminal shows the listing and the reading, then only the table remains")
    func usersList() throws {
        let sandbox = try Self.seededSandbox()
        // --no-cache: the users were written by sftpidp, so the listing would read no value from the overviews kept.
        let terminal = try Self.onTerminal(sandbox, "sftpidp users list --no-cache", stdoutFile: "list.out")
        #expect(terminal.raw.contains("\rListing users: 4"), "\(terminal.raw.debugDescription)")
        #expect(terminal.raw.contains("\rReading users: 4/4 (100%)"))
        #expect(terminal.raw.contains(Self.clearLine))
        #expect(!terminal.pane.contains("Reading users"))
        let kept = try Self.onTerminal(sandbox, "sftpidp users list", stdoutFile: "list-kept.out")
        #expect(kept.raw.contains("\rListing users: 4") && !kept.raw.contains("Reading users"), "\(kept.raw.debugDescription)")
        #expect(try String(contentsOfFile: sandbox.path("list-kept.out"), encoding: .utf8) == String(contentsOfFile: sandbox.path("list.out"), encoding: .utf8))

        let piped = try sandbox.run(["users", "list"])
        #expect(piped.status == 0 && piped.stderr.isEmpty, "\(piped)")
        #expect(try String(contentsOfFile: sandbox.path("list.out"), encoding: .utf8) == piped.stdout)

        let quiet = try Self.onTerminal(sandbox, "sftpidp users list --quiet", stdoutFile: "list-quiet.out")
        #expect(!quiet.raw.contains("Listing users") && !quiet.raw.contains("Reading users"), "\(quiet.raw.debugDescription)")
        let json = try sandbox.run(["users", "list", "--json", "--quiet"])
        #expect(json.status == 0 && json.stderr.isEmpty && json.stdout.contains("\"amy\""), "\(json)")
    }

    @Test("store check on a terminal shows the users being checked, then only its report")
    func storeCheck() throws {
        let sandbox = try Self.seededSandbox()
        let terminal = try Self.onTerminal(sandbox, "sftpidp store check", stdoutFile: "check.out")
        #expect(terminal.raw.contains("\rChecking users: 4/4 (100%)"), "\(terminal.raw.debugDescription)")
        #expect(!terminal.pane.contains("Checking users"))
        let piped = try sandbox.run(["store", "check"])
        #expect(piped.status == 0 && piped.stderr.isEmpty, "\(piped)")
        #expect(try String(contentsOfFile: sandbox.path("check.out"), encoding: .utf8) == piped.stdout)
        #expect(piped.stdout.contains("4 users checked, 0 problems."))
    }
}

import Foundation
import PeerTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The console through a real OpenSSH server on loopback, set up as docs/ssh.md says, driven by the real `ssh -tt`
/// client inside tmux: terminals and locales, resize, quitting, identities, no shell, no forwarding, a dropped
/// connection. Needs root (sshd and a system account), as CI has: skipped in a developer's run without it, failed under
/// scripts/test.sh (see PeerRequirements).
@Suite("The console over ssh", .serialized, .needsRoot(SSHConsoleHost.need))
struct ConsoleSSHTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"

    /// A host with two users, kim's home holding a non-ASCII letter; and a tmux session of `columns` x `rows`.
    static func open(columns: Int = 80, rows: Int = 24) throws -> (SSHConsoleHost, TmuxSession) {
        let sandbox = try Sandbox()
        let host = try SSHConsoleHost(sandbox: sandbox)
        try host.runAsAccount("users create kim --role \(role) --home /bucket/home/jörg").check("users create kim")
        try host.runAsAccount("users create lee --role \(role) --home /bucket/home/lee").check("users create lee")
        let session = try TmuxSession(sandbox: sandbox, columns: columns, rows: rows)
        return (host, session)
    }

    /// The console's log as the account's sessions wrote it.
    static func consoleLog(_ host: SSHConsoleHost) -> String {
        (try? String(contentsOfFile: "/home/\(host.account)/.local/state/sftpidp/console.log", encoding: .utf8)) ?? ""
    }

    /// Ten common TERMs over ssh; every terminfo entry, without ssh, is TerminfoSweepTests.
    @Test("opens at 80x24 over ssh on ten common TERMs, with and without a locale, and quits cleanly",
          arguments: [
            ("xterm-256color", "LANG=C.UTF-8"), ("xterm", ""), ("vt100", ""), ("vt220", ""), ("linux", ""), ("screen", ""),
            ("screen-256color", "LANG=C.UTF-8"), ("tmux-256color", ""), ("ansi", ""), ("rxvt", ""),
          ])
    func opensOnCommonTerminals(term: String, locale: String) throws {
        let (host, session) = try Self.open()
        defer { session.close(); host.close() }
        // Without LANG the session has no locale at all (sshd passes none): the console asks the terminal and takes C.UTF-8.
        let sendEnv = locale.isEmpty ? "" : "-o SendEnv=LANG "
        try session.shell("env -u LANG -u LC_ALL \(locale) TERM=\(term) \(host.sshCommand(key: "alice", options: sendEnv + "-tt")); echo ssh-exit=$?")
        let pane = try session.waitFor("2 users loaded")
        #expect(pane.contains("/bucket/home/jörg"), "the home is not shown as written:\n\(pane)")
        #expect(!pane.contains("j?rg") && !pane.contains("lqqq"), "\(pane)")
        #expect(pane.contains("⏎ details") || pane.contains("Enter details"), "the key line is mangled:\n\(pane)")
        try session.keys("q")
        try session.waitFor("ssh-exit=0")
        #expect(Self.consoleLog(host).contains("\"event\":\"session.quit\""))
    }

    @Test("survives resizing, over ssh's window-change messages")
    func resize() throws {
        let (host, session) = try Self.open()
        defer { session.close(); host.close() }
        try session.shell("TERM=xterm-256color \(host.sshCommand(key: "alice")); echo ssh-exit=$?")
        try session.waitFor("2 users loaded")
        try session.resize(columns: 120, rows: 30)
        // The header puts the naming scheme at the right edge: it moves out to column 120.
        try session.waitUntil("the header redrawn at 120 columns") { pane in
            pane.split(separator: "\n").first.map { $0.hasSuffix("SFTP/{username}") && $0.count >= 115 } ?? false
        }
        try session.resize(columns: 80, rows: 24)
        try session.waitUntil("the header redrawn at 80 columns") { pane in
            pane.split(separator: "\n").first.map { $0.hasSuffix("SFTP/{username}") && $0.count <= 80 } ?? false
        }
        try session.keys("q")
        try session.waitFor("ssh-exit=0")
    }

    @Test("ASCII when asked (SFTPIDP_CHARSET=ascii): user text escaped, the console's symbols in ASCII, no '?'")
    func ascii() throws {
        let (host, session) = try Self.open()
        defer { session.close(); host.close() }
        try session.shell("SFTPIDP_CHARSET=ascii TERM=vt100 \(host.sshCommand(key: "alice", options: "-o SendEnv=SFTPIDP_CHARSET -tt")); echo ssh-exit=$?")
        let pane = try session.waitFor("2 users loaded")
        // The escape is cut by the HOME column, as any long home is; the letter is written out, never a '?'.
        #expect(pane.contains("/bucket/home/j\\u{F6"), "\(pane)")
        #expect(pane.contains("Enter details") && pane.contains("^v move"), "\(pane)")
        #expect(!pane.contains("?rg"), "\(pane)")
        // A non-ASCII letter typed outside UTF-8 is dropped, not taken as two Latin-1 letters: the filter is just "k".
        try session.keys("/")
        try session.type("kö")
        try session.waitFor("1 of 2 users")
        try session.keys("Escape")
        try session.waitFor("2 users")
        try session.keys("q")
        try session.waitFor("ssh-exit=0")
    }

    @Test("TERM=dumb and an unknown TERM get a clear message and exit status 1")
    func refusedTerminals() throws {
        let (host, session) = try Self.open(columns: 250, rows: 30)
        defer { session.close(); host.close() }
        // The quotes keep the typed command line from matching what the wait looks for.
        try session.shell("TERM=dumb \(host.sshCommand(key: "alice")); echo dumb-''exit=$?")
        var pane = try session.waitFor("dumb-exit=")
        #expect(pane.contains("TERM=dumb cannot show a full-screen console"), "\(pane)")
        #expect(pane.contains("dumb-exit=1"), "\(pane)")
        try session.shell("clear; TERM=no-such-terminal \(host.sshCommand(key: "alice")); echo unknown-''exit=$?")
        pane = try session.waitFor("unknown-exit=")
        #expect(pane.contains("unknown terminal type TERM=no-such-terminal"), "\(pane)")
        #expect(pane.contains("unknown-exit=1"), "\(pane)")
    }

    @Test("an admin's save names the admin and the key fingerprint in the audit trail; an auditor's key is read-only")
    func identities() throws {
        let (host, session) = try Self.open(columns: 100, rows: 30)
        defer { session.close(); host.close() }
        try session.shell("TERM=xterm-256color \(host.sshCommand(key: "alice")); echo ssh-exit=$?")
        try session.waitFor("2 users loaded")
        try session.keys("e")
        try session.waitFor("Edit kim")
        try session.keys("C-u")
        try session.type("arn:aws:iam::012345678901:role/Uploaders")
        try session.keys("C-s")
        try session.waitFor("Saved kim")
        try session.keys("q")
        try session.waitFor("ssh-exit=0")

        let fingerprint = try host.sandbox.runTool("ssh-keygen", ["-lf", host.sandbox.path("alice.pub")]).stdout.split(separator: " ")[1]
        let audit = try host.sh(try host.docCommands(2))
        try audit.check("`sftpidp audit` from docs/ssh.md")
        #expect(audit.stdout.contains("\(host.account) (alice@laptop, \(fingerprint))"), "\(audit)")

        try session.shell("clear; TERM=xterm-256color \(host.sshCommand(key: "carol")); echo carol-exit=$?")
        let pane = try session.waitFor("2 users loaded")
        #expect(pane.contains("READ-ONLY"), "\(pane)")
        try session.keys("e")
        try session.waitFor("read-only")
        try session.keys("q")
        try session.waitFor("carol-exit=0")
        #expect(Self.consoleLog(host).contains("\"detail\":\"read-only\""))

        // The store, its key and the console log belong to the account and nobody else may read them.
        let uid = try #require(getpwnam(host.account)).pointee.pw_uid
        for file in [".local/share/sftpidp/secrets.db", ".config/sftpidp/master.key", ".local/state/sftpidp/console.log"] {
            var info = stat()
            #expect(stat("/home/\(host.account)/\(file)", &info) == 0, "\(file) is missing")
            #expect(info.st_uid == uid, "\(file) is not owned by the account")
            #expect(info.st_mode & 0o077 == 0, "\(file) is readable by others: \(String(info.st_mode & 0o777, radix: 8))")
        }
    }

    @Test("no shell: a command is ignored (the console runs, or refuses without a terminal), and -L forwarding is refused")
    func noShellNoForwarding() throws {
        let (host, session) = try Self.open()
        defer { session.close(); host.close() }
        // Without a terminal the forced console refuses to start: the requested command never runs.
        let noTTY = try host.sh(host.sshCommand(key: "alice", options: "-T", remote: "'/bin/sh -c \"echo SHELL-RAN-\\$((6*7))\"'") + " || echo status=$?")
        #expect(!noTTY.stdout.contains("SHELL-RAN-42"), "\(noTTY)")
        #expect(noTTY.stdout.contains("status=1") && noTTY.stderr.hasPrefix("sftpidp: ") && noTTY.stderr.contains("use the command line instead"), "\(noTTY)")

        // With a terminal, `ssh host /bin/sh` opens the console, not a shell.
        try session.shell("TERM=xterm \(host.sshCommand(key: "alice", remote: "/bin/sh")); echo ssh-exit=$?")
        try session.waitFor("2 users loaded")
        try session.keys("q")
        try session.waitFor("ssh-exit=0")

        // -L: ssh listens locally, but sshd refuses to open the channel, so nothing reaches the target port.
        let localPort = try freeLoopbackPort()
        let arguments = ["-N", "-L", "\(localPort):127.0.0.1:\(host.port)"] + host.sshCommand(key: "alice", options: "").split(separator: " ").dropFirst().map {
            $0.replacingOccurrences(of: "'", with: "")
        }
        let forward = try BackgroundProcess(try Sandbox.which("ssh"), arguments, environment: host.sandbox.environment,
                                            streams: .files(error: host.sandbox.path("forward.log")))
        defer { forward.stop() }
        for _ in 0..<100 where !isListening(port: localPort) { usleep(100_000) }
        #expect(isListening(port: localPort), "ssh -L did not start")
        let banner = Self.firstBytes(fromPort: localPort)
        #expect(!banner.hasPrefix("SSH-"), "the forwarded connection reached sshd: \(banner)")
        try session.waitUntil(tries: 100, "sshd's log to show the refusal") { _ in host.sshdLog.contains("refused local port forward") }
    }

    @Test("a killed ssh client (SIGHUP on the server) loses the unsaved form with a log line, leaves the store consistent and unlocked")
    func hangup() throws {
        let (host, session) = try Self.open(columns: 100, rows: 30)
        defer { session.close(); host.close() }
        try session.shell("sh -c 'echo $$ > \(host.sandbox.path("ssh.pid")); exec \(host.sshCommand(key: "alice"))'")
        try session.waitFor("2 users loaded")
        try session.keys("e")
        try session.waitFor("Edit kim")
        try session.keys("C-u")
        try session.type("arn:aws:iam::012345678901:role/NeverSaved")
        try session.waitFor("unsaved")
        let client = try ConsoleSignalTests.pid(in: host.sandbox.path("ssh.pid"))
        #expect(kill(client, SIGKILL) == 0)
        try session.waitUntil("the account's console and sshd session to end") { _ in host.accountProcesses.isEmpty }

        let log = Self.consoleLog(host)
        #expect(log.contains("\"event\":\"session.hangup\""), "\(log)")
        #expect(log.contains("unsaved form lost, nothing written: edit of kim"), "\(log)")
        #expect(!log.contains("NeverSaved"))
        try host.runAsAccount("store check").check("store check after the hangup")
        try host.runAsAccount("users update kim --comment after-hangup").check("a CLI write after the hangup")
        let shown = try host.runAsAccount("users show kim")
        #expect(shown.stdout.contains("AWSTransferAccessRole") && !shown.stdout.contains("NeverSaved"), "\(shown)")
    }

    /// What a TCP server on 127.0.0.1:`port` sends first (up to 2 s), as text; empty when it closes at once.
    static func firstBytes(fromPort port: Int) -> String {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return "" }
        defer { Glibc.close(socket) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return "" }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(socket, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
    }
}

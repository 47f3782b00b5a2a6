import Foundation
import PeerTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real OpenSSH server on loopback set up exactly as docs/ssh.md says: a system account of its own (a unique
/// name) whose every login opens the console, an admin key (alice) and an auditor key (carol).
///
/// The doc's commands run as they are written, with three replacements: the account name `sftp-console`, the
/// directory `/etc/ssh/` (a temporary one, holding the host key, the test's `sshd_config` and the doc's snippet) and the
/// binary `/usr/local/bin/sftpidp` (a copy of the one under test). `close()` kills sshd and every process of the account and
/// removes the account with its home, failed or not. Needs root (to run sshd and create the account), as CI has.
final class SSHConsoleHost {
    let sandbox: Sandbox
    let account: String
    let port: Int
    let etc: String
    /// A copy of the binary under test that the account can run: the checkout may lie under a directory only root
    /// can enter (CI's /root); the binary needs nothing else from it (its libraries are the system's and the toolchain's).
    let binary: String
    private var sshd: BackgroundProcess?
    private var accountCreated = false

    /// The doc's name for the account, directory and binary, replaced by the test's own.
    static let docAccount = "sftp-console"
    static let docEtc = "/etc/ssh/"
    static let docBinary = "/usr/local/bin/sftpidp"

    static let need = "needs root to run sshd and create the account"

    init(sandbox: Sandbox) throws {
        try PeerRequirements.requireRoot(Self.need)
        self.sandbox = sandbox
        account = "sc" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(10)
        etc = sandbox.path("etc-ssh")
        binary = sandbox.path("bin/sftpidp")
        port = try freeLoopbackPort()
        do {
            try start()
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// The fenced code blocks of docs/ssh.md with `language`, in order, with the test's replacements made.
    static func docBlocks(_ language: String, account: String, etc: String, binary: String) throws -> [String] {
        let text = try String(contentsOf: LambdaPackageTests.packageRoot.appendingPathComponent("docs/ssh.md"), encoding: .utf8)
        var blocks: [String] = []
        var current: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```\(language)" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(String(line))
            }
        }
        return blocks.map {
            $0.replacingOccurrences(of: docBinary, with: binary)
                .replacingOccurrences(of: docEtc, with: etc + "/")
                .replacingOccurrences(of: docAccount, with: account)
        }
    }

    func docCommands(_ index: Int) throws -> String {
        let blocks = try Self.docBlocks("sh", account: account, etc: etc, binary: binary)
        guard index < blocks.count else { throw SandboxError("docs/ssh.md has no sh block \(index + 1)") }
        return blocks[index]
    }

    /// Runs shell commands (as root, in the sandbox, `-e`): the doc's blocks and the test's own checks.
    @discardableResult
    func sh(_ script: String) throws -> CommandResult {
        try sandbox.runTool("sh", ["-ec", script], environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
    }

    /// Runs `sftpidp` as the account, with its login environment (its store), as `runuser -l` does.
    func runAsAccount(_ arguments: String) throws -> CommandResult {
        try sh("runuser -l \(account) -c '\(binary) \(arguments)'")
    }

    private func start() throws {
        try FileManager.default.createDirectory(atPath: sandbox.path("bin"), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try sandbox.installBinaryCopy(at: binary)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sandbox.root.path)
        for name in ["alice", "carol"] {
            try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "\(name)@laptop", "-f", sandbox.path(name)]).check("ssh-keygen")
        }
        try FileManager.default.createDirectory(atPath: etc + "/sshd_config.d", withIntermediateDirectories: true)
        try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", etc + "/ssh_host_ed25519_key"]).check("ssh-keygen (host key)")
        let hostKey = try String(contentsOfFile: etc + "/ssh_host_ed25519_key.pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        try sandbox.write("[127.0.0.1]:\(port) \(hostKey)\n", to: "known_hosts")

        // The doc's account set-up, then its sshd snippet, included by the test's own server settings.
        accountCreated = true
        try sh(try docCommands(0)).check("the set-up commands of docs/ssh.md")
        guard let snippet = try Self.docBlocks("sshd_config", account: account, etc: etc, binary: binary).first else {
            throw SandboxError("docs/ssh.md has no sshd_config block")
        }
        try snippet.write(toFile: etc + "/sshd_config.d/\(account).conf", atomically: true, encoding: .utf8)
        try """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(etc)/ssh_host_ed25519_key
            PidFile \(etc)/sshd.pid
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            AcceptEnv LANG LC_* SFTPIDP_CHARSET
            LogLevel VERBOSE
            Include \(etc)/sshd_config.d/*.conf

            """.write(toFile: etc + "/sshd_config", atomically: true, encoding: .utf8)
        // sshd (even `sshd -t`) wants its privilege-separation directory; a machine that never ran sshd has none.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        try sh(try docCommands(1)).check("`sshd -t` from docs/ssh.md")

        let server = try BackgroundProcess(
            "/usr/sbin/sshd", ["-D", "-e", "-f", etc + "/sshd_config"], environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"],
            streams: .files(error: sandbox.path("sshd.log")))
        sshd = server
        for _ in 0..<100 where !isListening(port: port) {
            guard server.isRunning else { throw SandboxError("sshd exited: \(sshdLog)") }
            usleep(100_000)
        }
        guard isListening(port: port) else { throw SandboxError("sshd does not listen on \(port): \(sshdLog)") }
    }

    var sshdLog: String { (try? String(contentsOfFile: sandbox.path("sshd.log"), encoding: .utf8)) ?? "" }

    /// The ssh client's command line for a login with `key` (`alice` or `carol`), checking the host key.
    func sshCommand(key: String, options: String = "-tt", remote: String = "") -> String {
        "ssh \(options) -F /dev/null -i \(sandbox.path(key)) -o IdentitiesOnly=yes -o BatchMode=yes"
            + " -o UserKnownHostsFile=\(sandbox.path("known_hosts")) -o StrictHostKeyChecking=yes -p \(port) \(account)@127.0.0.1"
            + (remote.isEmpty ? "" : " \(remote)")
    }

    /// Processes running as the account (the console and its sshd session), from /proc.
    var accountProcesses: [pid_t] {
        guard let uid = accountUID, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { pid_t($0) }.filter { pid in
            var info = stat()
            return stat("/proc/\(pid)", &info) == 0 && info.st_uid == uid
        }
    }

    private var accountUID: uid_t? { getpwnam(account).map { $0.pointee.pw_uid } }

    /// Kills sshd and the account's processes, removes the account and its home.
    func close() {
        if let sshd {
            sshd.stop()
            self.sshd = nil
        }
        guard accountCreated else { return }
        for pid in accountProcesses { kill(pid, SIGKILL) }
        for _ in 0..<50 where !accountProcesses.isEmpty { usleep(100_000) }
        _ = try? sh("userdel -r \(account) 2>/dev/null || userdel \(account) 2>/dev/null || true; rm -rf /home/\(account)")
        accountCreated = false
    }
}

import Foundation
import PeerTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `serve`'s transport limits through the real binary: TLS versions and suites with the real curl (checked against
/// an `openssl s_server` that accepts them all, so a refusal is the server's, not the client's), the connection
/// cap with real sockets, and core-dump hardening as root.
@Suite struct ServeTransportTests {
    /// Client settings serve must refuse: TLS 1.0 and 1.1, and TLS 1.2 with CBC suites only.
    static let refused: [(String, [String])] = [
        ("TLS 1.0", ["--tlsv1.0", "--tls-max", "1.0", "--ciphers", "DEFAULT:@SECLEVEL=0"]),
        ("TLS 1.1", ["--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT:@SECLEVEL=0"]),
        ("TLS 1.2 CBC SHA-256", ["--tlsv1.2", "--tls-max", "1.2", "--ciphers", "ECDHE-ECDSA-AES128-SHA256"]),
        ("TLS 1.2 CBC SHA-1", ["--tlsv1.2", "--tls-max", "1.2", "--ciphers", "ECDHE-ECDSA-AES256-SHA"]),
    ]
    /// Client settings serve must accept.
    static let accepted: [(String, [String])] = [
        ("TLS 1.2 AES-GCM", ["--tlsv1.2", "--tls-max", "1.2", "--ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256"]),
        ("TLS 1.2 ChaCha20-Poly1305", ["--tlsv1.2", "--tls-max", "1.2", "--ciphers", "ECDHE-ECDSA-CHACHA20-POLY1305"]),
        ("TLS 1.3", ["--tlsv1.3"]),
    ]

    @Test func oldTLSAndCBCSuitesAreRefusedModernOnesAccepted() throws {
        let (sandbox, _) = try ServeEndToEndTests.populated()
        let certificate = sandbox.path("tls.crt"), key = sandbox.path("tls.key")
        let made = try sandbox.runTool("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                                   "-keyout", key, "-out", certificate, "-subj", "/CN=localhost", "-days", "1",
                                                   "-addext", "subjectAltName=IP:127.0.0.1"])
        try #require(made.status == 0, "\(made.stderr)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)

        // The control: this curl does speak every refused setting, to a server that allows them.
        let control = try OpenSSLServer(sandbox: sandbox, certificate: certificate, key: key)
        defer { control.stop() }
        for (name, options) in Self.refused {
            let answer = try curl(sandbox, options + ["--cacert", certificate, "https://127.0.0.1:\(control.port)/"])
            #expect(answer.status == 0 && answer.stdout.hasSuffix("200"), "the control server refused \(name): \(answer)")
        }

        let server = try ServeProcess(sandbox: sandbox, arguments: ["--insecure-no-auth", "--tls-cert", certificate, "--tls-key", key])
        #expect(server.baseURL.hasPrefix("https://127.0.0.1:"))
        for (name, options) in Self.refused {
            let answer = try curl(sandbox, options + ["--cacert", certificate, "\(server.baseURL)/healthz"])
            // 35: the TLS handshake failed.
            #expect(answer.status == 35, "serve accepted \(name): \(answer)")
        }
        for (name, options) in Self.accepted {
            let answer = try curl(sandbox, options + ["--cacert", certificate, "\(server.baseURL)/healthz"])
            #expect(answer.status == 0 && answer.stdout.hasSuffix("200"), "serve refused \(name): \(answer)")
        }
        let login = try curl(sandbox, ["--tlsv1.3", "--cacert", certificate, "-H", "Password: correct horse",
                                       "\(server.baseURL)/servers/\(ServeEndToEndTests.serverID)/users/jess/config?protocol=SFTP"])
        #expect(login.stdout.contains(ServeEndToEndTests.role) && login.stdout.hasSuffix("200"), "\(login)")
        #expect(server.stop() == 0)
    }

    /// With `--max-connections 2` and two connections held open, a third is not served (it waits in the listen
    /// backlog, as documented) until one of them closes; then `/healthz` and a key login answer again.
    @Test func connectionsBeyondTheCapWaitUntilOneCloses() throws {
        let (sandbox, _) = try ServeEndToEndTests.populated()
        let keyPath = sandbox.path("id-cap")
        try #require(try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "cap@test", "-f", keyPath]).status == 0)
        let publicKey = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let added = try sandbox.run(["users", "update", "jess", "--public-key", publicKey])
        try #require(added.status == 0, "\(added)")
        let server = try ServeProcess(sandbox: sandbox, arguments: ["--insecure-no-auth", "--max-connections", "2"])
        let port = try #require(server.baseURL.split(separator: ":").last.flatMap { Int($0) })
        let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

        // Two kept-alive connections, each answered once: both are accepted and counted.
        var held = try (0..<2).map { _ in try RawConnection(port: port) }
        for connection in held {
            try connection.send(request)
            #expect(try connection.receive(waitingUpTo: 30).hasPrefix("HTTP/1.1 200"))
        }
        // A third one connects (the kernel's backlog) but is not served while the cap is reached. Waiting a
        // second for silence can only miss a failure on a slow machine, never report a false one.
        let third = try RawConnection(port: port)
        try third.send(request)
        #expect(try third.receive(waitingUpTo: 1) == "", "a connection beyond the cap was served")
        held.removeLast().close()
        #expect(try third.receive(waitingUpTo: 30).hasPrefix("HTTP/1.1 200"), "the waiting connection was not served once one closed")
        third.close()

        // Under the cap again: the health check and a key login answer.
        let health = try sandbox.curl(["\(server.baseURL)/healthz"])
        #expect(health.status == 200)
        let keyLogin = try sandbox.curl(["\(server.baseURL)/servers/\(ServeEndToEndTests.serverID)/users/jess/config?protocol=SFTP"])
        #expect(keyLogin.status == 200 && (keyLogin.object["PublicKeys"] as? [String])?.contains(publicKey) == true, "\(keyLogin)")
        held.forEach { $0.close() }
        #expect(server.stop() == 0)
    }

    /// As root (CI) a non-dumpable process cannot be told from a dumpable one by its /proc owner, so serve runs as
    /// `nobody` here: its /proc entries then belong to root only because it made itself non-dumpable.
    @Test(.needsRoot("needs root to start serve as another user"))
    func coreDumpsAreOffWhenStartedByRoot() throws {
        try PeerRequirements.requireRoot("needs root to start serve as another user")
        let (sandbox, _) = try ServeEndToEndTests.populated()
        let nobody: UInt32 = 65534
        // The build's own binary may sit below a directory only root can enter (a checkout in /root, a mktemp -d
        // clone): nobody runs a copy inside the sandbox, which it owns below.
        let binary = sandbox.root.appendingPathComponent("sftpidp-binary")
        try sandbox.installBinaryCopy(at: binary.path)
        for path in [sandbox.root.path] + (FileManager.default.subpaths(atPath: sandbox.root.path) ?? []).map({ sandbox.path($0) }) {
            try #require(chown(path, nobody, nobody) == 0, "chown \(path)")
        }
        let server = try ServeProcess(sandbox: sandbox, arguments: ["--insecure-no-auth"],
                                      launcher: ["/usr/bin/setpriv", "--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups",
                                                 "/usr/bin/prlimit", "--core=unlimited", "--"],
                                      binary: binary)
        let pid = server.process.processIdentifier
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let uidLine = status.split(separator: "\n").first { $0.hasPrefix("Uid:") }
        #expect(uidLine?.split(whereSeparator: \.isWhitespace).dropFirst().allSatisfy { $0 == "\(nobody)" } == true, "\(uidLine ?? "")")
        let owner = try FileManager.default.attributesOfItem(atPath: "/proc/\(pid)/status")[.ownerAccountID] as? NSNumber
        #expect(owner?.intValue == 0, "serve running as nobody is still dumpable")
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let coreLine = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") }
        #expect(coreLine?.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"], "\(coreLine ?? "")")
        #expect(server.stop() == 0)
    }

    private func curl(_ sandbox: Sandbox, _ arguments: [String]) throws -> CommandResult {
        try sandbox.runTool("curl", ["--silent", "--show-error", "--max-time", "30", "--output", "-", "--write-out", "\n%{http_code}"] + arguments)
    }
}

/// `openssl s_server -www` on a free port, allowing TLS 1.0 and every suite: the control for the refusal tests.
private final class OpenSSLServer {
    let process: BackgroundProcess
    let port: Int

    init(sandbox: Sandbox, certificate: String, key: String) throws {
        let output = sandbox.path("s_server-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process = try BackgroundProcess(
            try Sandbox.which("openssl"),
            ["s_server", "-accept", "0", "-cert", certificate, "-key", key, "-cipher", "ALL:@SECLEVEL=0", "-min_protocol", "TLSv1", "-www"],
            streams: .files(output: output))
        var port: Int?
        for _ in 0..<100 where port == nil && process.isRunning {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            port = text.split(separator: "\n").first { $0.hasPrefix("ACCEPT") }?.split(separator: ":").last.flatMap { Int($0) }
            if port == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        guard let port else {
            process.signal(SIGKILL)
            throw SandboxError("openssl s_server did not start")
        }
        self.port = port
    }

    /// SIGKILL: s_server does not end on SIGTERM.
    func stop() {
        process.signal(SIGKILL)
        process.wait()
    }
}

/// A plain TCP connection to 127.0.0.1, for holding connections open and reading what arrives.
private final class RawConnection {
    private var descriptor: Int32

    init(port: Int) throws {
        descriptor = connectToLoopback(port: port)
        guard descriptor >= 0 else { throw SandboxError("connect() to port \(port) failed") }
    }

    deinit { close() }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { throw SandboxError("send() failed") }
    }

    /// What arrives within `seconds` (up to 64 KiB), or "" when nothing does.
    func receive(waitingUpTo seconds: Int) throws -> String {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(seconds * 1000)) > 0 else { return "" }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
    }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }
}

import Foundation
import Testing

/// `sftpidp serve` through the real binary on a free loopback port, exercised with the real curl.
@Suite struct ServeEndToEndTests {
    static let serverID = "s-0123456789abcdef0"
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
    static let token = "e2e-token-5f2d9c0a7b1e4d3c"

    /// A sandbox with `jess` (password `correct horse`), `jess@example.com` (password `pässwörd`) and a token file.
    static func populated() throws -> (Sandbox, tokenFile: String) {
        let sandbox = try Sandbox()
        for (user, password) in [("jess", "correct horse"), ("jess@example.com", "pässwörd")] {
            let created = try sandbox.run(["users", "create", user, "--role", role, "--home", "/bucket/\(user)", "--password-stdin"], input: password + "\n")
            guard created.status == 0 else { throw SandboxError("setup failed: \(created)") }
        }
        let tokenFile = try sandbox.write(token + "\n", to: "token")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile)
        return (sandbox, tokenFile)
    }

    @Test func contractOverCurlAndGracefulShutdown() throws {
        let (sandbox, tokenFile) = try Self.populated()
        let server = try ServeProcess(sandbox: sandbox, arguments: ["--auth-token-file", tokenFile])
        let base = server.baseURL
        #expect(base.hasPrefix("http://127.0.0.1:"))
        let auth = ["-H", "Authorization: Bearer \(Self.token)"]
        let configURL = "\(base)/servers/\(Self.serverID)/users/jess/config?protocol=SFTP&sourceIp=192.0.2.1"

        // Password header: allowed, wrong, unknown user.
        let allowed = try sandbox.curl(auth + ["-H", "Password: correct horse", configURL])
        #expect(allowed.status == 200, "\(allowed)")
        #expect(allowed.object["Role"] as? String == Self.role)
        #expect(allowed.object["HomeDirectory"] as? String == "/bucket/jess")
        let wrong = try sandbox.curl(auth + ["-H", "Password: wrong", configURL])
        #expect(wrong.status == 200 && wrong.body == "{}", "\(wrong)")
        let unknown = try sandbox.curl(auth + ["-H", "Password: wrong", "\(base)/servers/\(Self.serverID)/users/nobody/config?protocol=SFTP&sourceIp=192.0.2.1"])
        #expect(unknown.status == 200 && unknown.body == "{}")

        // PasswordBase64 with a non-ASCII password, and a URL-encoded user name.
        let encoded = Data("pässwörd".utf8).base64EncodedString()
        let base64 = try sandbox.curl(auth + ["-H", "PasswordBase64: \(encoded)", "\(base)/servers/\(Self.serverID)/users/jess%40example.com/config?protocol=SFTP&sourceIp=192.0.2.1"])
        #expect(base64.object["Role"] as? String == Self.role, "\(base64)")

        // The function-style event.
        let event = #"{"username":"jess","password":"correct horse","protocol":"SFTP","serverId":"s-0123456789abcdef0","sourceIp":"192.0.2.1"}"#
        let posted = try sandbox.curl(auth + ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", event, "\(base)/"])
        #expect(posted.object["Role"] as? String == Self.role, "\(posted)")

        // Callers without the token.
        let missing = try sandbox.curl(["-H", "Password: correct horse", configURL])
        #expect(missing.status == 401)
        #expect((missing.object["error"] as? [String: Any])?["message"] as? String == "missing Authorization: Bearer token")
        let badToken = try sandbox.curl(["-H", "Authorization: Bearer nope", "-H", "Password: correct horse", configURL])
        #expect(badToken.status == 401)

        // Health and metrics.
        let health = try sandbox.curl(["\(base)/healthz"])
        #expect(health.status == 200 && health.body == #"{"status":"ok"}"#)
        let metrics = try sandbox.curl(auth + ["\(base)/metrics"])
        #expect(metrics.status == 200)
        #expect(metrics.body.contains(#"sftpidp_login_decisions_total{result="allowed",reason="none"} 3"#), "\(metrics)")
        #expect(metrics.body.contains(#"sftpidp_login_decisions_total{result="denied",reason="wrong_password"} 1"#))
        #expect(metrics.body.contains(#"sftpidp_login_decisions_total{result="denied",reason="unknown_user"} 1"#))
        #expect(metrics.body.contains("sftpidp_login_decision_duration_seconds_bucket"))

        // Bad requests.
        // Bad login requests are denials: 200 {}, the reason in the log.
        let badBase64 = try sandbox.curl(auth + ["-H", "PasswordBase64: %%%", configURL])
        #expect(badBase64.status == 200 && badBase64.body == "{}", "\(badBase64)")
        let notUTF8 = try sandbox.curl(auth + ["-H", "PasswordBase64: //79", configURL])
        #expect(notUTF8.status == 200 && notUTF8.body == "{}")
        let bigBody = try sandbox.write(String(repeating: "x", count: 100 * 1024), to: "big.json")
        let oversized = try sandbox.curl(auth + ["-X", "POST", "--data-binary", "@\(bigBody)", "\(base)/"])
        #expect(oversized.status == 413, "\(oversized)")
        let malformed = try sandbox.curl(auth + ["-X", "POST", "--data-binary", "{", "\(base)/"])
        #expect(malformed.status == 400)
        let hugeHeader = try sandbox.curl(auth + ["-H", "X-Filler: \(String(repeating: "y", count: 40 * 1024))", configURL])
        #expect((400..<500).contains(hugeHeader.status), "\(hugeHeader)")
        let notFound = try sandbox.curl(auth + ["\(base)/nothing/here"])
        #expect(notFound.status == 404)

        // One log line per decision, never the password; SIGTERM stops it cleanly.
        #expect(server.stop() == 0)
        let log = server.log
        #expect(log.components(separatedBy: "login decision").count - 1 == 7, "\(log)")
        let lines = log.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        #expect(lines.contains { $0["result"] as? String == "allowed" })
        #expect(lines.contains { $0["reason"] as? String == "password does not match" })
        #expect(lines.contains { $0["reason"] as? String == "the PasswordBase64 header is not valid base64" })
        #expect(!log.contains("correct horse") && !log.contains("pässwörd") && !log.contains(Self.token))
    }

    @Test func refusesUnsafeSettings() throws {
        let (sandbox, tokenFile) = try Self.populated()
        let open = try sandbox.run(["serve", "--host", "0.0.0.0", "--port", "0", "--insecure-no-auth"])
        #expect(open.status == 1)
        #expect(open.stderr.contains("--insecure-no-auth is only allowed when bound to a loopback address"))
        let neither = try sandbox.run(["serve", "--port", "0"])
        #expect(neither.status == 2)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: tokenFile)
        let readable = try sandbox.run(["serve", "--port", "0", "--auth-token-file", tokenFile])
        #expect(readable.status == 1)
        #expect(readable.stderr.contains("must not be readable or writable by group or others"))
    }

    @Test func refusesPlainHTTPOffLoopbackAndBadNumbers() throws {
        let (sandbox, tokenFile) = try Self.populated()
        let plain = try sandbox.run(["serve", "--host", "0.0.0.0", "--port", "0", "--auth-token-file", tokenFile])
        #expect(plain.status == 1)
        #expect(plain.stderr.contains("--host 0.0.0.0 is not a loopback address: serve HTTPS with --tls-cert and --tls-key, or give --insecure-plain-http"))
        for (option, value, message) in [
            ("--throttle-window", "nan", "--throttle-window must be a number of seconds from 1 to 86400, not nan"),
            ("--throttle-cooldown", "inf", "--throttle-cooldown must be a number of seconds from 1 to 86400, not inf"),
            ("--cache-ttl", "-1", "--cache-ttl must be a number of seconds from 0 to 3600, not -1.0"),
            ("--user-delay-max", "1e300", "--user-delay-max must be a number of seconds from 0 to 60, not 1e+300"),
            ("--max-connections", "0", "--max-connections must be a whole number from 1 to 65536, not 0"),
            ("--hashing-queue", "-5", "--hashing-queue must be a whole number from 0 to 100000, not -5"),
        ] {
            let result = try sandbox.run(["serve", "--port", "0", "--auth-token-file", tokenFile, "\(option)=\(value)"])
            #expect(result.status == 2, "\(option) \(value): \(result)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }

    @Test func logForgeryAndUnparsableSource() throws {
        let (sandbox, _) = try Self.populated()
        let server = try ServeProcess(sandbox: sandbox, arguments: ["--insecure-no-auth"])
        let forged = try sandbox.curl(["-H", "Password: x", "\(server.baseURL)/servers/\(Self.serverID)/users/eve%20result=allowed%0Aforged/config?protocol=SFTP"])
        #expect(forged.status == 200 && forged.body == "{}")
        let smuggled = try sandbox.curl(["-H", "Password: correct horse", "\(server.baseURL)/servers/\(Self.serverID)/users/jess/config?protocol=SFTP&sourceIp=10.0.0.1%00x"])
        #expect(smuggled.status == 200 && smuggled.body == "{}", "\(smuggled)")
        #expect(server.stop() == 0)
        let decisions = server.log.split(separator: "\n").filter { $0.contains("login decision") }
        #expect(decisions.count == 2)
        let objects = decisions.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        #expect(objects.count == 2)
        // The newline arrives escaped (a backslash and an n), inside the one field.
        #expect(objects.first?["user"] as? String == "eve result=allowed\\nforged")
        #expect(objects.allSatisfy { $0["result"] as? String == "denied" })
        #expect((objects.last?["reason"] as? String)?.hasPrefix("sourceIp ") == true)
    }

    @Test func coreDumpsAreOff() throws {
        let (sandbox, _) = try Self.populated()
        // Started with core dumps allowed (unlimited), so a limit of 0 can only come from serve itself.
        let server = try ServeProcess(sandbox: sandbox, arguments: ["--insecure-no-auth"], launcher: ["/usr/bin/prlimit", "--core=unlimited", "--"])
        let pid = server.process.processIdentifier
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let coreLine = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") }
        #expect(coreLine?.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"], "\(coreLine ?? "")")
        // A process that is not dumpable has its /proc entries owned by root; as root that cannot be told apart
        // (ServeTransportTests.coreDumpsAreOffWhenStartedByRoot covers root by starting serve as nobody).
        if geteuid() != 0 {
            let owner = try FileManager.default.attributesOfItem(atPath: "/proc/\(pid)/status")[.ownerAccountID] as? NSNumber
            #expect(owner?.intValue == 0)
        }
        #expect(server.stop() == 0)
    }

    @Test func insecureNoAuthOnLoopback() throws {
        let (sandbox, _) = try Self.populated()
        let server = try ServeProcess(sandbox: sandbox, arguments: ["--insecure-no-auth"])
        let answer = try sandbox.curl(["-H", "Password: correct horse", "\(server.baseURL)/servers/\(Self.serverID)/users/jess/config?protocol=SFTP"])
        #expect(answer.object["Role"] as? String == Self.role, "\(answer)")
        #expect(server.stop() == 0)
    }
}

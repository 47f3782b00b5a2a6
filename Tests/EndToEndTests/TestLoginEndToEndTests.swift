import EmbeddedStore
import Foundation
import SecretStore
import Testing

/// `sftpidp test-login` through the real binary on a temporary embedded store.
@Suite struct TestLoginEndToEndTests {
    static let serverID = "s-0123456789abcdef0"
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
    static let password = "correct horse"

    /// A sandbox with users for every kind of decision.
    static func populated() async throws -> Sandbox {
        let sandbox = try Sandbox()
        func run(_ arguments: [String], input: String? = nil) throws {
            let result = try sandbox.run(arguments, input: input)
            guard result.status == 0 else { throw SandboxError("setup `sftpidp \(arguments.joined(separator: " "))` failed: \(result)") }
        }
        try run(["users", "create", "jess", "--role", role, "--home", "/bucket/home/jess", "--password-stdin"], input: password + "\n")
        try run(["users", "create", "net", "--role", role, "--network", "10.0.0.0/8", "--network", "2001:db8::/32", "--password-stdin"], input: password + "\n")
        try run(["users", "create", "dis", "--role", role, "--password-stdin"], input: password + "\n")
        try run(["users", "update", "dis", "--disable"])
        try run(["users", "create", "old", "--role", role, "--password-stdin"], input: password + "\n")
        try run(["users", "update", "old", "--set", "sftpidp:ExpiresAt=2020-01-01"])
        try run(["users", "create", "srv", "--role", role, "--allowed-server-id", "s-0fedcba9876543210", "--password-stdin"], input: password + "\n")
        // The CLI refuses to save a user without a Role, but other tools write such secrets: write it directly.
        try run(["users", "create", "norole", "--role", role, "--password-stdin"], input: password + "\n")
        try await stripRole(of: "SFTP/norole", in: sandbox)
        try run(["users", "create", "legacy", "--role", role])
        // sftpidp never writes a plain-text password (`--set Password=` is refused); the originals did: write it directly.
        try await rewrite("SFTP/legacy", in: sandbox) { $0["Password"] = "plain old" }
        return sandbox
    }

    /// Rewrites a secret without its `Role` through the embedded store API, as another tool would.
    static func stripRole(of name: String, in sandbox: Sandbox) async throws {
        try await rewrite(name, in: sandbox) { $0["Role"] = nil }
    }

    static func testLogin(_ sandbox: Sandbox, user: String, password: String? = Self.password, extra: [String] = []) throws -> (result: CommandResult, report: [String: Any]) {
        var arguments = ["test-login", "--server-id", serverID, "--user-name", user] + extra
        if password != nil { arguments.append("--password-stdin") }
        let result = try sandbox.run(arguments, input: password.map { $0 + "\n" })
        let report = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (result, report)
    }

    @Test func allowedPrintsTheManagedServiceShape() async throws {
        let sandbox = try await Self.populated()
        let (result, report) = try Self.testLogin(sandbox, user: "jess", extra: ["--source-ip", "192.0.2.1"])
        #expect(result.status == 0, "\(result)")
        #expect(report["StatusCode"] as? Int == 200)
        #expect(report["Message"] as? String == "")
        #expect(report["Url"] as? String == "sftpidp://local/servers/\(Self.serverID)/users/jess/config?protocol=SFTP&sourceIp=192.0.2.1")
        let responseText = try #require(report["Response"] as? String)
        let response = try #require(try JSONSerialization.jsonObject(with: Data(responseText.utf8)) as? [String: Any])
        #expect(response["Role"] as? String == Self.role)
        #expect(response["HomeDirectory"] as? String == "/bucket/home/jess")
        #expect(response["PublicKeys"] == nil)
        #expect(!result.stdout.contains(Self.password) && !result.stderr.contains(Self.password))
        // The key order is the managed service's.
        #expect(result.stdout.hasPrefix("{\n    \"Response\": \"{"), "\(result)")
        #expect(result.stdout.contains("\",\n    \"StatusCode\": 200,\n    \"Message\": \"\",\n    \"Url\": \"sftpidp://"), "\(result)")
    }

    @Test(arguments: [
        ("jess", "wrong password", [String](), "access denied: password does not match"),
        ("nobody", Self.password, [], "access denied: no secret SFTP/nobody"),
        ("net", Self.password, ["--source-ip", "203.0.113.9"], "access denied: source IP 203.0.113.9 is not in 10.0.0.0/8, 2001:db8::/32"),
        ("dis", Self.password, [], "access denied: user is disabled"),
        ("old", Self.password, [], "access denied: user expired on 2020-01-01"),
        ("srv", Self.password, [], "access denied: server s-0123456789abcdef0 is not allowed for this user"),
        ("norole", Self.password, [], "access denied: user has no Role"),
        ("jess", Self.password, ["--server-protocol", "FTP", "--source-ip", "192.0.2.1"], ""),
    ])
    func messages(user: String, password: String, extra: [String], message: String) async throws {
        let sandbox = try await Self.populated()
        let (result, report) = try Self.testLogin(sandbox, user: user, password: password, extra: extra)
        #expect(report["StatusCode"] as? Int == 200, "\(result)")
        #expect(report["Message"] as? String == message)
        if message.isEmpty {
            #expect(result.status == 0)
        } else {
            #expect(result.status == 1)
            #expect(report["Response"] as? String == "{}")
        }
        #expect(!result.stdout.contains(password) && !result.stderr.contains(password))
    }

    @Test func ftpWithoutPasswordAndKeyAuthentication() async throws {
        let sandbox = try await Self.populated()
        let ftp = try Self.testLogin(sandbox, user: "jess", password: nil, extra: ["--server-protocol", "FTP"])
        #expect(ftp.result.status == 1)
        #expect(ftp.report["Message"] as? String == "access denied: FTP logins need a password: there is no key authentication over FTP")

        let noKeys = try Self.testLogin(sandbox, user: "jess", password: nil)
        #expect(noKeys.report["Message"] as? String == "access denied: user has no public keys for SFTP")

        let keyPath = sandbox.path("id_ed25519")
        try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "kim@laptop", "-f", keyPath])
        let fingerprintLine = try sandbox.runTool("ssh-keygen", ["-lf", keyPath + ".pub"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let created = try sandbox.run(["users", "create", "kim", "--role", Self.role, "--public-key-file", keyPath + ".pub"])
        #expect(created.status == 0, "\(created)")
        let keyLogin = try Self.testLogin(sandbox, user: "kim", password: nil, extra: ["--explain"])
        #expect(keyLogin.result.status == 0, "\(keyLogin.result)")
        let response = try #require(try JSONSerialization.jsonObject(with: Data((keyLogin.report["Response"] as? String ?? "").utf8)) as? [String: Any])
        let keyLine = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(response["PublicKeys"] as? [String] == [keyLine])
        #expect(keyLogin.result.stderr.contains(fingerprintLine), "\(keyLogin.result)")
    }

    @Test func legacyPasswordAndExplain() async throws {
        let sandbox = try await Self.populated()
        let (result, _) = try Self.testLogin(sandbox, user: "legacy", password: "plain old", extra: ["--explain"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("allowed: allowed by password"))
        #expect(result.stderr.contains("[passed] password: legacy plain-text password matches"))
        #expect(result.stderr.contains("time: "))

        let json = try Self.testLogin(sandbox, user: "jess", password: "nope", extra: ["--explain", "--json"])
        #expect(json.result.stdout.split(separator: "\n").count == 1)
        #expect(json.result.stderr.isEmpty)
        let explanation = try #require(json.report["Explanation"] as? [String: Any])
        #expect(explanation["Allowed"] as? Bool == false)
        #expect(explanation["Reason"] as? String == "password does not match")
        let checks = try #require(explanation["Checks"] as? [[String: Any]])
        #expect(checks.last?["name"] as? String == "password")
        #expect(checks.last?["outcome"] as? String == "failed")
    }

    /// A hash imported from argon2-cffi (its default m=65536,t=3,p=4) costs more than the sandbox's SFTPIDP_ARGON2:
    /// refused, saying why and what to do, until SFTPIDP_ARGON2 is raised to its cost.
    @Test func hashCostlierThanConfiguredIsRefusedUntilTheSettingIsRaised() async throws {
        let sandbox = try await Self.populated()
        let hashed = try sandbox.runTool("python3", ["-c", "import sys, argon2; print(argon2.PasswordHasher().hash(sys.stdin.read()))"], input: Self.password)
        #expect(hashed.status == 0, "argon2-cffi failed: exit \(hashed.status)")
        let hash = hashed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(hash.hasPrefix("$argon2id$v=19$m=65536,t=3,p=4$"), "argon2-cffi's defaults changed")
        try sandbox.run(["users", "create", "imported", "--role", Self.role]).check("users create imported")
        try await rewrite("SFTP/imported", in: sandbox) { $0["PasswordHash"] = hash }

        let refused = try Self.testLogin(sandbox, user: "imported", extra: ["--explain"])
        #expect(refused.result.status == 1)
        #expect(refused.report["Message"] as? String == "access denied: the stored password cannot be checked: the argon2 hash (m=65536,t=3,p=4) "
            + "costs more than the configured m=256,t=1,p=1: set a new password, or raise SFTPIDP_ARGON2 (the config's argon2) to at least m=65536,t=3")
        #expect(!refused.result.stdout.contains(hash) && !refused.result.stderr.contains(hash))

        let shown = try sandbox.run(["users", "show", "imported"])
        #expect(shown.stdout.contains("argon2id (m=65536,t=3,p=4): costs more than the configured m=256,t=1,p=1, so logins refuse it"), "\(shown)")
        #expect(!shown.stdout.contains(hash))

        let raised = try sandbox.run(["test-login", "--server-id", Self.serverID, "--user-name", "imported", "--password-stdin"],
                                     input: Self.password + "\n", environment: ["SFTPIDP_ARGON2": "m=65536,t=3,p=4"])
        #expect(raised.status == 0, "\(raised)")
        let badSetting = try sandbox.run(["test-login", "--server-id", Self.serverID, "--user-name", "imported", "--password-stdin"],
                                         input: Self.password + "\n", environment: ["SFTPIDP_ARGON2": "m=64MiB"])
        #expect(badSetting.status != 0)
        #expect(badSetting.stderr.contains("SFTPIDP_ARGON2 (or the config's argon2) \"m=64MiB\": argon2 setting: must be m=KiB,t=ITERATIONS,p=LANES with whole numbers"), "\(badSetting)")
    }

    @Test func storeFailureIsStatus500() async throws {
        let sandbox = try await Self.populated()
        let (result, report) = try Self.testLogin(sandbox, user: "jess", extra: ["--store", sandbox.path("missing/secrets.db")])
        #expect(result.status == 1)
        #expect(report["StatusCode"] as? Int == 500, "\(result)")
        #expect((report["Message"] as? String)?.hasPrefix("the secret store could not be read: ") == true)
        #expect(report["Response"] as? String == "")
    }

    @Test func usageErrorsExitWith2() async throws {
        let sandbox = try Sandbox()
        let both = try sandbox.run(["test-login", "--server-id", Self.serverID, "--user-name", "jess", "--user-password", "x", "--password-stdin"], input: "x\n")
        #expect(both.status == 2, "\(both)")
        #expect(both.stderr.contains("give either --user-password or --password-stdin, not both"))
        let badProtocol = try sandbox.run(["test-login", "--server-id", Self.serverID, "--user-name", "jess", "--server-protocol", "SCP"])
        #expect(badProtocol.status == 2)
        #expect(badProtocol.stderr.contains("--server-protocol must be SFTP, FTP or FTPS"))
        let noServer = try sandbox.run(["test-login", "--user-name", "jess"])
        #expect(noServer.status == 2, "\(noServer)")
        #expect(noServer.stderr.contains("--server-id is required"))
    }
}

import EmbeddedStore
import Foundation
import IdentityModel
import SecretStore
import Testing

/// `sftpidp serve` keeps every user it answered for prepared until anything in the embedded store changes
/// (docs/identity-provider.md, "Prepared users"). Each test warms that cache with logins, changes the store from
/// ANOTHER process (the CLI, a long-lived writer with the store open, `sqlite3`), and checks that the very next
/// login answers from the new state: never a stale answer.
@Suite struct ServeCacheEndToEndTests {
    static let serverID = "s-0123456789abcdef0"
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"

    /// A sandbox with the key user `kim` (one ed25519 key) and a running `serve` without authentication.
    struct Running {
        let sandbox: Sandbox
        let server: ServeProcess
        /// `kim`'s key line and a second key line, both from ssh-keygen.
        let firstKey: String
        let secondKey: String

        init() throws {
            sandbox = try Sandbox()
            firstKey = try Self.newKey(sandbox, name: "first")
            secondKey = try Self.newKey(sandbox, name: "second")
            try Self.check(sandbox, ["users", "create", "kim", "--role", ServeCacheEndToEndTests.role, "--home", "/bucket/kim", "--public-key", firstKey])
            server = try ServeProcess(sandbox: sandbox, arguments: ["--insecure-no-auth"])
        }

        static func newKey(_ sandbox: Sandbox, name: String) throws -> String {
            let result = try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "\(name)@cache", "-f", sandbox.path(name)])
            guard result.status == 0 else { throw SandboxError("ssh-keygen failed: \(result)") }
            return try String(contentsOfFile: sandbox.path(name + ".pub"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        static func check(_ sandbox: Sandbox, _ arguments: [String], input: String? = nil) throws {
            let result = try sandbox.run(arguments, input: input)
            guard result.status == 0 else { throw SandboxError("`sftpidp \(arguments.joined(separator: " "))` failed: \(result)") }
        }

        /// Runs the CLI as a separate process against the same store.
        func cli(_ arguments: [String], input: String? = nil) throws {
            try Self.check(sandbox, arguments, input: input)
        }

        /// One key login for `user` through the running server.
        func keyLogin(_ user: String = "kim") throws -> CurlResult {
            try sandbox.curl(["\(server.baseURL)/servers/\(ServeCacheEndToEndTests.serverID)/users/\(user)/config?protocol=SFTP&sourceIp=192.0.2.1"])
        }

        /// Logs in twice, so the second answer comes from what the server kept.
        func warmedKeyLogin(_ user: String = "kim") throws -> CurlResult {
            _ = try keyLogin(user)
            return try keyLogin(user)
        }
    }

    @Test func anEditThroughTheCLIIsSeenByTheNextLogin() throws {
        let running = try Running()
        #expect(try running.warmedKeyLogin().object["HomeDirectory"] as? String == "/bucket/kim")
        try running.cli(["users", "update", "kim", "--home", "/bucket/moved"])
        let after = try running.keyLogin()
        #expect(after.object["HomeDirectory"] as? String == "/bucket/moved", "\(after)")
        // And the one after that (now kept under the new state) too.
        #expect(try running.keyLogin().object["HomeDirectory"] as? String == "/bucket/moved")
        #expect(running.server.stop() == 0)
    }

    @Test func aDeletedUserIsDeniedAtOnceAndARestoredOneComesBack() throws {
        let running = try Running()
        #expect(try running.warmedKeyLogin().object["Role"] as? String == Self.role)
        try running.cli(["users", "delete", "kim"])
        let deleted = try running.keyLogin()
        #expect(deleted.status == 200 && deleted.body == "{}", "\(deleted)")
        #expect(try running.keyLogin().body == "{}")
        try running.cli(["users", "restore", "kim"])
        #expect(try running.keyLogin().object["Role"] as? String == Self.role)
        try running.cli(["users", "delete", "kim", "--force-delete-without-recovery"])
        #expect(try running.keyLogin().body == "{}")
        #expect(running.server.stop() == 0)
    }

    @Test func aChangedKeyIsReturnedAndTheOldOneNoLonger() throws {
        let running = try Running()
        #expect(try running.warmedKeyLogin().object["PublicKeys"] as? [String] == [running.firstKey])
        try running.cli(["users", "update", "kim", "--public-key", running.secondKey])
        let changed = try running.keyLogin()
        #expect(changed.object["PublicKeys"] as? [String] == [running.secondKey], "\(changed)")
        try running.cli(["users", "update", "kim", "--add-public-key", running.firstKey])
        #expect(Set(try running.keyLogin().object["PublicKeys"] as? [String] ?? []) == [running.firstKey, running.secondKey])
        #expect(running.server.stop() == 0)
    }

    @Test func disablingAndEnablingTakeEffectOnTheNextLogin() throws {
        let running = try Running()
        #expect(try running.warmedKeyLogin().object["Role"] as? String == Self.role)
        try running.cli(["users", "update", "kim", "--disable"])
        #expect(try running.keyLogin().body == "{}")
        try running.cli(["users", "update", "kim", "--enable"])
        #expect(try running.keyLogin().object["Role"] as? String == Self.role)
        #expect(running.server.stop() == 0)
    }

    /// Nothing is written when the expiry date passes: the kept user must still be checked against the clock.
    @Test func anExpiryDatePassingWithoutAnyWriteDeniesTheNextLogin() throws {
        let running = try Running()
        let expiry = Date().addingTimeInterval(3).timeIntervalSince1970.rounded(.up)
        let expiryText = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: expiry))
        try running.cli(["users", "update", "kim", "--expires-at", expiryText])
        let before = try running.warmedKeyLogin()
        // On a very slow machine the date may already have passed: then there is nothing to see before it.
        if Date().timeIntervalSince1970 < expiry - 0.5 {
            #expect(before.object["Role"] as? String == Self.role, "\(before)")
        }
        while Date().timeIntervalSince1970 <= expiry + 0.2 {
            Thread.sleep(forTimeInterval: 0.2)
        }
        let after = try running.keyLogin()
        #expect(after.status == 200 && after.body == "{}", "\(after)")
        #expect(running.server.stop() == 0)
        #expect(running.server.log.contains("user expired on"), "\(running.server.log)")
    }

    /// A second long-lived writer (like the console) with the store open in this test process, and a second server
    /// over the same store: every write is seen by both servers' next logins.
    @Test func aLongLivedWriterAndTwoServersStayInStep() async throws {
        let running = try Running()
        let second = try ServeProcess(sandbox: running.sandbox, arguments: ["--insecure-no-auth"])
        let location = EmbeddedStoreLocation.resolve(storePath: nil, environment: running.sandbox.environment)
        let store = try EmbeddedSecretStore.open(databasePath: location.databasePath, keyPath: location.keyPath, createIfMissing: false)
        defer { try? store.close() }
        func secondLogin() throws -> CurlResult {
            try running.sandbox.curl(["\(second.baseURL)/servers/\(Self.serverID)/users/kim/config?protocol=SFTP&sourceIp=192.0.2.1"])
        }
        _ = try running.warmedKeyLogin()
        _ = try secondLogin()
        for round in 1...5 {
            let current = try await store.getSecret(name: "SFTP/kim", version: .current)
            var secret = try UserSecret(secretString: current.string)
            secret[SecretKey.homeDirectory] = .string("/bucket/round\(round)")
            _ = try await store.putSecret(name: "SFTP/kim", value: secret.secretString, replacing: current.versionID,
                                          context: WriteContext(action: "test.update", actor: "e2e"))
            let first = try running.keyLogin(), other = try secondLogin()
            #expect(first.object["HomeDirectory"] as? String == "/bucket/round\(round)", "round \(round): \(first)")
            #expect(other.object["HomeDirectory"] as? String == "/bucket/round\(round)", "round \(round): \(other)")
        }
        #expect(second.stop() == 0)
        #expect(running.server.stop() == 0)
    }

    /// Someone with write access to the file but not the key moves AWSCURRENT back to an old version with the
    /// real `sqlite3`: the kept user must not hide it, and the changed rows go through the store's checks.
    @Test func aTamperedRowIsCaughtByTheNextLogin() throws {
        let running = try Running()
        try running.cli(["users", "update", "kim", "--home", "/bucket/second"])
        #expect(try running.warmedKeyLogin().object["HomeDirectory"] as? String == "/bucket/second")
        let database = EmbeddedStoreLocation.resolve(storePath: nil, environment: running.sandbox.environment).databasePath
        let tampered = try running.sandbox.runTool("sqlite3", [database, """
            UPDATE stages SET version_seq = (SELECT min(seq) FROM versions WHERE secret_id = stages.secret_id)
            WHERE label = 'AWSCURRENT' AND secret_id = (SELECT id FROM secrets WHERE name = 'SFTP/kim');
            """])
        #expect(tampered.status == 0, "\(tampered)")
        let after = try running.keyLogin()
        // The stage labels no longer match their code: a store failure (500), never the old or the kept answer.
        #expect(after.status == 500, "\(after)")
        #expect(!after.body.contains("Role"))
        #expect(running.server.stop() == 0)
        #expect(running.server.log.contains("the stage labels of secret SFTP/kim"), "\(running.server.log)")
    }
}

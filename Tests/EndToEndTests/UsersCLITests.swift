import Foundation
import SecretStore
import Testing

/// `sftpidp users ...` and `sftpidp store ...` through the real binary, on a temporary store.
@Suite struct UsersCLITests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"

    @Test func createListShowNeverRevealsThePassword() throws {
        let sandbox = try Sandbox()
        let password = "correct horse battery staple"
        let created = try sandbox.run(["users", "create", "jess", "--role", Self.role, "--home", "/bucket/home/jess", "--password-stdin"], input: password + "\n")
        #expect(created.status == 0, "\(created)")

        let list = try sandbox.run(["users", "list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("jess"))
        #expect(list.stdout.contains("argon2id"))
        #expect(list.stdout.contains("AWSTransferAccessRole"))
        #expect(list.stdout.contains("/bucket/home/jess"))

        let show = try sandbox.run(["users", "show", "jess"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("argon2id"))
        let json = try sandbox.run(["users", "show", "jess", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["role"] as? String == Self.role)
        #expect(object["password"] as? String == "argon2id")
        for output in [created, list, show, json] {
            #expect(!output.stdout.contains(password) && !output.stderr.contains(password))
            #expect(!output.stdout.contains("$argon2id$") && !output.stderr.contains("$argon2id$"))
        }
    }

    @Test func listJSONIsStable() throws {
        let sandbox = try Sandbox()
        try sandbox.run(["users", "create", "bob", "--role", Self.role, "--home-mapping", "/=/bucket/bob", "--home-mapping", "/shared=/bucket/shared"])
        let list = try sandbox.run(["users", "list", "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(Set(entries[0].keys) == ["username", "password", "publicKeys", "role", "home", "flags", "problems"])
        #expect(entries[0]["home"] as? String == "logical: 2 entries")
    }

    @Test func generatedPasswordIsPrintedOnceOnStandardOutput() throws {
        let sandbox = try Sandbox()
        let created = try sandbox.run(["users", "create", "gen_user", "--role", Self.role, "--generate-password", "--password-length", "32"])
        #expect(created.status == 0, "\(created)")
        let generated = created.stdout.trimmingCharacters(in: .newlines)
        #expect(generated.count == 32)
        #expect(created.stderr.contains("shown only once"))
        let show = try sandbox.run(["users", "show", "gen_user", "--json"])
        #expect(!show.stdout.contains(generated))
    }

    @Test func keysFromSSHKeygenShowTheSameFingerprint() throws {
        let sandbox = try Sandbox()
        let keyPath = sandbox.path("id_ed25519")
        try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "jess@laptop", "-f", keyPath])
        let expected = try sandbox.runTool("ssh-keygen", ["-lf", keyPath + ".pub"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let fingerprint = try #require(expected.split(separator: " ").dropFirst().first.map(String.init))

        let created = try sandbox.run(["users", "create", "jess", "--role", Self.role, "--public-key-file", keyPath + ".pub"])
        #expect(created.status == 0, "\(created)")
        let show = try sandbox.run(["users", "show", "jess"])
        #expect(show.stdout.contains(fingerprint))
        #expect(show.stdout.contains("jess@laptop"))

        let removed = try sandbox.run(["users", "update", "jess", "--remove-public-key", fingerprint])
        #expect(removed.status == 0, "\(removed)")
        #expect(!(try sandbox.run(["users", "show", "jess"]).stdout.contains(fingerprint)))
    }

    @Test func aPastedPrivateKeyIsRefusedWithAMessageThatSaysSo() throws {
        let sandbox = try Sandbox()
        let keyPath = sandbox.path("id_rsa")
        try sandbox.runTool("ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", keyPath])
        let result = try sandbox.run(["users", "create", "jess", "--role", Self.role, "--public-key-file", keyPath])
        #expect(result.status == 1)
        #expect(result.stderr.lowercased().contains("private key"))
        #expect(!(try sandbox.run(["users", "list"]).stdout.contains("jess")))
    }

    @Test func badInputNamesTheFieldAndWritesNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.run(["users", "create", "jess", "--role", Self.role, "--home", "/bucket/jess"])
        let before = try sandbox.run(["users", "history", "jess", "--json"]).stdout

        let badRole = try sandbox.run(["users", "update", "jess", "--role", "not-an-arn"])
        #expect(badRole.status == 1)
        #expect(badRole.stderr.contains("Role"))
        let badHome = try sandbox.run(["users", "update", "jess", "--home", "bucket/no-slash"])
        #expect(badHome.status == 1)
        #expect(badHome.stderr.contains("HomeDirectory"))
        let badNetwork = try sandbox.run(["users", "update", "jess", "--network", "10.0.0.0/33"])
        #expect(badNetwork.status == 1)
        #expect(badNetwork.stderr.contains("AcceptedIpNetwork"))
        let badPosix = try sandbox.run(["users", "update", "jess", "--posix", "1000:abc"])
        #expect(badPosix.status == 1)
        #expect(badPosix.stderr.contains("PosixProfile"))
        let badKey = try sandbox.run(["users", "update", "jess", "--add-public-key", "ssh-ed25519 AAAA!!!notbase64"])
        #expect(badKey.status == 1)
        #expect(badKey.stderr.contains("PublicKey"))

        #expect(try sandbox.run(["users", "history", "jess", "--json"]).stdout == before)

        let badName = try sandbox.run(["users", "create", "-x", "--role", Self.role])
        #expect(badName.status == 2)
        let root = try sandbox.run(["users", "create", "root", "--role", Self.role])
        #expect(root.status == 2)
        #expect(root.stderr.contains("root"))
        let noRole = try sandbox.run(["users", "create", "newuser"])
        #expect(noRole.status == 2)
        #expect(noRole.stderr.contains("--role"))
        let exists = try sandbox.run(["users", "create", "jess", "--role", Self.role])
        #expect(exists.status == 1)
    }

    @Test func updatesKeepKeysOtherToolsWrote() throws {
        let sandbox = try Sandbox()
        try sandbox.run(["users", "create", "jess", "--role", Self.role])
        let setOther = try sandbox.run(["users", "update", "jess", "--set", "CostCentre=42", "--set", "FTPRole=arn:aws:iam::012345678901:role/FtpRole"])
        #expect(setOther.status == 0, "\(setOther)")
        let changed = try sandbox.run(["users", "update", "jess", "--role", "arn:aws:iam::012345678901:role/Other", "--comment", "moved team"])
        #expect(changed.status == 0, "\(changed)")
        let show = try #require(try JSONSerialization.jsonObject(with: Data(try sandbox.run(["users", "show", "jess", "--json"]).stdout.utf8)) as? [String: Any])
        #expect((show["otherKeys"] as? [String: String])?["CostCentre"] == "42")
        #expect((show["protocolOverrides"] as? [String: [String]])?["FTP"] == ["Role"])
        #expect(show["comment"] as? String == "moved team")
        let unset = try sandbox.run(["users", "update", "jess", "--unset", "CostCentre"])
        #expect(unset.status == 0)
        let after = try #require(try JSONSerialization.jsonObject(with: Data(try sandbox.run(["users", "show", "jess", "--json"]).stdout.utf8)) as? [String: Any])
        #expect((after["otherKeys"] as? [String: String])?["CostCentre"] == nil)
    }

    @Test func deleteRestoreHistoryAndRollback() throws {
        let sandbox = try Sandbox()
        try sandbox.run(["users", "create", "jess", "--role", Self.role])
        try sandbox.run(["users", "update", "jess", "--home", "/bucket/v2"])
        let history = try sandbox.run(["users", "history", "jess", "--json"])
        let versions = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(versions.count == 2)
        #expect(versions[0]["changedKeys"] as? [String] == ["HomeDirectory"])

        let rollback = try sandbox.run(["users", "rollback", "jess"])
        #expect(rollback.status == 0, "\(rollback)")
        #expect(!(try sandbox.run(["users", "show", "jess"]).stdout.contains("/bucket/v2")))

        let deleted = try sandbox.run(["users", "delete", "jess"])
        #expect(deleted.status == 0, "\(deleted)")
        #expect(!(try sandbox.run(["users", "list"]).stdout.contains("jess")))
        #expect(try sandbox.run(["users", "list", "--include-deleted"]).stdout.contains("deleted"))
        #expect(try sandbox.run(["users", "show", "jess"]).status == 1)
        let restored = try sandbox.run(["users", "restore", "jess"])
        #expect(restored.status == 0, "\(restored)")
        #expect(try sandbox.run(["users", "list"]).stdout.contains("jess"))

        let gone = try sandbox.run(["users", "delete", "jess", "--force-delete-without-recovery"])
        #expect(gone.status == 0)
        #expect(try sandbox.run(["users", "restore", "jess"]).status == 1)
    }

    /// On the embedded store, `users list` keeps its listing cache in ~/.cache/sftpidp: every change made by another
    /// `sftpidp` process (a role, a key, disabled, an expiry date, deleted, rolled back) shows in the next listing,
    /// and a deleted cache is rebuilt.
    @Test func embeddedListingCacheNeverHidesAChange() throws {
        let sandbox = try Sandbox()
        for user in ["amy", "ben", "cat", "dan", "eve"] {
            try sandbox.run(["users", "create", user, "--role", Self.role, "--home", "/bucket/\(user)"])
        }
        let first = try sandbox.run(["users", "list"])
        #expect(first.status == 0 && first.stdout.contains("AWSTransferAccessRole"), "\(first)")
        let cacheDirectory = sandbox.path(".cache/sftpidp")
        let cacheFiles = { try FileManager.default.contentsOfDirectory(atPath: cacheDirectory).filter { $0.hasSuffix(".cache") } }
        #expect(try cacheFiles().count == 1)

        try sandbox.run(["users", "update", "amy", "--role", "arn:aws:iam::012345678901:role/Moved"])
        try sandbox.run(["users", "update", "ben", "--disable"])
        try sandbox.run(["users", "update", "cat", "--expires-at", "2001-01-01"])
        try sandbox.run(["users", "update", "dan", "--add-public-key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"])
        try sandbox.run(["users", "delete", "eve"])
        let changed = try sandbox.run(["users", "list"])
        let lines = changed.stdout.split(separator: "\n")
        func line(_ user: String) -> String { lines.first { $0.hasPrefix(user + " ") }.map(String.init) ?? "" }
        #expect(line("amy").contains("Moved"), "\(changed)")
        #expect(line("ben").contains("disabled"), "\(changed)")
        #expect(line("cat").contains("expired"), "\(changed)")
        #expect(line("dan").contains("1 key"), "\(changed)")
        #expect(line("eve").isEmpty, "\(changed)")
        #expect(changed.stdout == (try sandbox.run(["users", "list", "--no-cache"])).stdout)

        try sandbox.run(["users", "rollback", "amy"])
        #expect(try sandbox.run(["users", "list"]).stdout.split(separator: "\n").first { $0.hasPrefix("amy ") }?.contains("AWSTransferAccessRole") == true)

        try FileManager.default.removeItem(atPath: cacheDirectory)
        let rebuilt = try sandbox.run(["users", "list"])
        #expect(rebuilt.status == 0 && rebuilt.stderr.isEmpty, "\(rebuilt)")
        #expect(try cacheFiles().count == 1)
        #expect(rebuilt.stdout == (try sandbox.run(["users", "list", "--no-cache"])).stdout)
    }

    @Test func auditTrailNamesChangedKeysButNoValues() throws {
        let sandbox = try Sandbox()
        let password = "audit-me-not-4711"
        try sandbox.run(["users", "create", "jess", "--role", Self.role, "--password-stdin"], input: password)
        try sandbox.run(["users", "update", "jess", "--home", "/bucket/jess"], environment: ["SSH_CLIENT": "198.51.100.7 50000 22"])
        let audit = try sandbox.run(["audit"])
        #expect(audit.status == 0, "\(audit)")
        #expect(audit.stdout.contains("users.create"))
        // The actor is the account of the process's user id; the sandbox's USER=e2e-admin is not believed.
        #expect(audit.stdout.contains("\(WriterIdentity.processAccount)@198.51.100.7"))
        #expect(!audit.stdout.contains("e2e-admin"))
        #expect(audit.stdout.contains("HomeDirectory"))
        #expect(!audit.stdout.contains(password))
        #expect(!audit.stdout.contains("/bucket/jess"))
        #expect(!audit.stdout.contains("$argon2id$"))
    }

    @Test func storeInitAndCheck() throws {
        let sandbox = try Sandbox()
        let initialised = try sandbox.run(["store", "init"])
        #expect(initialised.status == 0, "\(initialised)")
        #expect(initialised.stdout.contains(sandbox.path("data/sftpidp/secrets.db")))
        #expect(initialised.stdout.contains(sandbox.path("config/sftpidp/master.key")))
        try sandbox.run(["users", "create", "jess", "--role", Self.role])
        let check = try sandbox.run(["store", "check"])
        #expect(check.status == 0, "\(check)")

        let keyPath = sandbox.path("config/sftpidp/master.key")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyPath)
        let refused = try sandbox.run(["users", "list"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("chmod 600"))
    }

    @Test func usageErrorsExitWithTwo() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.run(["users", "frobnicate"]).status == 2)
        #expect(try sandbox.run(["users", "update", "jess"]).status == 2)
        #expect(try sandbox.run(["users", "delete", "jess", "--recovery-window-days", "3"]).status == 2)
        #expect(try sandbox.run(["users", "list", "--help"]).status == 0)
    }
}

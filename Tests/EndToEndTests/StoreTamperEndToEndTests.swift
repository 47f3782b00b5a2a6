import EmbeddedStore
import Foundation
import Testing

/// Someone with write access to the store file but not to the master key edits it with the real `sqlite3`; the real
/// `sftpidp` binary must neither let the old password back in nor keep quiet about it in `store check`.
@Suite struct StoreTamperEndToEndTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
    static let oldPassword = "old horse battery"
    static let newPassword = "new staple correct"

    /// A sandbox where `jess` changed her password once and `gone` is scheduled for deletion.
    static func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        func run(_ arguments: [String], input: String? = nil) throws {
            let result = try sandbox.run(arguments, input: input)
            guard result.status == 0 else { throw SandboxError("setup `sftpidp \(arguments.joined(separator: " "))` failed: \(result)") }
        }
        try run(["users", "create", "jess", "--role", role, "--password-stdin"], input: oldPassword + "\n")
        try run(["users", "update", "jess", "--password-stdin"], input: newPassword + "\n")
        try run(["users", "create", "gone", "--role", role, "--password-stdin"], input: oldPassword + "\n")
        try run(["users", "delete", "gone"])
        return sandbox
    }

    static func login(_ sandbox: Sandbox, user: String, password: String) throws -> (result: CommandResult, response: String) {
        let result = try sandbox.run(["test-login", "--server-id", "s-0123456789abcdef0", "--user-name", user, "--password-stdin"], input: password + "\n")
        let report = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (result, report["Response"] as? String ?? "")
    }

    static func sqlite(_ sandbox: Sandbox, _ sql: String) throws {
        let database = EmbeddedStoreLocation.resolve(storePath: nil, environment: sandbox.environment).databasePath
        let result = try sandbox.runTool("sqlite3", [database, sql])
        guard result.status == 0 else { throw SandboxError("sqlite3 failed: \(result)") }
    }

    @Test func currentStagePointedAtTheOldPasswordIsRefusedAndReported() throws {
        let sandbox = try Self.sandbox()
        #expect(try Self.login(sandbox, user: "jess", password: Self.oldPassword).response == "{}")
        #expect(try Self.login(sandbox, user: "jess", password: Self.newPassword).response.contains(Self.role))
        #expect(try sandbox.run(["store", "check"]).status == 0)

        // AWSCURRENT moved to the oldest version of SFTP/jess: the version that holds the old password.
        try Self.sqlite(sandbox, """
            UPDATE stages SET version_seq = (SELECT min(seq) FROM versions WHERE secret_id = stages.secret_id)
            WHERE label = 'AWSCURRENT' AND secret_id = (SELECT id FROM secrets WHERE name = 'SFTP/jess');
            """)
        let old = try Self.login(sandbox, user: "jess", password: Self.oldPassword)
        #expect(!old.response.contains("Role"), "the old password let jess in after the rollback: \(old.result)")
        // A tampered secret is a store failure (status 500, the message says why), not an ordinary denial.
        #expect(old.result.stdout.contains(#""StatusCode": 500"#), "\(old.result)")
        #expect(old.result.stdout.contains("the stage labels of secret SFTP/jess"), "\(old.result)")
        #expect(!old.result.stdout.contains(Self.oldPassword) && !old.result.stderr.contains(Self.oldPassword))
        let check = try sandbox.run(["store", "check"])
        #expect(check.status == 1, "\(check)")
        #expect(check.stdout.contains("PROBLEM: the stage labels of secret SFTP/jess (which version is AWSCURRENT or AWSPREVIOUS"), "\(check)")
        #expect(!check.stdout.contains("SFTP/gone"), "\(check)")

        // The documented repair: force deletion removes the tampered secret; the user can then be created again.
        let removed = try sandbox.run(["users", "delete", "jess", "--force-delete-without-recovery"])
        #expect(removed.status == 0, "\(removed)")
        #expect(try sandbox.run(["users", "create", "jess", "--role", Self.role, "--password-stdin"], input: Self.newPassword + "\n").status == 0)
        #expect(try Self.login(sandbox, user: "jess", password: Self.newPassword).response.contains(Self.role))
        let repaired = try sandbox.run(["store", "check"])
        #expect(repaired.status == 0, "\(repaired)")
    }

    @Test func undoneDeletionIsRefusedAndReported() throws {
        let sandbox = try Self.sandbox()
        #expect(try Self.login(sandbox, user: "gone", password: Self.oldPassword).response == "{}")
        try Self.sqlite(sandbox, "UPDATE secrets SET deleted_at = NULL, purge_at = NULL WHERE name = 'SFTP/gone';")
        let login = try Self.login(sandbox, user: "gone", password: Self.oldPassword)
        #expect(!login.response.contains("Role"), "the deleted user logged in after the deletion was undone: \(login.result)")
        let check = try sandbox.run(["store", "check"])
        #expect(check.status == 1, "\(check)")
        #expect(check.stdout.contains("PROBLEM: the deletion state of secret SFTP/gone (deleted flag, deletion date, recovery window) does not match its MAC"), "\(check)")
        #expect(!check.stdout.contains("SFTP/jess "), "\(check)")
    }
}

import Foundation
import Testing

/// What a careless admin or a script with an empty variable does, on the real binary: each gets a clear refusal, or
/// exactly what was asked and nothing more.
@Suite("Careless admin")
struct CarelessAdminTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"

    @Test func aDryRunCopyIntoANewStoreCreatesNoFile() throws {
        let sandbox = try Sandbox()
        try sandbox.run(["users", "create", "jess", "--role", Self.role, "--home", "/bucket/jess"])
        try sandbox.run(["users", "create", "kim", "--role", Self.role, "--home", "/bucket/kim"])
        let destination = sandbox.path("new/copy.db")
        let dryRun = try sandbox.run(["store", "copy", "--from", "embedded", "--to", destination, "--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun)")
        #expect(dryRun.stdout.contains("would create 2"), "\(dryRun.stdout)")
        #expect(dryRun.stderr.contains("embedded \(destination) (dry run)"), "\(dryRun.stderr)")
        #expect(!FileManager.default.fileExists(atPath: destination), "a dry run wrote the destination store")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("new")))
        // The real copy then does what the dry run said.
        let copy = try sandbox.run(["store", "copy", "--from", "embedded", "--to", destination])
        #expect(copy.status == 0 && copy.stdout.contains("created 2"), "\(copy)")
        let again = try sandbox.run(["store", "copy", "--from", "embedded", "--to", destination, "--dry-run"])
        #expect(again.stdout.contains("would create 0, would update 0, unchanged 2"), "\(again.stdout)")
    }

    @Test func aRecoveryWindowAndNoRecoveryAtAllAreRefusedTogether() throws {
        let sandbox = try Sandbox()
        try sandbox.run(["users", "create", "jess", "--role", Self.role, "--home", "/bucket/jess"])
        let both = try sandbox.run(["users", "delete", "jess", "--recovery-window-days", "10", "--force-delete-without-recovery"])
        #expect(both.status != 0)
        #expect(both.stderr.contains("--recovery-window-days and --force-delete-without-recovery contradict each other"), "\(both.stderr)")
        #expect(try sandbox.run(["users", "show", "jess"]).status == 0, "the user is still there")
    }

    @Test func anEmptyPasswordIsNotTestedAsAKeyLogin() throws {
        let sandbox = try Sandbox()
        let key = sandbox.path("id")
        try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key])
        try sandbox.run(["users", "create", "jess", "--role", Self.role, "--home", "/bucket/jess", "--public-key-file", key + ".pub"])
        let login = try sandbox.run(["test-login", "--server-id", "s-0123456789abcdef0", "--user-name", "jess", "--user-password", ""])
        #expect(login.status != 0)
        #expect(login.stderr.contains("--user-password must not be empty (leave it out to test a key login)"), "\(login.stderr)")
        #expect(!login.stdout.contains("ALLOWED"))
    }
}

extension CarelessAdminTests {
    @Test func aMistypedStorePathIsRefusedNotCreatedEmpty() throws {
        let sandbox = try Sandbox()
        let typo = sandbox.path("typo.db")
        for arguments in [["users", "list"], ["users", "show", "jess"], ["users", "history", "jess"], ["users", "delete", "jess"]] {
            let result = try sandbox.run(arguments + ["--store", typo])
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains("there is no store at \(typo)"), "\(arguments): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: typo), "\(arguments) created the mistyped store")
        }
        // The default store is made on first use (no set-up), and `users create` makes a store wherever it is told.
        #expect(try sandbox.run(["users", "list"]).status == 0)
        let created = try sandbox.run(["users", "create", "jess", "--role", Self.role, "--home", "/bucket/jess", "--store", typo])
        #expect(created.status == 0, "\(created)")
        #expect(try sandbox.run(["users", "show", "jess", "--store", typo]).status == 0)
    }

    @Test func aUserWhoCannotLogInOrHasNoHomeIsPointedOut() throws {
        let sandbox = try Sandbox()
        let bare = try sandbox.run(["users", "create", "bob", "--role", Self.role])
        #expect(bare.status == 0, "\(bare)")
        #expect(bare.stderr.contains("Note: bob has no password and no public key: every login is denied until one is set"), "\(bare.stderr)")
        #expect(bare.stderr.contains("Note: bob has no home directory"), "\(bare.stderr)")
        let complete = try sandbox.run(["users", "create", "amy", "--role", Self.role, "--home", "/bucket/amy", "--generate-password"])
        #expect(complete.status == 0 && !complete.stderr.contains("Note:"), "\(complete.stderr)")
    }

    @Test func restoringAUserWhoIsNotDeletedSaysSo() throws {
        let sandbox = try Sandbox()
        try sandbox.run(["users", "create", "jess", "--role", Self.role, "--home", "/bucket/jess"])
        let restore = try sandbox.run(["users", "restore", "jess"])
        #expect(restore.status == 0)
        #expect(restore.stderr.contains("jess is not deleted: nothing to restore."), "\(restore.stderr)")
        try sandbox.run(["users", "delete", "jess"])
        #expect(try sandbox.run(["users", "restore", "jess"]).stderr.contains("Restored jess."))
    }

    @Test func testLoginWithoutAServerIdNamesTheOptionAndItsOwnUsage() throws {
        let sandbox = try Sandbox()
        let login = try sandbox.run(["test-login", "--user-name", "jess"])
        #expect(login.status == 2)
        #expect(login.stderr.contains("--server-id is required"), "\(login.stderr)")
        #expect(login.stderr.contains("Usage: sftpidp test-login"), "\(login.stderr)")
    }
}

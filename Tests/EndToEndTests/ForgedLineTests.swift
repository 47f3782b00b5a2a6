import EmbeddedStore
import Foundation
import SecretStore
import Testing

/// Attacks on what an administrator reads: anyone allowed to edit one user (or another tool writing the store)
/// tries to add lines of their own to the CLI's reports, a made-up audit entry, a user who does not exist, a second
/// status line. Every value stays on its line (docs/security.md, "No forged lines in the CLI's output").
@Suite("Forged lines")
struct ForgedLineTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
    static let fakeAuditEntry = "2026-12-03 03:40 UTC  alice  users.delete  SFTP/jess"

    @Test func aKeyNameCannotAddAnAuditEntry() throws {
        let sandbox = try Sandbox()
        try sandbox.run(["users", "create", "jess", "--role", Self.role, "--home", "/bucket/jess"])
        let update = try sandbox.run(["users", "update", "jess", "--set", "K]\n\(Self.fakeAuditEntry)  [x=1"])
        #expect(update.status == 0, "\(update)")
        for output in [try sandbox.run(["audit"]).stdout, try sandbox.run(["users", "history", "jess"]).stdout] {
            #expect(!output.split(separator: "\n").contains { $0.hasPrefix(Self.fakeAuditEntry) }, "\(output)")
            #expect(output.contains("K]\\u{A}\(Self.fakeAuditEntry)"), "the key name is shown, escaped, on its own entry's line: \(output)")
        }
        let show = try sandbox.run(["users", "show", "jess"]).stdout
        #expect(!show.split(separator: "\n").contains { $0.hasPrefix(Self.fakeAuditEntry) }, "\(show)")
    }

    @Test func aCommentCannotAddAStatusLine() throws {
        let sandbox = try Sandbox()
        try sandbox.run(["users", "create", "jess", "--role", Self.role, "--home", "/bucket/jess", "--comment", "ok\nStatus    disabled"])
        let show = try sandbox.run(["users", "show", "jess"])
        #expect(show.status == 0, "\(show)")
        #expect(show.stdout.split(separator: "\n").filter { $0.hasPrefix("Status") }.count == 1, "\(show.stdout)")
        #expect(show.stdout.contains("ok\\u{A}Status    disabled"))
    }

    @Test func aHomeWithALineBreakIsRefusedWhenWrittenAndShownOnOneLineWhenAnotherToolWroteIt() async throws {
        let sandbox = try Sandbox()
        let forged = "/b/x\nmallory   argon2id, 9 keys  Admin  /"
        let create = try sandbox.run(["users", "create", "jess", "--role", Self.role, "--home", forged])
        #expect(create.status != 0)
        #expect(create.stderr.contains("HomeDirectory: must not contain control characters"), "\(create)")
        let mapping = try sandbox.run(["users", "create", "jess", "--role", Self.role, "--home-mapping", "/=/b/\tx"])
        #expect(mapping.status != 0)
        #expect(mapping.stderr.contains("must not contain control characters"), "\(mapping)")

        // Written by another tool, past the CLI's rules.
        let location = EmbeddedStoreLocation.resolve(storePath: nil, environment: sandbox.environment)
        let store = try EmbeddedSecretStore.open(databasePath: location.databasePath, keyPath: location.keyPath, createIfMissing: true)
        let value = try JSONSerialization.data(withJSONObject: ["Role": Self.role, "HomeDirectory": forged])
        _ = try await store.createSecret(name: "SFTP/jess", value: String(decoding: value, as: UTF8.self),
                                         context: WriteContext(action: "other.tool", actor: "other"))
        try store.close()
        for arguments in [["users", "list"], ["users", "list", "--no-cache"], ["users", "show", "jess"]] {
            let listed = try sandbox.run(arguments)
            #expect(!listed.stdout.split(separator: "\n").contains { $0.hasPrefix("mallory") }, "\(arguments): \(listed.stdout)")
            #expect(listed.stdout.contains("\\u{A}mallory"), "\(arguments): \(listed.stdout)")
        }
        #expect(try sandbox.run(["users", "show", "jess"]).stdout.contains("HomeDirectory: must not contain control characters"))
    }

    @Test func aUserNameNoSecretCanHaveIsRefusedWithoutBeingEchoed() throws {
        let sandbox = try Sandbox()
        let huge = String(repeating: "a", count: 100_000)
        for name in ["x\ny", "jess\u{1B}[31m", huge, ""] {
            for command in [["users", "show"], ["users", "delete"], ["users", "restore"], ["users", "history"], ["users", "update"]] {
                let result = try sandbox.run(command + [name] + (command.last == "update" ? ["--comment", "c"] : []))
                #expect(result.status != 0, "\(command)")
                #expect(result.stderr.contains("user name: may only contain A-Z a-z 0-9 _ + = . @ -"), "\(command): \(result.stderr.prefix(300))")
                #expect(result.stderr.count < 1_000, "the name is not echoed")
                #expect(!result.stderr.contains("\u{1B}") && !result.stderr.contains("x\ny"))
            }
        }
    }
}

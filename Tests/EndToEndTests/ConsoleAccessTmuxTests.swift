import Foundation
import Testing

/// The console's access section through tmux on the real binary: role policies from `[role-policies]` in the
/// config file, shown with `a` in the detail pane, under an allowed answer in the test panel and at the onboarding
/// wizard's test step.
@Suite("Console access section in tmux", .serialized)
struct ConsoleAccessTmuxTests {
    static let role = ConsoleTmuxTests.role
    static let rolePolicy = """
    {"Version": "2012-10-17", "Statement": [
      {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket"},
      {"Sid": "Objects", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket/*"}
    ]}
    """

    /// The seeded users, and a config file naming the role's policy file.
    static func sandbox() throws -> Sandbox {
        let sandbox = try ConsoleTmuxTests.seededSandbox()
        let file = try sandbox.write(rolePolicy, to: "transfer-role.json")
        _ = try sandbox.write("""
            [role-policies]
            "\(role)" = ["\(file)"]
            "arn:aws:iam::012345678901:role/Partners" = ["\(sandbox.path("missing.json"))"]
            """, to: "config/sftpidp/config.toml")
        return sandbox
    }

    @Test("a explains the selected user in the detail pane; the test panel shows the section under an allowed answer")
    func accessSection() throws {
        let sandbox = try Self.sandbox()
        let session = try ConsoleTmuxTests.open(sandbox, columns: 130, rows: 50, waitFor: "jess")
        defer { session.close() }
        try session.waitFor("a access")
        try session.keys("a")
        // The section's title shows while the policies are read: wait for what it shows once they are.
        var screen = try session.waitFor("Policies    role:")
        #expect(screen.contains("what jess can do where") && screen.contains("transfer-role.json"), "\(screen)")
        #expect(screen.contains("  mkdir     allowed"), "\(screen)")
        screen = try session.waitFor("denied: ")
        #expect(screen.contains("/bucket/home/jess"), "\(screen)")

        try session.keys("t")
        try session.waitFor("Test a login")
        try session.type("jess-password-1")
        try session.keys("C-s")
        try session.waitFor("ALLOWED")
        screen = try session.waitFor("Directory             /bucket/home/jess")
        #expect(screen.contains("what jess can do where"), "\(screen)")
        #expect(screen.contains("download            allowed"), "\(screen)")
        #expect(!screen.contains("jess-password-1"))
        try session.keys("Escape")
        try session.waitForAbsence("Test a login")

        // lee's role names a file that is not there: said, and nothing decided on the role's side.
        try session.keys("End")
        try session.keys("a")
        screen = try session.waitFor("what lee can do where")
        screen = try session.waitFor("could not read")
        #expect(screen.contains("role policies unknown"), "\(screen)")
        #expect(!screen.contains("allowed"), "\(screen)")
        try session.keys("q")
    }

    /// The onboarding wizard's test step on the real binary: after the login test, the access section (here from
    /// `[role-policies]`) tells what the new user can do in the home the wizard suggested.
    @Test("the onboarding wizard's test step shows the access section for the new user")
    func wizardTestStep() throws {
        let sandbox = try Self.sandbox()
        let session = try ConsoleTmuxTests.open(sandbox, columns: 130, rows: 50, waitFor: "3 users loaded")
        defer { session.close() }
        try ConsoleTmuxTests.beginOnboarding(session, username: "erin")
        // The generated password, the role most users have, the home following their pattern, no networks.
        try session.keys("C-s")
        try session.waitFor("IAM role")
        try session.keys("C-s")
        try session.waitFor("Where they land")
        try session.keys("C-s")
        try session.waitFor("only allow logins from")
        try session.keys("C-s")
        try session.waitFor("Enter creates the user")
        try session.keys("Enter")
        try session.waitFor("login allowed")
        let screen = try session.waitFor("/bucket/home/erin: ✔ list")
        #expect(screen.contains("/bucket/home/erin: ✔ list  ✔ download  ✔ upload  ✔ mkdir  ✘ delete  ✘ rename"), "\(screen)")
        #expect(screen.contains("Access") && screen.contains("transfer-role.json"), "\(screen)")
        #expect(screen.contains("Shown only now"), "\(screen)")
        try session.keys("Enter")
        try session.waitFor("4 users")
        try session.keys("q")
        try session.waitFor(TmuxSession.prompt)
    }
}

import Foundation
import Testing

/// `sftpidp test-login --explain-access` through the real binary: role policies from files, the session policy
/// from the user's secret, text on standard error and the report inside `--json`.
@Suite struct ExplainAccessEndToEndTests {
    static let serverID = TestLoginEndToEndTests.serverID
    static let role = TestLoginEndToEndTests.role
    static let password = TestLoginEndToEndTests.password

    /// The user guide's read/write role policy and its home-directory session policy (see GuideExampleTests).
    static let rolePolicy = """
    {"Version": "2012-10-17", "Statement": [
      {"Sid": "ReadWriteS3", "Action": ["s3:ListBucket"], "Effect": "Allow", "Resource": ["arn:aws:s3:::acme-sftp"]},
      {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], "Resource": ["arn:aws:s3:::acme-sftp/*"]}
    ]}
    """
    static let sessionPolicy = """
    {"Version": "2012-10-17", "Statement": [
      {"Sid": "AllowListingOfUserFolder", "Action": ["s3:ListBucket"], "Effect": "Allow", "Resource": ["arn:aws:s3:::${transfer:HomeBucket}"],
       "Condition": {"StringLike": {"s3:prefix": ["${transfer:HomeFolder}/*", "${transfer:HomeFolder}"]}}},
      {"Sid": "HomeDirObjectAccess", "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "arn:aws:s3:::${transfer:HomeDirectory}/*"}
    ]}
    """

    static func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        let sessionFile = try sandbox.write(sessionPolicy, to: "session.json")
        let created = try sandbox.run(["users", "create", "jess", "--role", role, "--home", "/acme-sftp/home/jess", "--policy-file", sessionFile, "--password-stdin"], input: password + "\n")
        guard created.status == 0 else { throw SandboxError("setup failed: \(created)") }
        try sandbox.write(rolePolicy, to: "role.json")
        return sandbox
    }

    static func testLogin(_ sandbox: Sandbox, _ extra: [String], password: String = password) throws -> CommandResult {
        try sandbox.run(["test-login", "--server-id", serverID, "--user-name", "jess", "--password-stdin"] + extra, input: password + "\n")
    }

    @Test func textReportOnStandardError() throws {
        let sandbox = try Self.sandbox()
        let result = try Self.testLogin(sandbox, ["--explain-access", "--role-policy", sandbox.path("role.json")])
        #expect(result.status == 0, "\(result)")
        // Standard output stays the managed service's shape.
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["AccessExplanation"] == nil && report["StatusCode"] as? Int == 200)
        #expect(result.stderr.contains("access for jess: PATH home, role \(Self.role)"), "\(result)")
        #expect(result.stderr.contains("\(sandbox.path("role.json")) (role, \(Self.rolePolicy.count) characters), session policy (session, "))
        #expect(result.stderr.contains("  list                allowed\n  download            allowed\n  upload              allowed\n"), "\(result)")
        #expect(result.stderr.contains("  delete              denied\n    denied: delete: s3:DeleteObject on arn:aws:s3:::acme-sftp/home/jess/example.txt\n      session policy: no Allow statement in the session policy names s3:DeleteObject"), "\(result)")
        #expect(result.stderr.contains("findings: none"))
        #expect(!result.stderr.contains("hint:"))
        #expect(!result.stdout.contains(Self.password) && !result.stderr.contains(Self.password))
    }

    @Test func jsonReportAndUnknownWithoutTheRole() throws {
        let sandbox = try Self.sandbox()
        let result = try Self.testLogin(sandbox, ["--explain-access", "--json"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let access = try #require(report["AccessExplanation"] as? [String: Any])
        #expect(access["UserName"] as? String == "jess")
        let directories = try #require(access["Directories"] as? [[String: Any]])
        #expect(directories.first?["Entry"] as? String == "/acme-sftp/home/jess")
        let decisions = (directories.first?["Operations"] as? [[String: Any]] ?? []).map { "\($0["Operation"] ?? "")=\($0["Decision"] ?? "")" }
        // Without the role's policies only the session policy's denials are definite.
        #expect(decisions == ["list=unknown", "download=unknown", "upload=unknown", "mkdir=unknown", "delete=denied", "rename=denied"])
        let text = try Self.testLogin(sandbox, ["--explain-access"])
        #expect(text.stderr.contains("hint: give the role's policies with --role-policy FILE"), "\(text)")
    }

    @Test func findingsAndDeniedLogins() throws {
        let sandbox = try Self.sandbox()
        let mistaken = try sandbox.write(#"{"Version": "2012-10-17", "Statement": [{"Sid": "Everything", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::acme-sftp/*"}]}"#, to: "mistaken.json")
        let result = try Self.testLogin(sandbox, ["--explain-access", "--role-policy", mistaken])
        #expect(result.status == 0)
        #expect(result.stderr.contains("[list-bucket-on-object-arn] \(mistaken) statement \"Everything\" allows s3:ListBucket"), "\(result)")
        #expect(result.stderr.contains(#"fix: add the bucket ARN "arn:aws:s3:::acme-sftp" to that statement's Resource"#))
        #expect(result.stderr.contains("[home-bucket-not-listable]"))

        let denied = try Self.testLogin(sandbox, ["--explain-access", "--json", "--role-policy", mistaken], password: "wrong")
        #expect(denied.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(denied.stdout.utf8)) as? [String: Any])
        #expect((report["AccessExplanation"] as? [String: String]) == ["NotExplained": "the login was not allowed"])
    }

    @Test func badRolePolicyFilesAreUsageErrors() throws {
        let sandbox = try Self.sandbox()
        let broken = try sandbox.write(#"{"Statement": [{"Effect": "allow", "Action": "*", "Resource": "*"}]}"#, to: "broken.json")
        let result = try Self.testLogin(sandbox, ["--explain-access", "--role-policy", broken])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains(#"--role-policy: \#(broken), statement 1: Effect must be "Allow" or "Deny" (case-sensitive), not "allow""#), "\(result)")
        let missing = try Self.testLogin(sandbox, ["--explain-access", "--role-policy", sandbox.path("nope.json")])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("the file cannot be read as UTF-8 text"))
        let withoutFlag = try Self.testLogin(sandbox, ["--role-policy", broken])
        #expect(withoutFlag.status == 2)
        #expect(withoutFlag.stderr.contains("--role-policy is only used with --explain-access"))
        let endpointWithoutFlag = try Self.testLogin(sandbox, ["--iam-endpoint-url", "http://127.0.0.1:1"])
        #expect(endpointWithoutFlag.status == 2)
        #expect(endpointWithoutFlag.stderr.contains("--iam-endpoint-url is only used with --explain-access"))
    }

    @Test func rolePoliciesFromTheConfigFile() throws {
        let sandbox = try Self.sandbox()
        try sandbox.write("""
        [role-policies]
        "\(Self.role)" = ["\(sandbox.path("role.json"))"]
        "arn:aws:iam::012345678901:role/Other" = "\(sandbox.path("missing.json"))"
        """, to: "config/sftpidp/config.toml")
        let result = try Self.testLogin(sandbox, ["--explain-access"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("policies: \(sandbox.path("role.json")) (role, "), "\(result)")
        #expect(result.stderr.contains("  upload              allowed\n"))
        #expect(!result.stderr.contains("hint:"))
        // --role-policy wins over the config file.
        let other = try sandbox.write(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::acme-sftp"}}"#, to: "list-only.json")
        let overridden = try Self.testLogin(sandbox, ["--explain-access", "--role-policy", other])
        #expect(overridden.stderr.contains("  upload              denied\n"), "\(overridden)")

        try sandbox.write("[role-policies]\n\"\(Self.role)\" = 3\n", to: "config/sftpidp/config.toml")
        let bad = try Self.testLogin(sandbox, ["--explain-access"])
        #expect(bad.status == 1, "\(bad)")
        #expect(bad.stderr.contains("role-policies \"\(Self.role)\" must be a file name or a non-empty array of file names"), "\(bad)")
    }
}

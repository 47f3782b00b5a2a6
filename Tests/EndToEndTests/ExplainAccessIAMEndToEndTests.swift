import Foundation
import PeerTesting
import Testing

/// `sftpidp test-login --explain-access` on an AWS store: the role's policies read from IAM (moto, with signature and
/// permission checks), made with the AWS CLI; a refusal shown as unknown with the reason; a local file winning.
@Suite(.motoServer) struct ExplainAccessIAMEndToEndTests {
    static let serverID = "s-0123456789abcdef0"
    static let password = "Corr3ct-Horse-Battery"

    let moto: MotoServer
    let iam: MotoIAM
    let sandbox: Sandbox
    /// The admin running sftpidp: Secrets Manager and IAM.
    let operatorEnvironment: [String: String]

    init() throws {
        moto = try #require(MotoServer.current)
        iam = try MotoIAM(moto: moto)
        sandbox = try Sandbox()
        operatorEnvironment = try MotoIAM.assume(moto: moto, roleName: "operator-\(UUID().uuidString.prefix(8))", actions: ["secretsmanager:*"] + [
            "iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:GetPolicy", "iam:GetPolicyVersion",
        ])
    }

    /// A transfer role with an inline listing policy and a managed object policy at v2; returns its ARN and the policy's.
    func transferRole(_ name: String) throws -> (role: String, managed: String) {
        let role = try iam.createRole(name, path: "/transfer/")
        try iam.admin(["iam", "put-role-policy", "--role-name", name, "--policy-name", "list-home", "--policy-document",
                       #"{"Version":"2012-10-17","Statement":[{"Sid":"List","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::acme-sftp"}]}"#])
        let managed = try iam.createPolicy("\(name)-objects", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-sftp/*"}]}"#)
        try iam.admin(["iam", "create-policy-version", "--policy-arn", managed, "--set-as-default", "--policy-document",
                       #"{"Version":"2012-10-17","Statement":[{"Sid":"Objects","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::acme-sftp/*"}]}"#])
        try iam.admin(["iam", "attach-role-policy", "--role-name", name, "--policy-arn", managed])
        return (role, managed)
    }

    /// Creates jess on the moto store under a fresh naming template; returns the options naming that store.
    func storeWithJess(role: String) throws -> [String] {
        let store = ["--store", "aws", "--naming-scheme", "iam\(UUID().uuidString.prefix(8).lowercased())/{username}"]
        let created = try sandbox.run(["users", "create", "jess", "--role", role, "--home", "/acme-sftp/home/jess", "--password-stdin"] + store,
                                      input: Self.password + "\n", environment: operatorEnvironment)
        guard created.status == 0 else { throw SandboxError("setup failed: \(created)") }
        return store
    }

    func explain(_ store: [String], _ extra: [String] = [], environment: [String: String]) throws -> CommandResult {
        try sandbox.run(["test-login", "--server-id", Self.serverID, "--user-name", "jess", "--password-stdin", "--explain-access"] + store + extra,
                        input: Self.password + "\n", environment: environment)
    }

    @Test func readsTheRolesPoliciesFromIAM() throws {
        let (role, managed) = try transferRole("jess-iam-role")
        let store = try storeWithJess(role: role)
        let text = try explain(store, environment: operatorEnvironment)
        #expect(text.status == 0, "\(text)")
        #expect(text.stderr.contains("policies: inline policy list-home (role, "), "\(text)")
        #expect(text.stderr.contains("managed policy \(managed) (v2) (role, "), "\(text)")
        #expect(text.stderr.contains("  list                allowed\n  download            allowed\n  upload              allowed\n  create a directory  allowed\n  delete              allowed\n"), "\(text)")
        #expect(!text.stderr.contains("hint:") && !text.stderr.contains("unknown"), "\(text)")

        let json = try explain(store, ["--json"], environment: operatorEnvironment)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let access = try #require(report["AccessExplanation"] as? [String: Any])
        let names = (access["Policies"] as? [[String: Any]] ?? []).compactMap { $0["Name"] as? String }
        #expect(names == ["inline policy list-home", "managed policy \(managed) (v2)"])
        #expect(access["RolePoliciesUnknown"] == nil)
        #expect(!json.stdout.contains(Self.password) && !json.stderr.contains(Self.password))
    }

    @Test func theIAMEndpointCanBeGivenApartFromSecretsManagers() throws {
        let (role, _) = try transferRole("jess-endpoint-role")
        var environment = operatorEnvironment
        environment["AWS_ENDPOINT_URL"] = nil
        let store = try storeWithJess(role: role) + ["--endpoint-url", moto.endpoint]
        let result = try explain(store, ["--iam-endpoint-url", moto.endpoint], environment: environment)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("policies: inline policy list-home (role, "), "\(result)")
        let unusable = try explain(store, ["--iam-endpoint-url", "ftp://127.0.0.1"], environment: environment)
        #expect(unusable.status != 0 && unusable.stderr.contains("ftp://127.0.0.1"), "\(unusable)")
    }

    @Test func aRefusalIsShownAsUnknownWithTheMissingPermission() throws {
        let (role, _) = try transferRole("jess-refused-role")
        let store = try storeWithJess(role: role)
        // moto's test user may use Secrets Manager but not read IAM.
        let result = try explain(store, environment: moto.cliEnvironment())
        #expect(result.status == 0, "the login itself is allowed: \(result)")
        #expect(result.stderr.contains("role policies: unknown: could not read the role's policies (\(role): IAM refused iam:GetRole (AccessDenied"), "\(result)")
        #expect(result.stderr.contains("the credentials in use need iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion"))
        #expect(result.stderr.contains("  list                unknown\n"), "\(result)")
        #expect(!result.stderr.contains(" allowed\n") && !result.stderr.contains("hint:"), "\(result)")

        // A local file for the role wins: IAM is not asked.
        let file = try sandbox.write(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#, to: "role.json")
        let local = try explain(store, ["--role-policy", file], environment: moto.cliEnvironment())
        #expect(local.status == 0 && local.stderr.contains("policies: \(file) (role, ") && !local.stderr.contains("IAM refused"), "\(local)")
    }

    @Test func theConsoleReadsTheRolesPoliciesFromIAM() throws {
        let (role, managed) = try transferRole("jess-console-role")
        let store = try storeWithJess(role: role)
        let session = try ConsoleTmuxTests.open(sandbox, arguments: (["console"] + store).joined(separator: " "),
                                                environment: operatorEnvironment.filter { $0.key.hasPrefix("AWS_") },
                                                columns: 130, rows: 50, waitFor: "jess")
        defer { session.close() }
        try session.keys("a")
        try session.waitFor("what jess can do where")
        let screen = try session.waitFor("inline policy list-home")
        #expect(screen.contains(String(managed.prefix(30))), "\(screen)")
        #expect(!screen.contains("unknown"), "\(screen)")
        try session.keys("q")
    }
}

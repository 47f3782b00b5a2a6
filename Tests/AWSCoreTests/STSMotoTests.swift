import Foundation
import PeerTesting
import Testing
@testable import AWSCore

/// `AssumeRole` through a profile's `source_profile`, signed, against moto with signature checking on; the assumed
/// credentials then sign a Secrets Manager call that moto checks against the role's policy.
@Suite(.motoServer) struct AssumeRoleMotoTests {
    let moto: MotoServer

    init() throws {
        moto = try #require(MotoServer.current)
    }

    /// Creates a role allowed to use Secrets Manager, signed with the test user's key; returns its ARN.
    func createRole(_ name: String) throws -> String {
        let script = """
            import sys, json, boto3
            iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                               aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
            trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
            role = iam.create_role(RoleName=sys.argv[4], AssumeRolePolicyDocument=json.dumps(trust))["Role"]
            iam.put_role_policy(RoleName=sys.argv[4], PolicyName="secrets", PolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["secretsmanager:*", "sts:AssumeRole"], "Resource": "*"}]}))
            print(role["Arn"])
            """
        return try ExternalProcess.python(script, arguments: [moto.endpoint, moto.accessKeyID, moto.secretAccessKey, name])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func profiles(roleARN: String, sourceSecret: String? = nil) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write("config", """
            [profile base]
            aws_access_key_id = \(moto.accessKeyID)
            aws_secret_access_key = \(sourceSecret ?? moto.secretAccessKey)

            [profile admin]
            role_arn = \(roleARN)
            source_profile = base
            role_session_name = tests
            endpoint_url = \(moto.endpoint)

            [profile second]
            role_arn = \(roleARN)
            source_profile = admin
            endpoint_url = \(moto.endpoint)
            """)
        return directory
    }

    /// ListSecrets signed with `provider`'s credentials.
    func listSecrets(with provider: any AWSCredentialProvider) async throws(AWSServiceError) {
        let sender = AWSRequestSender(endpoint: URL(string: moto.endpoint)!, region: "us-east-1", service: "secretsmanager",
                                      credentials: provider)
        let request = SignableRequest(method: "POST", scheme: "http", host: "",
                                      headers: [.init("Content-Type", "application/x-amz-json-1.1"),
                                                .init("X-Amz-Target", "secretsmanager.ListSecrets")],
                                      body: Array("{}".utf8))
        _ = try await sender.send("ListSecrets", request)
    }

    @Test func assumedRoleSignsCallsAndIsRefreshedOnlyNearExpiry() async throws {
        let roleARN = try createRole("sftpidp-admin")
        let directory = try profiles(roleARN: roleARN)
        let clock = TestClock(Date())
        let provider = try resolveChain(directory.environment, profile: "admin", explicit: true, now: clock.closure).provider
        let refreshing = try #require(provider as? RefreshingCredentialProvider)
        #expect(provider.description == "assume-role \(roleARN) via config-file")

        let first = try await provider.credentials()
        #expect(first.accessKeyID.hasPrefix("ASIA"))
        #expect(first.sessionToken != nil)
        let expiration = try #require(first.expiration)
        try await listSecrets(with: provider)

        // Before expiry: no second STS call.
        #expect(try await provider.credentials() == first)
        #expect(refreshing.fetchCount == 1)
        // Near expiry: STS is asked again (in the background), and new keys are used from then on.
        clock.set(expiration.addingTimeInterval(-120))
        #expect(try await provider.credentials() == first)
        await refreshing.waitForRefresh()
        #expect(refreshing.fetchCount == 2)
        let second = try await provider.credentials()
        #expect(second.accessKeyID != first.accessKeyID)
        try await listSecrets(with: provider)
    }

    @Test func roleChainsThroughAnotherRole() async throws {
        let roleARN = try createRole("sftpidp-chain")
        let directory = try profiles(roleARN: roleARN)
        let provider = try resolveChain(directory.environment, profile: "second", explicit: true).provider
        #expect(provider.description == "assume-role \(roleARN) via assume-role")
        let keys = try await provider.credentials()
        #expect(keys.accessKeyID.hasPrefix("ASIA"))
        try await listSecrets(with: provider)
    }

    @Test func refusedSourceKeyIsAClearErrorWithoutSecrets() async throws {
        let directory = try profiles(roleARN: "arn:aws:iam::123456789012:role/whatever", sourceSecret: "wrong-source-secret")
        let provider = try resolveChain(directory.environment, profile: "admin", explicit: true).provider
        let error = await #expect(throws: AWSCredentialError.self) { try await provider.credentials() }
        #expect(error?.source == "assume-role")
        #expect(error?.message.hasPrefix("STS AssumeRole failed: SignatureDoesNotMatch") == true)
        #expect(error?.description.contains("wrong-source-secret") == false)
    }
}

/// `AssumeRoleWithWebIdentity`, unsigned as on EKS, against moto (with signature checks off: moto, unlike AWS,
/// wants every call signed once checking is on).
@Suite(.motoServerWithoutSignatureChecks) struct WebIdentityMotoTests {
    let moto: MotoServer

    init() throws {
        moto = try #require(MotoServer.current)
    }

    @Test func tokenFileFromTheEnvironment() async throws {
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl\n")
        let env = directory.environment.merging([
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/eks-pod",
            "AWS_ROLE_SESSION_NAME": "pod-1", "AWS_ENDPOINT_URL_STS": moto.endpoint,
        ]) { $1 }
        let provider = try resolveChain(env).provider
        #expect(provider.source == "web-identity")
        let keys = try await provider.credentials()
        #expect(keys.accessKeyID.hasPrefix("ASIA"))
        #expect(keys.sessionToken?.isEmpty == false)
        #expect(try #require(keys.expiration) > Date())
    }

    @Test func tokenFileFromAProfile() async throws {
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("token", "profile-token")
        try directory.write("config", """
            [profile pod]
            role_arn = arn:aws:iam::123456789012:role/from-profile
            web_identity_token_file = \(tokenFile)
            endpoint_url = \(moto.endpoint)
            """)
        let provider = try resolveChain(directory.environment, profile: "pod", explicit: true).provider
        #expect(provider.description == "web-identity arn:aws:iam::123456789012:role/from-profile")
        #expect(try await provider.credentials().accessKeyID.hasPrefix("ASIA"))
    }

    @Test func missingTokenFileIsAClearError() async throws {
        let directory = try TemporaryDirectory()
        let env = directory.environment.merging([
            "AWS_WEB_IDENTITY_TOKEN_FILE": directory.url.appendingPathComponent("absent").path,
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/eks-pod", "AWS_ENDPOINT_URL_STS": moto.endpoint,
        ]) { $1 }
        let error = await #expect(throws: AWSCredentialError.self) { try await resolveChain(env).provider.credentials() }
        #expect(error?.description == "Could not get AWS credentials from web-identity: cannot read the web identity token file \(directory.url.appendingPathComponent("absent").path)")
    }
}

import AWSCore
import Foundation
import PeerTesting
import Testing
@testable import AWSIAM

/// What moto does not do: pagination of inline policy names, URL-encoded documents, throttling and broken answers,
/// from a scripted server; plus role names and endpoints.
@Suite struct IAMProtocolTests {
    static func client(_ server: ScriptedHTTPServer, attempts: Int = 4) -> IAMClient {
        IAMClient(endpoint: IAMEndpoint(url: URL(string: server.endpoint)!, signingRegion: "us-east-1"),
                  credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "example-secret"), source: "test"),
                  options: AWSClientOptions(timeout: .seconds(5), maxAttempts: attempts, baseRetryDelay: .milliseconds(1)))
    }

    static func listPage(_ names: [String], marker: String?) -> ScriptedHTTPServer.Answer {
        let members = names.map { "<member>\($0)</member>" }.joined()
        let tail = marker.map { "<IsTruncated>true</IsTruncated><Marker>\($0)</Marker>" } ?? "<IsTruncated>false</IsTruncated>"
        return .init(status: 200, body: """
            <ListRolePoliciesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListRolePoliciesResult>\
            <PolicyNames>\(members)</PolicyNames>\(tail)</ListRolePoliciesResult></ListRolePoliciesResponse>
            """)
    }

    /// A `GetRole` answer for a role without a permissions boundary.
    static let roleWithoutBoundary = ScriptedHTTPServer.Answer(status: 200, body: """
        <GetRoleResponse><GetRoleResult><Role><RoleName>jess-role</RoleName>\
        <Arn>arn:aws:iam::123456789012:role/jess-role</Arn></Role></GetRoleResult></GetRoleResponse>
        """)

    @Test func followsMarkersUntilTheListIsComplete() async throws {
        let server = try await ScriptedHTTPServer(answers: [
            Self.listPage(["first", "second"], marker: "page+2/="),
            Self.listPage(["third"], marker: nil),
        ])
        defer { server.stop() }
        let names = try await Self.client(server).listRolePolicies(roleName: "jess-role")
        #expect(names == ["first", "second", "third"])
        let bodies = server.received.map { $0.body ?? "" }
        #expect(bodies == [
            "Action=ListRolePolicies&Version=2010-05-08&RoleName=jess-role",
            "Action=ListRolePolicies&Version=2010-05-08&RoleName=jess-role&Marker=page%2B2%2F%3D",
        ])
        #expect(server.received.allSatisfy { $0.authorization?.contains("/us-east-1/iam/aws4_request") == true })
    }

    @Test func aTruncatedPageWithoutAMarkerIsAnError() async throws {
        let server = try await ScriptedHTTPServer(answers: [.init(status: 200, body: """
            <ListRolePoliciesResponse><ListRolePoliciesResult><PolicyNames/><IsTruncated>true</IsTruncated></ListRolePoliciesResult></ListRolePoliciesResponse>
            """)])
        defer { server.stop() }
        await #expect(throws: AWSServiceError(operation: "ListRolePolicies", type: "MalformedResponse", message: "the IAM answer is truncated but has no Marker")) {
            _ = try await Self.client(server).listRolePolicies(roleName: "jess-role")
        }
    }

    @Test func decodesTheURLEncodedDocument() async throws {
        // As IAM sends it (RFC 3986), from the GetRolePolicy example in the IAM API reference.
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"
        let server = try await ScriptedHTTPServer(answers: [.init(status: 200, body: """
            <GetRolePolicyResponse><GetRolePolicyResult><PolicyName>S3AccessPolicy</PolicyName><RoleName>S3Access</RoleName>\
            <PolicyDocument>\(encoded)</PolicyDocument></GetRolePolicyResult></GetRolePolicyResponse>
            """)])
        defer { server.stop() }
        let document = try await Self.client(server).getRolePolicy(roleName: "S3Access", policyName: "S3AccessPolicy")
        #expect(document == #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
    }

    @Test func throttlingIsRetriedThenNamed() async throws {
        let throttled = ScriptedHTTPServer.Answer(status: 400, body: """
            <ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>
            """)
        let server = try await ScriptedHTTPServer(answers: [throttled])
        defer { server.stop() }
        let role = "arn:aws:iam::123456789012:role/jess-role"
        let lookup = await IAMRolePolicies(client: Self.client(server, attempts: 2)).lookup(role: role)
        #expect(lookup == .unreadable("\(role): IAM did not answer iam:GetRole (Throttling: Rate exceeded (gave up after 2 attempts)); try again later"))
        #expect(server.received.count == 2)
    }

    @Test func aPolicyIAMReturnsThatIsNotAPolicyIsNamed() async throws {
        let server = try await ScriptedHTTPServer(answers: [
            Self.roleWithoutBoundary,
            Self.listPage(["broken"], marker: nil),
            .init(status: 200, body: "<GetRolePolicyResponse><GetRolePolicyResult><PolicyDocument>%7B%22Statement%22%3A3%7D</PolicyDocument></GetRolePolicyResult></GetRolePolicyResponse>"),
        ])
        defer { server.stop() }
        let role = "arn:aws:iam::123456789012:role/jess-role"
        let lookup = await IAMRolePolicies(client: Self.client(server)).lookup(role: role)
        guard case .unreadable(let reason) = lookup else {
            Issue.record("expected unreadable, got \(lookup)")
            return
        }
        #expect(reason.hasPrefix("\(role): IAM returned a policy that cannot be read: inline policy broken"), "\(reason)")
    }

    @Test func aBoundaryIsReadFromGetRoleAndOneWithoutItsARNIsNamed() async throws {
        let withBoundary = ScriptedHTTPServer.Answer(status: 200, body: """
            <GetRoleResponse><GetRoleResult><Role><RoleName>jess-role</RoleName><PermissionsBoundary>\
            <PermissionsBoundaryType>Policy</PermissionsBoundaryType>\
            <PermissionsBoundaryArn>arn:aws:iam::123456789012:policy/Limit</PermissionsBoundaryArn>\
            </PermissionsBoundary></Role></GetRoleResult></GetRoleResponse>
            """)
        let withoutARN = ScriptedHTTPServer.Answer(status: 200, body: """
            <GetRoleResponse><GetRoleResult><Role><RoleName>jess-role</RoleName><PermissionsBoundary>\
            <PermissionsBoundaryType>Policy</PermissionsBoundaryType></PermissionsBoundary></Role></GetRoleResult></GetRoleResponse>
            """)
        let server = try await ScriptedHTTPServer(answers: [Self.roleWithoutBoundary, withBoundary, withoutARN])
        defer { server.stop() }
        let client = Self.client(server)
        #expect(try await client.permissionsBoundary(roleName: "jess-role") == nil)
        #expect(try await client.permissionsBoundary(roleName: "jess-role") == "arn:aws:iam::123456789012:policy/Limit")
        await #expect(throws: AWSServiceError(operation: "GetRole", type: "MalformedResponse",
                                              message: "the IAM answer has a PermissionsBoundary without PermissionsBoundaryArn")) {
            _ = try await client.permissionsBoundary(roleName: "jess-role")
        }
        #expect(server.received.map { $0.body ?? "" } == Array(repeating: "Action=GetRole&Version=2010-05-08&RoleName=jess-role", count: 3))
    }

    @Test func aRoleARNIsRequired() async throws {
        let server = try await ScriptedHTTPServer(answers: [Self.listPage([], marker: nil)])
        defer { server.stop() }
        let lookup = await IAMRolePolicies(client: Self.client(server)).lookup(role: "arn:aws:iam::123456789012:user/jess")
        #expect(lookup == .unreadable("arn:aws:iam::123456789012:user/jess: it is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)"))
        #expect(server.received.isEmpty)
    }

    @Test(arguments: [
        ("arn:aws:iam::123456789012:role/AWSTransferAccessRole", "AWSTransferAccessRole"),
        ("arn:aws:iam::123456789012:role/transfer/users/jess-role", "jess-role"),
        ("arn:aws-cn:iam::123456789012:role/cn-role", "cn-role"),
    ])
    func roleNames(arn: String, name: String) {
        #expect(IAMRolePolicies.roleName(of: arn) == name)
    }

    @Test(arguments: ["arn:aws:iam::123456789012:role/", "arn:aws:s3:::bucket", "role/jess", ""])
    func notRoleARNs(arn: String) {
        #expect(IAMRolePolicies.roleName(of: arn) == nil)
    }

    @Test func endpointsAreGlobalPerPartitionUnlessConfigured() throws {
        #expect(IAMEndpoint.global(forRegion: "eu-west-1") == IAMEndpoint(url: URL(string: "https://iam.amazonaws.com")!, signingRegion: "us-east-1"))
        #expect(IAMEndpoint.global(forRegion: "cn-northwest-1") == IAMEndpoint(url: URL(string: "https://iam.cn-north-1.amazonaws.com.cn")!, signingRegion: "cn-north-1"))
        #expect(IAMEndpoint.global(forRegion: "us-gov-east-1") == IAMEndpoint(url: URL(string: "https://iam.us-gov.amazonaws.com")!, signingRegion: "us-gov-west-1"))
        let config = try AWSSharedConfig(environment: ["AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
                                                        "AWS_ENDPOINT_URL_IAM": "http://127.0.0.1:4566"])
        let configured = try IAMEndpoint.resolve(argument: nil, config: config, profile: "default", region: "eu-west-1")
        #expect(configured == IAMEndpoint(url: URL(string: "http://127.0.0.1:4566")!, signingRegion: "us-east-1"))
        let argument = try IAMEndpoint.resolve(argument: "http://127.0.0.1:5000", config: config, profile: "default", region: "eu-west-1")
        #expect(argument.url.absoluteString == "http://127.0.0.1:5000")
        #expect(throws: AWSConfigurationError.self) {
            try IAMEndpoint.resolve(argument: "ftp://example", config: config, profile: "default", region: "eu-west-1")
        }
    }
}

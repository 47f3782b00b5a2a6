import AWSCore
import AccessAnalysis
import Foundation
import PeerTesting
import Synchronization
import Testing
@testable import AWSIAM

/// The IAM client against moto's IAM with signature and permission checks on. Roles and policies are made with the
/// real AWS CLI; the client reads them as a role that holds exactly the documented permissions.
@Suite(.motoServer) struct IAMMotoTests {
    let moto: MotoServer
    let iam: MotoIAM

    init() throws {
        moto = try #require(MotoServer.current)
        iam = try MotoIAM(moto: moto)
    }

    static let inlineList = #"{"Version":"2012-10-17","Statement":[{"Sid":"ListHome","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::acme-sftp"}]}"#
    static let inlineObjects = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::acme-sftp/home/*"}]}"#
    static let managedV1 = #"{"Version":"2012-10-17","Statement":[{"Sid":"Old","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::old-bucket/*"}]}"#
    static let managedV2 = #"{"Version":"2012-10-17","Statement":[{"Sid":"Current","Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::acme-sftp/home/*"}]}"#
    static let secondManaged = #"{"Version":"2012-10-17","Statement":[{"Sid":"Deny","Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::acme-sftp/home/keep/*"}]}"#

    /// A user role with two inline policies and two managed ones, the first at its second version.
    func userRole(_ name: String) throws -> (arn: String, managed: String, second: String) {
        let arn = try iam.createRole(name, path: "/transfer/")
        try iam.admin(["iam", "put-role-policy", "--role-name", name, "--policy-name", "list-home", "--policy-document", Self.inlineList])
        try iam.admin(["iam", "put-role-policy", "--role-name", name, "--policy-name", "objects", "--policy-document", Self.inlineObjects])
        let managed = try iam.createPolicy("\(name)-managed", Self.managedV1)
        try iam.admin(["iam", "create-policy-version", "--policy-arn", managed, "--policy-document", Self.managedV2, "--set-as-default"])
        let second = try iam.createPolicy("\(name)-guard", Self.secondManaged)
        for policy in [managed, second] {
            try iam.admin(["iam", "attach-role-policy", "--role-name", name, "--policy-arn", policy])
        }
        return (arn, managed, second)
    }

    @Test func readsInlineAndDefaultVersionsOfManagedPolicies() async throws {
        let role = try userRole("jess-role")
        let reader = try iam.client(permissions: IAMRolePolicies.requiredPermissions, pageSize: 1)
        let policies = try await IAMRolePolicies(client: reader).access(ofRole: role.arn).policies
        #expect(policies.map(\.name).sorted() == [
            "inline policy list-home", "inline policy objects",
            "managed policy \(role.managed) (v2)", "managed policy \(role.second) (v1)",
        ].sorted())
        let byName = Dictionary(uniqueKeysWithValues: policies.map { ($0.name, $0) })
        #expect(byName["managed policy \(role.managed) (v2)"]?.document.statements.map(\.label) == [#""Current""#])
        #expect(byName["inline policy list-home"]?.document.statements.map(\.label) == [#""ListHome""#])
        #expect(policies.allSatisfy { $0.origin == .role })
    }

    @Test func explainsWithThePoliciesReadFromIAM() async throws {
        let role = try userRole("kim-role")
        let source = IAMRolePolicies(client: try iam.client(permissions: IAMRolePolicies.requiredPermissions))
        let answer = TransferAnswer(role: role.arn, homeDirectory: "/acme-sftp/home/kim")
        let report = await AccessExplainer.report(answer: answer, userName: "kim", source: source)
        let home = try #require(report.places.first)
        let decisions = Dictionary(uniqueKeysWithValues: home.operations.map { ($0.operation.rawValue, $0.decision) })
        #expect(decisions["list"] == .allowed && decisions["download"] == .allowed && decisions["upload"] == .allowed)
        #expect(decisions["delete"] == .allowed, "v2 of the managed policy allows deleting, v1 did not")
        #expect(report.rolePoliciesUnknown == nil)
    }

    @Test func aPermissionsBoundaryMakesEveryAllowUnknownWithItsARN() async throws {
        let role = try userRole("ana-role")
        let boundary = try iam.createPolicy("ana-boundary", Self.inlineList)
        try iam.admin(["iam", "put-role-permissions-boundary", "--role-name", "ana-role", "--permissions-boundary", boundary])
        let source = IAMRolePolicies(client: try iam.client(permissions: IAMRolePolicies.requiredPermissions))
        #expect(try await source.access(ofRole: role.arn).permissionsBoundary == boundary)
        let report = await AccessExplainer.report(answer: TransferAnswer(role: role.arn, homeDirectory: "/acme-sftp/home/keep/ana"),
                                                  userName: "ana", source: source)
        let operations = try #require(report.places.first).operations
        let decisions = Dictionary(uniqueKeysWithValues: operations.map { ($0.operation.rawValue, $0.decision) })
        #expect(decisions == ["list": .unknown, "download": .unknown, "upload": .unknown, "mkdir": .unknown, "delete": .denied, "rename": .denied],
                "what the role's policies allow is unknown; the explicit Deny of the guard policy stays denied")
        let reason = "the role has a permissions boundary (\(boundary)), which the explainer does not evaluate"
        #expect(operations.flatMap(\.requests).filter { $0.decision == .unknown }.allSatisfy { $0.reasons.map(\.text) == [reason] })
    }

    @Test func aRoleWithoutABoundaryHasNone() async throws {
        let role = try userRole("bo-role")
        let source = IAMRolePolicies(client: try iam.client(permissions: IAMRolePolicies.requiredPermissions))
        #expect(try await source.access(ofRole: role.arn).permissionsBoundary == nil)
        #expect(await source.lookup(role: role.arn).unmodelled.isEmpty)
    }

    @Test func aRefusedPermissionNamesTheRoleAndThePermission() async throws {
        let role = try userRole("lee-role")
        let partial = IAMRolePolicies.requiredPermissions.filter { $0 != "iam:GetPolicyVersion" }
        let source = IAMRolePolicies(client: try iam.client(permissions: partial))
        await #expect {
            _ = try await source.access(ofRole: role.arn)
        } throws: { error in
            guard let error = error as? IAMRolePolicyError else { return false }
            return error.role == role.arn && error.permission == "iam:GetPolicyVersion"
                && error.description.contains("IAM refused iam:GetPolicyVersion (AccessDenied")
                && error.description.contains("need iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion")
        }
        // The explanation says so instead of guessing: every answer that needs the role is unknown with the reason.
        let report = await AccessExplainer.report(answer: TransferAnswer(role: role.arn, homeDirectory: "/acme-sftp/home/lee"), userName: "lee", source: source)
        let reason = try #require(report.rolePoliciesUnknown)
        #expect(reason.hasPrefix("could not read the role's policies (\(role.arn): IAM refused iam:GetPolicyVersion"))
        let operations = try #require(report.places.first).operations
        #expect(operations.allSatisfy { $0.decision == .unknown })
        #expect(operations.flatMap(\.requests).allSatisfy { $0.reasons.contains { $0.text.contains("could not read the role's policies") } })
    }

    @Test func aMissingRoleSaysSo() async throws {
        let reader = try iam.client(permissions: IAMRolePolicies.requiredPermissions)
        let arn = "arn:aws:iam::123456789012:role/transfer/nobody"
        let lookup = await IAMRolePolicies(client: reader).lookup(role: arn)
        guard case .unreadable(let reason) = lookup else {
            Issue.record("expected unreadable, got \(lookup)")
            return
        }
        #expect(reason.hasPrefix("\(arn): IAM has no such role (NoSuchEntity"), "\(reason)")
    }

    @Test func policiesAreCachedPerRoleUntilTheyAreStale() async throws {
        let role = try userRole("max-role")
        let clock = Mutex(ContinuousClock.now)
        let source = IAMRolePolicies(client: try iam.client(permissions: IAMRolePolicies.requiredPermissions), timeToLive: .seconds(300),
                                     now: { clock.withLock { $0 } })
        #expect(try await source.access(ofRole: role.arn).policies.count == 4)
        try iam.admin(["iam", "delete-role-policy", "--role-name", "max-role", "--policy-name", "objects"])
        clock.withLock { $0 = $0.advanced(by: .seconds(299)) }
        #expect(try await source.access(ofRole: role.arn).policies.count == 4, "read again within the time to live")
        clock.withLock { $0 = $0.advanced(by: .seconds(2)) }
        #expect(try await source.access(ofRole: role.arn).policies.count == 3, "read from IAM once stale")
    }
}

extension MotoIAM {
    /// An IAM client signed as a fresh role holding exactly `permissions`.
    func client(permissions: [String], pageSize: Int? = nil) throws -> IAMClient {
        let environment = try reader(permissions: permissions)
        let credentials = AWSCredentials(accessKeyID: try #require(environment["AWS_ACCESS_KEY_ID"]),
                                         secretAccessKey: try #require(environment["AWS_SECRET_ACCESS_KEY"]),
                                         sessionToken: environment["AWS_SESSION_TOKEN"])
        return IAMClient(endpoint: IAMEndpoint(url: URL(string: moto.endpoint)!, signingRegion: "us-east-1"),
                         credentials: StaticCredentialProvider(credentials, source: "test"), pageSize: pageSize)
    }
}

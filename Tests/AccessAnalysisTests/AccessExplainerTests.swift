import Foundation
import Testing
@testable import AccessAnalysis

/// The explainer from an answer: places, operations and their S3 requests, the text and JSON reports.
@Suite struct AccessExplainerTests {
    static let role = "arn:aws:iam::012345678901:role/TransferUser"

    @Test func answersAreReadFromTheirJSON() throws {
        let path = try TransferAnswer(json: #"{"Role": "\#(Self.role)", "HomeDirectory": "/b/home/jess", "HomeDirectoryType": "PATH", "Policy": "{}"}"#)
        #expect(path.visiblePlaces == [VisiblePlace(entry: "/b/home/jess", target: "/b/home/jess", isFile: false)])
        #expect(path.policy == "{}")
        let details = #"[{\"Entry\": \"/in\", \"Target\": \"/b/in\"}, {\"Entry\": \"/readme.txt\", \"Target\": \"/b/docs/readme.txt\", \"Type\": \"FILE\"}]"#
        let logical = try TransferAnswer(json: #"{"Role": "arn:aws-cn:iam::012345678901:role/R", "HomeDirectoryType": "LOGICAL", "HomeDirectoryDetails": "\#(details)"}"#)
        #expect(logical.isLogical && logical.partition == "aws-cn")
        #expect(logical.visiblePlaces.map(\.isFile) == [false, true])
        #expect(throws: TransferAnswerError("the answer has no Role: the login was denied")) { try TransferAnswer(json: "{}") }
        #expect(throws: TransferAnswerError("the answer is not a JSON object")) { try TransferAnswer(json: "[]") }
        #expect(throws: TransferAnswerError(#"HomeDirectoryDetails must be a JSON array of {"Entry", "Target"} objects"#)) {
            try TransferAnswer(json: #"{"Role": "r", "HomeDirectoryDetails": "{}"}"#)
        }
    }

    @Test func operationsBecomeTheS3RequestsOfTheMapping() {
        let folder = S3Location(bucket: "b", key: "home/jess")
        let list = OperationMapping.requests(for: .list, inDirectory: folder, partition: "aws")
        #expect(list.map(\.resource) == ["arn:aws:s3:::b"])
        #expect(list[0].context.state(of: "s3:prefix") == .present(["home/jess/"]))
        #expect(list[0].context.state(of: "s3:delimiter") == .present(["/"]))
        #expect(list[0].context.state(of: "aws:SourceIp") == .unknown)
        let rename = OperationMapping.requests(for: .rename, inDirectory: folder, partition: "aws")
        #expect(rename.map(\.action) == ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
        #expect(rename.map(\.resource) == ["arn:aws:s3:::b/home/jess/example.txt", "arn:aws:s3:::b/home/jess/example-renamed.txt", "arn:aws:s3:::b/home/jess/example.txt"])
        #expect(OperationMapping.requests(for: .mkdir, inDirectory: folder, partition: "aws").map(\.resource) == ["arn:aws:s3:::b/home/jess/example-folder/"])
        #expect(OperationMapping.requests(for: .upload, inDirectory: S3Location(bucket: "b", key: ""), partition: "aws-cn").map(\.resource) == ["arn:aws-cn:s3:::b/example.txt"])
        #expect(OperationMapping.requests(for: .list, inDirectory: S3Location(bucket: "b", key: ""), partition: "aws")[0].context.state(of: "s3:prefix") == .present([""]))
        #expect(S3Location(path: "/") == nil && S3Location(path: "") == nil)
    }

    @Test func logicalMappingsAreEachExplained() throws {
        let rolePolicy = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"},
          {"Sid": "ReadIn", "Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/in/*", "arn:aws:s3:::b/docs/readme.txt"]},
          {"Sid": "WriteOut", "Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::b/out/*"}
        ]}
        """
        let answer = TransferAnswer(role: Self.role, homeDirectoryType: "LOGICAL", mappings: [
            .init(entry: "/in", target: "/b/in"), .init(entry: "/out", target: "/b/out"), .init(entry: "/readme.txt", target: "/b/docs/readme.txt", type: "FILE"),
        ])
        let report = AccessExplainer(answer: answer, userName: "jess", rolePolicies: [try Fixture.role(rolePolicy)]).report()
        func decisions(_ index: Int) -> [String] { report.places[index].operations.map { "\($0.operation.rawValue)=\($0.decision.rawValue)" } }
        #expect(decisions(0) == ["list=allowed", "download=allowed", "upload=denied", "mkdir=denied", "delete=denied", "rename=denied"])
        #expect(decisions(1) == ["list=allowed", "download=denied", "upload=allowed", "mkdir=allowed", "delete=allowed", "rename=denied"])
        #expect(decisions(2) == ["download=allowed", "upload=denied", "delete=denied"])
        // Rename in /out: the copy's read is what fails, and the report says which request and statement.
        let rename = try #require(report.places[1].operations.first { $0.operation == .rename })
        #expect(rename.requests.map(\.decision) == [.denied, .allowed, .allowed])
        #expect(rename.requests[0].reasons.map(\.text) == [#"role policy statement "ReadIn": arn:aws:s3:::b/out/example.txt is not in Resource ["arn:aws:s3:::b/in/*", "arn:aws:s3:::b/docs/readme.txt"]"#])
    }

    @Test func aUserWithoutAHomeGetsANoteInsteadOfGuesses() throws {
        let report = AccessExplainer(answer: TransferAnswer(role: Self.role), userName: "jess", rolePolicies: nil).report()
        #expect(report.places.count == 1 && report.places[0].operations.isEmpty)
        #expect(report.places[0].note?.contains("starts at /") == true)
    }

    @Test func textReport() throws {
        let session = #"{"Version": "2012-10-17", "Statement": [{"Sid": "Home", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/home/jess/*"]}]}"#
        let answer = TransferAnswer(role: Self.role, policy: session, homeDirectoryType: "PATH", homeDirectory: "/b/home/jess")
        let report = AccessExplainer(answer: answer, userName: "jess", rolePolicies: nil).report()
        #expect(report.text == """
        access for jess: PATH home, role arn:aws:iam::012345678901:role/TransferUser
        policies: session policy (session, \(session.count) characters)
        role policies: unknown: the role's policies are not known

        /b/home/jess
          list                unknown
            unknown: list: s3:ListBucket on arn:aws:s3:::b with s3:delimiter="/" s3:prefix="home/jess/"
              the role's policies are not known
          download            unknown
            unknown: read: s3:GetObject on arn:aws:s3:::b/home/jess/example.txt
              the role's policies are not known
          upload              denied
            denied: write: s3:PutObject on arn:aws:s3:::b/home/jess/example.txt
              session policy: no Allow statement in the session policy names s3:PutObject
          create a directory  denied
            denied: create the folder marker: s3:PutObject on arn:aws:s3:::b/home/jess/example-folder/
              session policy: no Allow statement in the session policy names s3:PutObject
          delete              denied
            denied: delete: s3:DeleteObject on arn:aws:s3:::b/home/jess/example.txt
              session policy: no Allow statement in the session policy names s3:DeleteObject
          rename              denied
            unknown: copy: read the source: s3:GetObject on arn:aws:s3:::b/home/jess/example.txt
              the role's policies are not known
            denied: copy: write the target: s3:PutObject on arn:aws:s3:::b/home/jess/example-renamed.txt
              session policy: no Allow statement in the session policy names s3:PutObject
            denied: delete the source: s3:DeleteObject on arn:aws:s3:::b/home/jess/example.txt
              session policy: no Allow statement in the session policy names s3:DeleteObject

        findings: none
        not checked: bucket policies and S3 access points; permission boundaries, service control policies and resource control policies; KMS key policies for encrypted buckets; S3 Object Ownership, ACLs and Object Lock
        """)
    }

    @Test func jsonReportUsesTheProjectsKeyStyle() throws {
        let answer = TransferAnswer(role: Self.role, homeDirectoryType: "PATH", homeDirectory: "/b/home")
        let report = AccessExplainer(answer: answer, userName: "jess", rolePolicies: [try Fixture.role(Fixture.policy(Fixture.listEverything), name: "all.json")]).report()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any])
        #expect(Set(object.keys) == ["UserName", "Role", "HomeDirectoryType", "Policies", "Directories", "Findings", "NotChecked"])
        let directories = try #require(object["Directories"] as? [[String: Any]])
        let operations = try #require(directories.first?["Operations"] as? [[String: Any]])
        #expect(operations.map { $0["Operation"] as? String } == ["list", "download", "upload", "mkdir", "delete", "rename"])
        #expect(operations.allSatisfy { $0["Decision"] as? String == "allowed" })
        let list = try #require((operations.first?["Requests"] as? [[String: Any]])?.first)
        #expect(list["Context"] as? [String: String] == ["s3:prefix": "home/", "s3:delimiter": "/"])
    }
}

/// Role policies from a source: found, not given, or unreadable (the reason carried into every answer that needs them).
@Suite struct RolePolicySourceTests {
    struct Fixed: RolePolicySource {
        var answers: [String: RolePolicyLookup]
        func lookup(role: String) async -> RolePolicyLookup { answers[role] ?? .notGiven }
    }

    static let role = "arn:aws:iam::012345678901:role/TransferUser"

    @Test func theFirstSourceThatKnowsTheRoleAnswers() async throws {
        let policy = try Fixture.role(Fixture.policy(Fixture.listEverything), name: "all.json")
        let failing = Fixed(answers: [Self.role: .unreadable("IAM refused iam:ListRolePolicies")])
        let files = Fixed(answers: [Self.role: .found([policy])])
        #expect(await RolePolicySources([Fixed(answers: [:]), files, failing]).lookup(role: Self.role) == .found([policy]))
        #expect(await RolePolicySources([failing, files]).lookup(role: Self.role) == .unreadable("IAM refused iam:ListRolePolicies"))
        #expect(await RolePolicySources([Fixed(answers: [:])]).lookup(role: Self.role) == .notGiven)
    }

    @Test func anUnreadableRoleMakesItsAnswersUnknownWithTheReason() async {
        let source = Fixed(answers: [Self.role: .unreadable("IAM refused iam:GetPolicy")])
        let report = await AccessExplainer.report(answer: TransferAnswer(role: Self.role, homeDirectory: "/b/home/jess"), userName: "jess", source: source)
        #expect(report.rolePoliciesUnknown == "could not read the role's policies (IAM refused iam:GetPolicy)")
        #expect(report.text.contains("role policies: unknown: could not read the role's policies (IAM refused iam:GetPolicy)\n"))
        let requests = report.places.flatMap(\.operations).flatMap(\.requests)
        #expect(!requests.isEmpty && requests.allSatisfy { $0.decision == .unknown })
        #expect(requests.allSatisfy { $0.reasons.map(\.text) == ["could not read the role's policies (IAM refused iam:GetPolicy)"] })
    }

    @Test func aPermissionsBoundaryMakesEveryAllowUnknownAndKeepsDenials() async throws {
        let boundary = "the role has a permissions boundary (arn:aws:iam::012345678901:policy/Limit), which the explainer does not evaluate"
        let policy = try Fixture.role(Fixture.policy(
            Fixture.listEverything,
            #"{"Sid": "Keep", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}"#
        ))
        let answer = TransferAnswer(role: Self.role, homeDirectory: "/b/home/jess")
        let plain = await AccessExplainer.report(answer: answer, userName: "jess", source: Fixed(answers: [Self.role: .found([policy])]))
        let bounded = await AccessExplainer.report(answer: answer, userName: "jess",
                                                   source: Fixed(answers: [Self.role: .found([policy], unmodelled: [boundary])]))
        let decisions = { (report: AccessReport) in report.places.flatMap(\.operations).map { "\($0.operation.rawValue) \($0.decision.rawValue)" } }
        #expect(decisions(plain) == ["list allowed", "download allowed", "upload allowed", "mkdir allowed", "delete denied", "rename denied"])
        #expect(decisions(bounded) == ["list unknown", "download unknown", "upload unknown", "mkdir unknown", "delete denied", "rename denied"])
        let requests = bounded.places.flatMap(\.operations).flatMap(\.requests)
        #expect(requests.filter { $0.decision == .unknown }.allSatisfy { $0.reasons.map(\.text) == [boundary] })
        #expect(requests.filter { $0.decision == .denied }.allSatisfy { $0.reasons.map(\.text) == [#"role policy statement "Keep": explicitly denies s3:DeleteObject on arn:aws:s3:::b/home/jess/example.txt"#] })
        #expect(bounded.rolePoliciesUnknown == nil, "the policies themselves are known and evaluated")
    }
}

import Testing
@testable import AccessAnalysis

/// Each finding, made when the mistake is there and not when it is fixed.
@Suite struct FindingTests {
    static let role = "arn:aws:iam::012345678901:role/TransferUser"
    static let goodRole = GuideExampleTests.readWriteRole

    static func findings(home: String = "/amzn-s3-demo-bucket/home/jess", session: String? = nil, rolePolicy: String? = goodRole,
                         logical: [TransferAnswer.Mapping] = []) throws -> [AccessFinding] {
        let answer = logical.isEmpty
            ? TransferAnswer(role: role, policy: session, homeDirectoryType: "PATH", homeDirectory: home)
            : TransferAnswer(role: role, policy: session, homeDirectoryType: "LOGICAL", mappings: logical)
        return AccessExplainer(answer: answer, userName: "jess", rolePolicies: try rolePolicy.map { [try Fixture.role($0, name: "role.json")] }).report().findings
    }

    @Test func listBucketOnAnObjectARN() throws {
        let mistaken = """
        {"Version": "2012-10-17", "Statement": [{"Sid": "All", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}
        """
        let findings = try Self.findings(rolePolicy: mistaken)
        let finding = try #require(findings.first { $0.code == .listBucketOnObjectARN })
        #expect(finding.message.hasPrefix(#"role.json statement "All" allows s3:ListBucket on "arn:aws:s3:::amzn-s3-demo-bucket/*" only"#))
        #expect(finding.fix == #"add the bucket ARN "arn:aws:s3:::amzn-s3-demo-bucket" to that statement's Resource (limit it with an s3:prefix condition)"#)
        #expect(findings.contains { $0.code == .homeBucketNotListable })
        #expect(try Self.findings().isEmpty)
    }

    @Test func placeOutsideEveryAllowedResource() throws {
        let mappings = [TransferAnswer.Mapping(entry: "/in", target: "/amzn-s3-demo-bucket/in"),
                        TransferAnswer.Mapping(entry: "/archive", target: "/archive-bucket/2024")]
        let findings = try Self.findings(logical: mappings)
        #expect(findings.map(\.code) == [.placeOutsideAllowedResources])
        #expect(findings.first?.message == "Target /archive-bucket/2024 (Entry /archive) is outside every Resource that the role's policies allow")
        #expect(findings.first?.fix == #"add "arn:aws:s3:::archive-bucket/2024/*" to the Resource of an Allow statement in the role's policies"#)
        // The session policy is checked on its own.
        let session = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/home/bob/*"}]}"#
        let sessionFindings = try Self.findings(session: session)
        #expect(sessionFindings.map(\.message).contains("home /amzn-s3-demo-bucket/home/jess is outside every Resource that the session policy allow"))
    }

    @Test func sessionPolicyOverTheLimit() throws {
        let padding = String(repeating: " ", count: 2100)
        let long = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]"# + padding + "}"
        let findings = try Self.findings(session: long)
        #expect(findings.map(\.code) == [.sessionPolicyTooLong])
        #expect(findings.first?.message == "the session policy has \(long.count) characters; the service refuses more than 2048")
    }

    @Test func unreadableSessionPolicy() throws {
        let answer = TransferAnswer(role: Self.role, policy: "{not json", homeDirectoryType: "PATH", homeDirectory: "/amzn-s3-demo-bucket/home/jess")
        let report = AccessExplainer(answer: answer, userName: "jess", rolePolicies: [try Fixture.role(Self.goodRole)]).report()
        #expect(report.findings.map(\.code) == [.invalidSessionPolicy])
        #expect(report.places[0].operations.allSatisfy { $0.decision == .unknown })
    }

    @Test func variableSpellings() throws {
        func session(_ resource: String) -> String {
            #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/"# + resource + #""]}]}"#
        }
        let cased = try Self.findings(session: session("home/${Transfer:UserName}/*"))
        #expect(cased.map(\.code) == [.variableWrongCase])
        #expect(cased.first?.fix == "write ${transfer:UserName} exactly")
        let unknown = try Self.findings(session: session("home/${transfer:User}/*"))
        #expect(unknown.contains { $0.code == .unknownVariable && $0.fix.hasPrefix("use one of ${transfer:UserName}") })
        let awsUser = try Self.findings(session: session("home/${aws:username}/*"))
        #expect(awsUser.contains { $0.code == .unknownVariable && $0.fix == "use ${transfer:UserName} in the session policy instead" })
        #expect(try Self.findings(session: session("home/${transfer:UserName}/*")).isEmpty)
    }

    @Test func transferVariablesInTheRolePolicy() throws {
        let rolePolicy = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket"}, {"Effect": "Allow", "Action": "s3:*Object", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/home/${transfer:UserName}/*"}]}"#
        let findings = try Self.findings(rolePolicy: rolePolicy)
        #expect(findings.map(\.code) == [.transferVariableInRolePolicy, .placeOutsideAllowedResources])
    }

    @Test func variablesWithoutTheVersion() throws {
        let session = #"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/home/${transfer:UserName}/*"]}]}"#
        let findings = try Self.findings(session: session)
        #expect(findings.first?.code == .variablesNeedVersion)
        #expect(findings.first?.message == "session policy uses ${transfer:UserName} but its Version is missing, so IAM reads them as plain text")
    }

    @Test func prefixConditionThatCannotMatchTheHome() throws {
        let session = #"{"Version": "2012-10-17", "Statement": [{"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket", "Condition": {"StringEquals": {"s3:prefix": "home/jess"}}}, {"Effect": "Allow", "Action": "s3:*Object", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/home/jess/*"}]}"#
        let findings = try Self.findings(session: session)
        #expect(findings.map(\.code) == [.prefixConditionCannotMatch])
        #expect(findings.first?.fix == #"let the s3:prefix condition match the folder, e.g. StringLike s3:prefix ["home/jess/", "home/jess/*"]"#)
    }

    @Test func noFindingsWhenTheRoleIsUnknown() throws {
        #expect(try Self.findings(rolePolicy: nil).isEmpty)
    }
}

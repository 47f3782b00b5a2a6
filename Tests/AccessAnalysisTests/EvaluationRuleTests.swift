import Testing
@testable import AccessAnalysis

/// IAM's evaluation rules, one by one.
@Suite struct EvaluationRuleTests {
    let allowHome = Fixture.policy(#"{"Sid": "Home", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket/home/*"}"#)

    @Test func allowNeededFromTheRole() throws {
        #expect(try Fixture.decide(role: [allowHome], Fixture.get("home/jess/a")).decision == .allowed)
        let outside = try Fixture.decide(role: [allowHome], Fixture.get("other/a"))
        #expect(outside.decision == .denied)
        #expect(outside.reasons == [AccessReason(policy: "role policy 1", statement: "\"Home\"", element: .resource,
                                                 detail: #"arn:aws:s3:::bucket/other/a is not in Resource "arn:aws:s3:::bucket/home/*""#)])
        let noAction = try Fixture.decide(role: [allowHome], Fixture.list("home/"))
        #expect(noAction.decision == .denied)
        #expect(noAction.reasons.map(\.detail) == ["no Allow statement in the role's policies names s3:ListBucket"])
    }

    @Test func anAllowInAnyRolePolicyIsEnough() throws {
        let other = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket"}"#)
        #expect(try Fixture.decide(role: [allowHome, other], Fixture.list("home/")).decision == .allowed)
    }

    @Test func explicitDenyWinsWherever() throws {
        let deny = #"{"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket/home/secret/*"}"#
        let roleDenies = try Fixture.decide(role: [Fixture.policy(Fixture.listEverything, deny)], Fixture.get("home/secret/x"))
        #expect(roleDenies.decision == .denied)
        #expect(roleDenies.reasons.first?.statement == "\"NoSecrets\"")
        #expect(roleDenies.reasons.first?.detail == "explicitly denies s3:GetObject on arn:aws:s3:::bucket/home/secret/x")
        let sessionDenies = try Fixture.decide(role: [Fixture.policy(Fixture.listEverything)],
                                               session: Fixture.policy(Fixture.listEverything, deny), Fixture.get("home/secret/x"))
        #expect(sessionDenies.decision == .denied)
        #expect(sessionDenies.reasons.first?.policy == "session policy")
    }

    @Test func theSessionPolicyMustAlsoAllow() throws {
        let session = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/home/jess/*"}"#)
        #expect(try Fixture.decide(role: [Fixture.policy(Fixture.listEverything)], session: session, Fixture.get("home/jess/a")).decision == .allowed)
        let put = try Fixture.decide(role: [Fixture.policy(Fixture.listEverything)], session: session, Fixture.put("home/jess/a"))
        #expect(put.decision == .denied)
        #expect(put.reasons.map(\.detail) == ["no Allow statement in the session policy names s3:PutObject"])
        // A session policy grants nothing the role does not.
        #expect(try Fixture.decide(role: [allowHome], session: Fixture.policy(Fixture.listEverything), Fixture.list("")).decision == .denied)
    }

    @Test func unknownRolePoliciesLeaveAllowsUnknownButNotSessionDenials() throws {
        let session = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/home/jess/*"}"#)
        let read = try Fixture.decide(role: nil, session: session, Fixture.get("home/jess/a"))
        #expect(read.decision == .unknown)
        #expect(read.reasons.map(\.detail) == ["the role's policies are not known"])
        #expect(try Fixture.decide(role: nil, session: session, Fixture.put("home/jess/a")).decision == .denied)
    }

    @Test func notActionAndNotResource() throws {
        let allButDelete = Fixture.policy(#"{"Effect": "Allow", "NotAction": "s3:Delete*", "Resource": "*"}"#)
        #expect(try Fixture.decide(role: [allButDelete], Fixture.get("a")).decision == .allowed)
        let delete = S3Request(step: "delete", action: "s3:DeleteObject", resource: "arn:aws:s3:::bucket/a", context: RequestContext())
        let denied = try Fixture.decide(role: [allButDelete], delete)
        #expect(denied.decision == .denied)
        let notResource = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::bucket/private/*"}"#)
        #expect(try Fixture.decide(role: [notResource], Fixture.get("public/a")).decision == .allowed)
        let privateRead = try Fixture.decide(role: [notResource], Fixture.get("private/a"))
        #expect(privateRead.decision == .denied)
        #expect(privateRead.reasons.first?.detail == #"arn:aws:s3:::bucket/private/a is in NotResource "arn:aws:s3:::bucket/private/*""#)
        // A Deny with NotResource denies everything else.
        let fence = Fixture.policy(Fixture.listEverything, #"{"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"]}"#)
        #expect(try Fixture.decide(role: [fence], Fixture.get("a", bucket: "other")).decision == .denied)
        #expect(try Fixture.decide(role: [fence], Fixture.get("a")).decision == .allowed)
    }

    @Test func actionNamesIgnoreCaseAndResourcesDoNot() throws {
        let mixed = Fixture.policy(#"{"Effect": "Allow", "Action": "S3:getobject", "Resource": "arn:aws:s3:::Bucket/*"}"#)
        #expect(try Fixture.decide(role: [mixed], Fixture.get("a", bucket: "Bucket")).decision == .allowed)
        #expect(try Fixture.decide(role: [mixed], Fixture.get("a", bucket: "bucket")).decision == .denied)
    }

    @Test func sessionVariablesAreSubstituted() throws {
        let session = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::${transfer:HomeBucket}/${transfer:HomeFolder}/*", "arn:aws:s3:::${transfer:HomeBucket}/shared/${transfer:UserName}/*"]}"#)
        let role = [Fixture.policy(Fixture.listEverything)]
        #expect(try Fixture.decide(role: role, session: session, Fixture.get("home/jess/a")).decision == .allowed)
        #expect(try Fixture.decide(role: role, session: session, Fixture.get("shared/jess/a")).decision == .allowed)
        #expect(try Fixture.decide(role: role, session: session, Fixture.get("home/bob/a")).decision == .denied)
        let home = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${transfer:HomeDirectory}/*"}"#)
        #expect(try Fixture.decide(role: role, session: home, Fixture.get("home/jess/a")).decision == .allowed)
    }

    @Test func aUsernameWithAWildcardMatchesOnlyItself() throws {
        let session = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${transfer:UserName}/*"}"#)
        let role = [Fixture.policy(Fixture.listEverything)]
        #expect(try Fixture.decide(role: role, session: session, user: "j*", Fixture.get("jess/a")).decision == .denied)
        #expect(try Fixture.decide(role: role, session: session, user: "j*", Fixture.get("j*/a")).decision == .allowed)
    }

    @Test func transferVariablesInTheRolePolicyMatchNothing() throws {
        let role = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${transfer:UserName}/*"}"#)
        let verdict = try Fixture.decide(role: [role], Fixture.get("jess/a"))
        #expect(verdict.decision == .denied)
        #expect(verdict.reasons.first?.detail.contains("only substituted in the session policy") == true)
    }

    @Test func wronglyCasedVariablesAreUnknownAndUnknownNamesMatchNothing() throws {
        let role = [Fixture.policy(Fixture.listEverything)]
        let cased = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${Transfer:UserName}/*"}"#)
        let verdict = try Fixture.decide(role: role, session: cased, Fixture.get("jess/a"))
        #expect(verdict.decision == .unknown)
        #expect(verdict.reasons.first?.detail.contains("${transfer:UserName}") == true)
        let unknownName = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${transfer:Username2}/*"}"#)
        #expect(try Fixture.decide(role: role, session: unknownName, Fixture.get("jess/a")).decision == .denied)
        let awsUser = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:username}/*"}"#)
        #expect(try Fixture.decide(role: role, session: awsUser, Fixture.get("jess/a")).decision == .denied)
        let awsOther = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:userid}/*"}"#)
        #expect(try Fixture.decide(role: role, session: awsOther, Fixture.get("jess/a")).decision == .unknown)
    }

    @Test func defaultsSpecialCharactersAndTheOldVersion() throws {
        let role = [Fixture.policy(Fixture.listEverything)]
        let fallback = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:username, 'nobody'}/*"}"#)
        #expect(try Fixture.decide(role: role, session: fallback, Fixture.get("nobody/a")).decision == .allowed)
        let star = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${*}/*"}"#)
        #expect(try Fixture.decide(role: role, session: star, Fixture.get("*/a")).decision == .allowed)
        #expect(try Fixture.decide(role: role, session: star, Fixture.get("x/a")).decision == .denied)
        let old = #"{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${transfer:UserName}/*"}}"#
        #expect(try Fixture.decide(role: role, session: old, Fixture.get("jess/a")).decision == .denied)
        #expect(try Fixture.decide(role: role, session: old, Fixture.get("${transfer:UserName}/a")).decision == .allowed)
    }

    @Test func homeVariablesOfAUserWithoutAPathHomeAreUnknown() throws {
        let session = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${transfer:HomeBucket}/*"}"#)
        let verdict = try Fixture.decide(role: [Fixture.policy(Fixture.listEverything)], session: session, home: nil, Fixture.get("a"))
        #expect(verdict.decision == .unknown)
    }

    @Test func anUndecidableDenyMakesAnAllowUnknown() throws {
        let role = Fixture.policy(Fixture.listEverything, #"{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#)
        let verdict = try Fixture.decide(role: [role], Fixture.get("a"))
        #expect(verdict.decision == .unknown)
        #expect(verdict.reasons.first?.detail == "this Deny may apply: condition key aws:SecureTransport (Bool) is not known for this request")
    }
}

/// Each condition operator, on the keys the explainer knows.
@Suite struct ConditionOperatorTests {
    static func decide(_ condition: String, _ request: S3Request) throws -> Decision {
        let role = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": "# + condition + "}")
        return try Fixture.decide(role: [role], request).decision
    }

    @Test(arguments: [
        (#"{"StringEquals": {"s3:prefix": "home/jess/"}}"#, "home/jess/", Decision.allowed),
        (#"{"StringEquals": {"s3:prefix": "home/jess/"}}"#, "home/Jess/", .denied),
        (#"{"StringEquals": {"s3:prefix": ["a/", "home/jess/"]}}"#, "home/jess/", .allowed),
        (#"{"StringEquals": {"s3:prefix": "home/*"}}"#, "home/jess/", .denied),
        (#"{"StringNotEquals": {"s3:prefix": "home/jess/"}}"#, "home/jess/", .denied),
        (#"{"StringNotEquals": {"s3:prefix": ["a", "b"]}}"#, "home/jess/", .allowed),
        (#"{"StringEqualsIgnoreCase": {"s3:prefix": "HOME/JESS/"}}"#, "home/jess/", .allowed),
        (#"{"StringNotEqualsIgnoreCase": {"s3:prefix": "HOME/JESS/"}}"#, "home/jess/", .denied),
        (#"{"StringLike": {"s3:prefix": ["home/jess/*", "home/jess"]}}"#, "home/jess/sub/", .allowed),
        (#"{"StringLike": {"s3:prefix": ["home/jess/*", "home/jess"]}}"#, "home/jessica/", .denied),
        (#"{"StringLike": {"s3:prefix": "home/?ess/"}}"#, "home/tess/", .allowed),
        (#"{"StringNotLike": {"s3:prefix": "home/*"}}"#, "home/jess/", .denied),
        (#"{"StringNotLike": {"s3:prefix": "tmp/*"}}"#, "home/jess/", .allowed),
        (#"{"StringEquals": {"s3:delimiter": "/"}}"#, "x/", .allowed),
        (#"{"StringEquals": {"S3:Prefix": "x/"}}"#, "x/", .allowed),
        (#"{"StringLike": {"s3:prefix": "${transfer:HomeFolder}/*"}}"#, "home/jess/", .denied),
        (#"{"StringEquals": {"s3:prefix": "", "s3:delimiter": "/"}}"#, "", .allowed),
        (#"{"StringEquals": {"s3:prefix": "", "s3:delimiter": "|"}}"#, "", .denied),
    ])
    func stringOperatorsOnAListing(condition: String, prefix: String, expected: Decision) throws {
        #expect(try Self.decide(condition, Fixture.list(prefix)) == expected)
    }

    @Test func variablesInConditionValuesFollowThePolicyOrigin() throws {
        let session = Fixture.policy(#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": ["${transfer:HomeFolder}/*", "${transfer:HomeFolder}"]}}}"#)
        let role = [Fixture.policy(Fixture.listEverything)]
        #expect(try Fixture.decide(role: role, session: session, Fixture.list("home/jess/")).decision == .allowed)
        #expect(try Fixture.decide(role: role, session: session, Fixture.list("home/jess")).decision == .allowed)
        #expect(try Fixture.decide(role: role, session: session, Fixture.list("home/")).decision == .denied)
    }

    @Test func absentKeysDependOnTheOperatorForm() throws {
        let objectRequest = Fixture.get("a")  // s3:prefix is absent from object requests
        #expect(try Self.decide(#"{"StringLike": {"s3:prefix": "*"}}"#, objectRequest) == .denied)
        #expect(try Self.decide(#"{"StringLikeIfExists": {"s3:prefix": "home/*"}}"#, objectRequest) == .allowed)
        #expect(try Self.decide(#"{"StringLikeIfExists": {"s3:prefix": "home/*"}}"#, Fixture.list("tmp/")) == .denied)
        #expect(try Self.decide(#"{"StringNotEquals": {"s3:prefix": "x"}}"#, objectRequest) == .allowed)
        #expect(try Self.decide(#"{"StringNotLike": {"s3:prefix": "x*"}}"#, objectRequest) == .allowed)
        #expect(try Self.decide(#"{"StringEqualsIfExists": {"s3:delimiter": "/"}}"#, objectRequest) == .allowed)
        #expect(try Self.decide(#"{"ArnLikeIfExists": {"s3:prefix": "arn:*"}}"#, objectRequest) == .allowed)
        #expect(try Self.decide(#"{"BoolIfExists": {"s3:prefix": "true"}}"#, objectRequest) == .allowed)
    }

    @Test func nullTestsPresence() throws {
        #expect(try Self.decide(#"{"Null": {"s3:prefix": "true"}}"#, Fixture.get("a")) == .allowed)
        #expect(try Self.decide(#"{"Null": {"s3:prefix": "false"}}"#, Fixture.get("a")) == .denied)
        #expect(try Self.decide(#"{"Null": {"s3:prefix": "false"}}"#, Fixture.list("x/")) == .allowed)
        #expect(try Self.decide(#"{"Null": {"s3:prefix": "true"}}"#, Fixture.list("x/")) == .denied)
        #expect(try Self.decide(#"{"Null": {"s3:prefix": "maybe"}}"#, Fixture.list("x/")) == .unknown)
        #expect(try Self.decide(#"{"Null": {"aws:SourceIp": "true"}}"#, Fixture.list("x/")) == .unknown)
        #expect(try Self.decide(#"{"NullIfExists": {"s3:prefix": "true"}}"#, Fixture.list("x/")) == .unknown)
    }

    @Test func boolComparesTrueAndFalse() throws {
        let request = Fixture.with(["test:flag": ["true"]])
        #expect(try Self.decide(#"{"Bool": {"test:flag": true}}"#, request) == .allowed)
        #expect(try Self.decide(#"{"Bool": {"test:flag": "TRUE"}}"#, request) == .allowed)
        #expect(try Self.decide(#"{"Bool": {"test:flag": "false"}}"#, request) == .denied)
        #expect(try Self.decide(#"{"Bool": {"test:flag": "true"}}"#, Fixture.with([:], absent: ["test:flag"])) == .denied)
    }

    @Test func arnOperatorsCompareEachPart() throws {
        let request = Fixture.with(["test:arn": ["arn:aws:iam::012345678901:role/Transfer"]])
        #expect(try Self.decide(#"{"ArnLike": {"test:arn": "arn:aws:iam::*:role/Trans*"}}"#, request) == .allowed)
        #expect(try Self.decide(#"{"ArnEquals": {"test:arn": "arn:aws:iam::012345678901:role/Transfer"}}"#, request) == .allowed)
        #expect(try Self.decide(#"{"ArnLike": {"test:arn": "arn:aws:iam::*"}}"#, request) == .denied)
        #expect(try Self.decide(#"{"ArnLike": {"test:arn": "arn:*:iam::012345678901:role/*"}}"#, request) == .allowed)
        #expect(try Self.decide(#"{"ArnNotLike": {"test:arn": "arn:aws:iam::*:role/Other"}}"#, request) == .allowed)
        #expect(try Self.decide(#"{"ArnNotEquals": {"test:arn": "arn:aws:iam::012345678901:role/Transfer"}}"#, request) == .denied)
        #expect(try Self.decide(#"{"ArnLike": {"test:arn": "arn:aws:iam::012345678901:role/transfer"}}"#, request) == .denied)
    }

    @Test func setQualifiersOnMultiValuedKeys() throws {
        let tags = Fixture.with(["test:tags": ["a", "b"]])
        let empty = Fixture.with([:], absent: ["test:tags"])
        #expect(try Self.decide(#"{"ForAnyValue:StringEquals": {"test:tags": ["b", "c"]}}"#, tags) == .allowed)
        #expect(try Self.decide(#"{"ForAnyValue:StringEquals": {"test:tags": ["c"]}}"#, tags) == .denied)
        #expect(try Self.decide(#"{"ForAnyValue:StringEquals": {"test:tags": ["c"]}}"#, empty) == .denied)
        #expect(try Self.decide(#"{"ForAllValues:StringEquals": {"test:tags": ["a", "b", "c"]}}"#, tags) == .allowed)
        #expect(try Self.decide(#"{"ForAllValues:StringEquals": {"test:tags": ["a"]}}"#, tags) == .denied)
        #expect(try Self.decide(#"{"ForAllValues:StringEquals": {"test:tags": ["a"]}}"#, empty) == .allowed)
        #expect(try Self.decide(#"{"ForAnyValue:StringNotLike": {"test:tags": ["a*"]}}"#, tags) == .allowed)
        #expect(try Self.decide(#"{"ForAllValues:StringNotLike": {"test:tags": ["a*"]}}"#, tags) == .denied)
        #expect(try Self.decide(#"{"ForAllValues:StringLike": {"test:tags": ["*"]}}"#, tags) == .allowed)
        #expect(try Self.decide(#"{"ForAnyValue:StringLikeIfExists": {"test:tags": ["x"]}}"#, empty) == .allowed)
    }

    @Test func everyOperatorAndKeyMustHold() throws {
        #expect(try Self.decide(#"{"StringLike": {"s3:prefix": "home/*"}, "StringEquals": {"s3:delimiter": "/"}}"#, Fixture.list("home/x/")) == .allowed)
        #expect(try Self.decide(#"{"StringLike": {"s3:prefix": "home/*"}, "StringEquals": {"s3:delimiter": "|"}}"#, Fixture.list("home/x/")) == .denied)
        // A definite failure decides even next to an unknown key.
        #expect(try Self.decide(#"{"StringLike": {"s3:prefix": "tmp/*"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#, Fixture.list("home/x/")) == .denied)
    }

    @Test func unmodelledOperatorsAndKeysAreUnknown() throws {
        #expect(try Self.decide(#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#, Fixture.list("x/")) == .unknown)
        #expect(try Self.decide(#"{"NumericLessThan": {"s3:max-keys": "10"}}"#, Fixture.list("x/")) == .unknown)
        #expect(try Self.decide(#"{"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}"#, Fixture.put("x")) == .unknown)
        #expect(try Self.decide(#"{"StringEquals": {"aws:PrincipalTag/team": "x"}}"#, Fixture.list("x/")) == .unknown)
        let unknownValue = try Self.decide(#"{"StringEquals": {"s3:prefix": "${aws:userid}/"}}"#, Fixture.list("x/"))
        #expect(unknownValue == .unknown)
    }
}

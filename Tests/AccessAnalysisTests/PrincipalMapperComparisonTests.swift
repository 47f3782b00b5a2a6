import Foundation
import PeerTesting
import Testing
@testable import AccessAnalysis

/// The same cases decided by a second evaluator: principalmapper's local policy simulation (PyPI
/// `principalmapper`, nccgroup's PMapper), which evaluates Effect, Action/NotAction, Resource/NotResource and
/// conditions by itself.
///
/// PMapper does not know Transfer's variables, so its copy of a session policy has them written out; and it differs
/// from IAM where docs/access.md says (resources compared ignoring case, `StringNotLike` on an absent key), so no case
/// here depends on those.
@Suite struct PrincipalMapperComparisonTests {
    struct Case: Sendable {
        var name: String
        var role: [String]
        var session: String?
        var home = "/bucket/home/jess/"
        var request: S3Request
    }

    static let readWrite = GuideExampleTests.readWriteRole.replacingOccurrences(of: "amzn-s3-demo-bucket", with: "bucket")
    static let homeSession = GuideExampleTests.homeSessionPolicy
    static let all = Fixture.policy(Fixture.listEverything)

    static func conditioned(_ condition: String) -> String {
        Fixture.policy(#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": "# + condition + "}")
    }

    static let cases: [Case] = [
        Case(name: "role lists its bucket", role: [readWrite], request: Fixture.list("home/jess/")),
        Case(name: "role reads its bucket", role: [readWrite], request: Fixture.get("home/jess/a")),
        Case(name: "role writes its bucket", role: [readWrite], request: Fixture.put("x/y")),
        Case(name: "role cannot read elsewhere", role: [readWrite], request: Fixture.get("a", bucket: "other")),
        Case(name: "session lists the home", role: [readWrite], session: homeSession, request: Fixture.list("home/jess/")),
        Case(name: "session lists below the home", role: [readWrite], session: homeSession, home: "/bucket/home/jess", request: Fixture.list("home/jess/sub/")),
        Case(name: "session refuses another home", role: [readWrite], session: homeSession, request: Fixture.list("home/bob/")),
        Case(name: "session reads the home", role: [readWrite], session: homeSession, request: Fixture.get("home/jess/a")),
        Case(name: "session refuses another's file", role: [readWrite], session: homeSession, request: Fixture.get("home/bob/a")),
        Case(name: "sibling reached without the slash", role: [readWrite], session: homeSession, home: "/bucket/home/jess", request: Fixture.get("home/jessica/a")),
        Case(name: "role deny wins", role: [Fixture.policy(Fixture.listEverything, #"{"Effect": "Deny", "Action": "s3:Get*", "Resource": "arn:aws:s3:::bucket/private/*"}"#)], request: Fixture.get("private/a")),
        Case(name: "session deny wins", role: [all], session: Fixture.policy(Fixture.listEverything, #"{"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}"#), request: Fixture.put("a")),
        Case(name: "session cannot widen the role", role: [readWrite], session: all, request: Fixture.get("a", bucket: "other")),
        Case(name: "NotAction allows others", role: [Fixture.policy(#"{"Effect": "Allow", "NotAction": "s3:Put*", "Resource": "*"}"#)], request: Fixture.get("a")),
        Case(name: "NotAction excludes", role: [Fixture.policy(#"{"Effect": "Allow", "NotAction": "s3:Put*", "Resource": "*"}"#)], request: Fixture.put("a")),
        Case(name: "NotResource allows others", role: [Fixture.policy(#"{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::bucket/private/*"}"#)], request: Fixture.get("public/a")),
        Case(name: "NotResource excludes", role: [Fixture.policy(#"{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::bucket/private/*"}"#)], request: Fixture.get("private/a")),
        Case(name: "action names ignore case", role: [Fixture.policy(#"{"Effect": "Allow", "Action": "S3:GETOBJECT", "Resource": "*"}"#)], request: Fixture.get("a")),
        Case(name: "? wildcard", role: [Fixture.policy(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/???/*"}"#)], request: Fixture.get("abc/d")),
        Case(name: "StringEquals holds", role: [conditioned(#"{"StringEquals": {"s3:prefix": "home/jess/"}}"#)], request: Fixture.list("home/jess/")),
        Case(name: "StringEquals fails", role: [conditioned(#"{"StringEquals": {"s3:prefix": "home/jess"}}"#)], request: Fixture.list("home/jess/")),
        Case(name: "StringNotEquals", role: [conditioned(#"{"StringNotEquals": {"s3:prefix": "home/bob/"}}"#)], request: Fixture.list("home/jess/")),
        Case(name: "StringNotEquals absent key", role: [conditioned(#"{"StringNotEquals": {"s3:prefix": "home/bob/"}}"#)], request: Fixture.get("a")),
        Case(name: "StringEqualsIgnoreCase", role: [conditioned(#"{"StringEqualsIgnoreCase": {"s3:prefix": "HOME/JESS/"}}"#)], request: Fixture.list("home/jess/")),
        Case(name: "StringLike", role: [conditioned(#"{"StringLike": {"s3:prefix": ["home/jess/*"]}}"#)], request: Fixture.list("home/jess/x/")),
        Case(name: "StringLike absent key", role: [conditioned(#"{"StringLike": {"s3:prefix": ["*"]}}"#)], request: Fixture.get("a")),
        Case(name: "StringLikeIfExists absent key", role: [conditioned(#"{"StringLikeIfExists": {"s3:prefix": ["home/*"]}}"#)], request: Fixture.get("a")),
        Case(name: "StringNotLike present", role: [conditioned(#"{"StringNotLike": {"s3:prefix": ["home/*"]}}"#)], request: Fixture.list("home/jess/")),
        Case(name: "Null true on an object request", role: [conditioned(#"{"Null": {"s3:prefix": "true"}}"#)], request: Fixture.get("a")),
        Case(name: "Null false on a listing", role: [conditioned(#"{"Null": {"s3:prefix": "false"}}"#)], request: Fixture.list("x/")),
        Case(name: "Bool", role: [conditioned(#"{"Bool": {"test:flag": "true"}}"#)], request: Fixture.with(["test:flag": ["true"]])),
        Case(name: "ArnLike", role: [conditioned(#"{"ArnLike": {"test:arn": "arn:aws:iam::*:role/Trans*"}}"#)], request: Fixture.with(["test:arn": ["arn:aws:iam::012345678901:role/Transfer"]])),
        Case(name: "ForAnyValue", role: [conditioned(#"{"ForAnyValue:StringEquals": {"test:tags": ["b", "c"]}}"#)], request: Fixture.with(["test:tags": ["a", "b"]])),
        Case(name: "ForAllValues fails", role: [conditioned(#"{"ForAllValues:StringEquals": {"test:tags": ["a"]}}"#)], request: Fixture.with(["test:tags": ["a", "b"]])),
        Case(name: "ForAllValues holds", role: [conditioned(#"{"ForAllValues:StringLike": {"test:tags": ["*"]}}"#)], request: Fixture.with(["test:tags": ["a", "b"]])),
        Case(name: "two operators", role: [conditioned(#"{"StringLike": {"s3:prefix": "home/*"}, "StringEquals": {"s3:delimiter": "|"}}"#)], request: Fixture.list("home/x/")),
    ]

    /// Decides every case with PMapper: denied when any policy has a matching Deny, allowed when the role's policies
    /// and the session policy (if any) each have a matching Allow.
    static let script = #"""
    import collections, collections.abc, json, sys
    # principalmapper 1.1.5 still imports these from collections (removed in Python 3.10).
    for name in ("Mapping", "MutableMapping"):
        setattr(collections, name, getattr(collections.abc, name))
    from principalmapper.querying.local_policy_simulation import policy_has_matching_statement
    from principalmapper.util.case_insensitive_dict import CaseInsensitiveDict

    results = []
    for case in json.load(sys.stdin):
        context = CaseInsensitiveDict({k: (v[0] if len(v) == 1 else v) for k, v in case["context"].items()})
        def matches(policy, effect):
            return policy_has_matching_statement(policy, effect, case["action"], case["resource"], context)
        policies = case["role"] + ([case["session"]] if case["session"] else [])
        if any(matches(p, "Deny") for p in policies):
            results.append("denied")
        elif any(matches(p, "Allow") for p in case["role"]) and (case["session"] is None or matches(case["session"], "Allow")):
            results.append("allowed")
        else:
            results.append("denied")
    print(json.dumps(results))
    """#

    /// The session policy with Transfer's variables written out, as PMapper cannot substitute them.
    static func writtenOut(_ session: String, home: String) -> String {
        let directory = String(home.dropFirst())
        let parts = directory.split(separator: "/", maxSplits: 1)
        return session
            .replacingOccurrences(of: "${transfer:UserName}", with: "jess")
            .replacingOccurrences(of: "${transfer:HomeDirectory}", with: directory)
            .replacingOccurrences(of: "${transfer:HomeBucket}", with: String(parts[0]))
            .replacingOccurrences(of: "${transfer:HomeFolder}", with: parts.count > 1 ? String(parts[1]) : "")
    }

    @Test func bothEvaluatorsAgree() throws {
        var payload: [[String: Any]] = []
        var ours: [String] = []
        for item in Self.cases {
            let verdict = try Fixture.decide(role: item.role, session: item.session, home: item.home, item.request)
            #expect(verdict.decision != .unknown, "\(item.name): ours must be definite to compare: \(verdict.reasons)")
            ours.append(verdict.decision.rawValue)
            let context = Dictionary(uniqueKeysWithValues: item.request.context.presentValues.map { ($0.key, $0.values) })
            payload.append([
                "role": try item.role.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) },
                "session": try item.session.map { try JSONSerialization.jsonObject(with: Data(Self.writtenOut($0, home: item.home).utf8)) } ?? NSNull(),
                "action": item.request.action, "resource": item.request.resource, "context": context,
            ])
        }
        let input = String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self)
        let output = try ExternalProcess.python(Self.script, input: input)
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String])
        #expect(theirs.count == Self.cases.count)
        for (index, item) in Self.cases.enumerated() {
            #expect(ours[index] == theirs[index], "\(item.name): ours \(ours[index]), PMapper \(theirs[index])")
        }
        // Both sides decide both ways: the comparison could fail.
        #expect(Set(ours) == ["allowed", "denied"])
    }
}

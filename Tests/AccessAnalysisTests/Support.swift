@testable import AccessAnalysis

/// Builds policies and requests for the rule tests.
enum Fixture {
    static func role(_ text: String, name: String = "role policy") throws -> NamedPolicy {
        try NamedPolicy(name: name, origin: .role, parsing: text)
    }

    static func session(_ text: String) throws -> NamedPolicy {
        try NamedPolicy(name: "session policy", origin: .session, parsing: text)
    }

    /// One statement wrapped in a 2012-10-17 policy.
    static func policy(_ statements: String...) -> String {
        #"{"Version": "2012-10-17", "Statement": ["# + statements.joined(separator: ", ") + "]}"
    }

    static let listEverything = #"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#

    /// The decision for one request under `role` (nil: unknown role policies) and `session`.
    static func decide(role: [String]?, session: String? = nil, user: String = "jess", home: String? = "/bucket/home/jess",
                       _ request: S3Request) throws -> RequestVerdict {
        let evaluator = PolicyEvaluator(
            rolePolicies: try role.map { try $0.enumerated().map { try Fixture.role($1, name: "role policy \($0 + 1)") } },
            sessionPolicy: try session.map(Fixture.session),
            variables: PolicyVariables(userName: user, home: home, awsValues: ["aws:PrincipalType": "AssumedRole"])
        )
        return evaluator.evaluate(request)
    }

    static func get(_ key: String, bucket: String = "bucket") -> S3Request {
        S3Request(step: "read", action: "s3:GetObject", resource: "arn:aws:s3:::\(bucket)/\(key)",
                  context: RequestContext(absent: ["s3:prefix", "s3:delimiter"]))
    }

    static func put(_ key: String, bucket: String = "bucket") -> S3Request {
        S3Request(step: "write", action: "s3:PutObject", resource: "arn:aws:s3:::\(bucket)/\(key)",
                  context: RequestContext(absent: ["s3:prefix", "s3:delimiter"]))
    }

    static func list(_ prefix: String, bucket: String = "bucket") -> S3Request {
        S3Request(step: "list", action: "s3:ListBucket", resource: "arn:aws:s3:::\(bucket)",
                  context: RequestContext(values: ["s3:prefix": [prefix], "s3:delimiter": ["/"]]))
    }

    /// A request with a made-up context, for the condition operators.
    static func with(_ values: [String: [String]], absent: Set<String> = []) -> S3Request {
        S3Request(step: "test", action: "s3:GetObject", resource: "arn:aws:s3:::bucket/key", context: RequestContext(values: values, absent: absent))
    }
}

import Testing
@testable import AccessAnalysis

@Suite struct PolicyDocumentTests {
    @Test func statementAsObjectOrArrayAndStringsOrArrays() throws {
        let single = try PolicyDocument(parsing: #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#)
        #expect(single.statements.count == 1)
        #expect(single.statements[0].actions == .listed(["s3:GetObject"]))
        #expect(single.substitutesVariables)
        let many = try PolicyDocument(parsing: #"{"Statement": [{"Sid": "A", "Effect": "Deny", "NotAction": ["s3:Get*", "s3:List*"], "NotResource": ["arn:aws:s3:::b"], "Principal": "*"}, {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": true}, "StringLike": {"s3:prefix": ["a/*", "b"]}}}]}"#)
        #expect(many.version == nil && !many.substitutesVariables)
        #expect(many.statements[0].label == "\"A\"")
        #expect(many.statements[0].actions == .allExcept(["s3:Get*", "s3:List*"]))
        #expect(many.statements[0].resources == .allExcept(["arn:aws:s3:::b"]))
        #expect(many.statements[1].label == "#2")
        #expect(many.statements[1].conditions == [
            ConditionClause(operatorName: "Bool", key: "aws:SecureTransport", values: ["true"]),
            ConditionClause(operatorName: "StringLike", key: "s3:prefix", values: ["a/*", "b"]),
        ])
    }

    @Test(arguments: [
        ("not json", "the policy is not valid JSON"),
        (#"["x"]"#, "the policy must be a JSON object, not an array"),
        (#"{"Version": "2012-10-17"}"#, "the policy has no Statement"),
        (#"{"Statement": []}"#, "Statement must hold at least one statement"),
        (#"{"Statement": "x"}"#, "Statement must be an object or an array of objects, not a string"),
        (#"{"Statement": [{"Effect": "allow", "Action": "*", "Resource": "*"}]}"#, #"statement 1: Effect must be "Allow" or "Deny" (case-sensitive), not "allow""#),
        (#"{"Statement": [{"Action": "*", "Resource": "*"}]}"#, #"statement 1: Effect is required and must be "Allow" or "Deny""#),
        (#"{"Statement": [{"Sid": "S", "Effect": "Allow", "Action": "*", "NotAction": "s3:*", "Resource": "*"}]}"#, #"statement 1 ("S"): it may have Action or NotAction, not both"#),
        (#"{"Statement": [{"Effect": "Allow", "Action": "*"}, {"Effect": "Allow"}]}"#, "statement 1: it needs Resource or NotResource"),
        (#"{"Statement": [{"Effect": "Allow", "Action": [], "Resource": "*"}]}"#, "statement 1: Action must be a string or a non-empty array of strings"),
        (#"{"Statement": [{"Effect": "Allow", "Action": [1], "Resource": "*"}]}"#, "statement 1: Action must be a string or a non-empty array of strings"),
        (#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": []}]}"#, "statement 1: Condition must be an object of operators"),
        (#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringLike": "x"}}]}"#, "statement 1: Condition StringLike must be an object of condition keys"),
        (#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": {"a": 1}}}}]}"#, "statement 1: Condition StringLike s3:prefix must be a string, number, boolean or an array of them"),
        (#"{"Version": 2012, "Statement": []}"#, "Version must be a string, not a number"),
    ])
    func badDocumentsNameTheStatementAndRule(text: String, message: String) {
        #expect(throws: PolicyDocumentError.self) { try PolicyDocument(parsing: text) }
        do {
            _ = try PolicyDocument(parsing: text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func namedPolicyErrorsNameThePolicy() {
        do {
            _ = try NamedPolicy(name: "role.json", origin: .role, parsing: #"{"Statement": {"Effect": "Allow", "Action": "*"}}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "role.json, statement 1: it needs Resource or NotResource")
        }
    }
}

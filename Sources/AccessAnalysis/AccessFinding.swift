/// A classic mistake found in the answer or its policies, with the fix in one line.
public struct AccessFinding: Sendable, Hashable, Encodable {
    /// The kinds of mistakes the explainer knows; docs/access.md describes each.
    public enum Code: String, Sendable, Hashable, Encodable, CaseIterable {
        /// `s3:ListBucket` granted only on object ARNs (`bucket/*`), where it never applies.
        case listBucketOnObjectARN = "list-bucket-on-object-arn"
        /// A home or `Target` that no `Allow` statement's `Resource` covers.
        case placeOutsideAllowedResources = "outside-allowed-resources"
        /// A session policy over the service's 2048-character limit.
        case sessionPolicyTooLong = "session-policy-too-long"
        /// A session policy that is not a valid policy document.
        case invalidSessionPolicy = "invalid-session-policy"
        /// `${Transfer:UserName}` and the like: a known variable spelled with other capitals.
        case variableWrongCase = "variable-wrong-case"
        /// A `${transfer:...}` name the service does not set, or `${aws:username}`.
        case unknownVariable = "unknown-variable"
        /// `${transfer:...}` in one of the role's policies, where the service never substitutes it.
        case transferVariableInRolePolicy = "transfer-variable-in-role-policy"
        /// Variables in a policy whose `Version` is not 2012-10-17, so `${...}` is literal text.
        case variablesNeedVersion = "variables-need-version"
        /// Listing a folder sends an `s3:prefix` that the policy's `s3:prefix` condition does not match.
        case prefixConditionCannotMatch = "prefix-condition-cannot-match"
        /// A PATH home in a bucket on which no role statement allows `s3:ListBucket`.
        case homeBucketNotListable = "home-bucket-not-listable"
    }

    public var code: Code
    /// What is wrong, naming the policy, statement and value.
    public var message: String
    /// The fix, in one line.
    public var fix: String

    public init(code: Code, message: String, fix: String) {
        self.code = code
        self.message = message
        self.fix = fix
    }

    enum CodingKeys: String, CodingKey {
        case code = "Code", message = "Message", fix = "Fix"
    }
}

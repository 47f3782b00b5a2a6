/// A condition operator the explainer models: the string, ARN, `Null` and `Bool` families, with their `Not`,
/// `IgnoreCase` and `IfExists` forms and the `ForAnyValue:`/`ForAllValues:` set qualifiers.
struct ConditionOperator: Sendable, Hashable {
    /// How a multi-valued key is compared.
    enum Qualifier: Sendable, Hashable {
        case single
        case forAnyValue
        case forAllValues
    }

    /// The comparison itself.
    enum Comparison: String, Sendable, Hashable, CaseIterable {
        case stringEquals = "StringEquals"
        case stringNotEquals = "StringNotEquals"
        case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
        case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
        case stringLike = "StringLike"
        case stringNotLike = "StringNotLike"
        case arnEquals = "ArnEquals"
        case arnNotEquals = "ArnNotEquals"
        case arnLike = "ArnLike"
        case arnNotLike = "ArnNotLike"
        case null = "Null"
        case bool = "Bool"

        /// The `Not` forms: true when no policy value matches.
        var isNegated: Bool {
            [.stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .arnNotEquals, .arnNotLike].contains(self)
        }

        /// Whether one request value matches one policy value under the positive form of the operator.
        func matches(_ requestValue: String, _ policyValue: PolicyText) -> Bool {
            switch self {
            case .stringEquals, .stringNotEquals:
                requestValue == policyValue.text
            case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase:
                requestValue.lowercased() == policyValue.text.lowercased()
            case .stringLike, .stringNotLike:
                WildcardPattern(policyValue).matches(requestValue)
            case .arnEquals, .arnNotEquals, .arnLike, .arnNotLike:
                ARNPattern(policyValue).matches(requestValue)
            case .bool:
                requestValue.lowercased() == policyValue.text.lowercased()
            case .null:
                false
            }
        }
    }

    var qualifier: Qualifier
    var comparison: Comparison
    var ifExists: Bool

    /// Reads an operator name such as `ForAnyValue:StringLikeIfExists`; nil for one the explainer does not model.
    init?(_ name: String) {
        var rest = Substring(name)
        if rest.hasPrefix("ForAnyValue:") {
            qualifier = .forAnyValue
            rest = rest.dropFirst("ForAnyValue:".count)
        } else if rest.hasPrefix("ForAllValues:") {
            qualifier = .forAllValues
            rest = rest.dropFirst("ForAllValues:".count)
        } else {
            qualifier = .single
        }
        ifExists = rest.hasSuffix("IfExists") && rest != "IfExists"
        if ifExists { rest = rest.dropLast("IfExists".count) }
        guard let comparison = Comparison(rawValue: String(rest)), !(comparison == .null && ifExists) else { return nil }
        self.comparison = comparison
    }
}

/// An ARN pattern compared as IAM compares ARNs: each of the six colon-separated parts on its own, wildcards
/// staying inside their part.
struct ARNPattern {
    private let parts: [WildcardPattern]

    init(_ text: PolicyText) {
        // Split the segments at the first five colons, keeping written and substituted text apart.
        var parts: [[PolicyText.Segment]] = [[]]
        for segment in text.segments {
            let (value, isWritten): (String, Bool) = switch segment {
            case .written(let value): (value, true)
            case .substituted(let value): (value, false)
            }
            var current = ""
            for character in value {
                if character == ":" && parts.count < 6 {
                    parts[parts.count - 1].append(isWritten ? .written(current) : .substituted(current))
                    parts.append([])
                    current = ""
                } else {
                    current.append(character)
                }
            }
            parts[parts.count - 1].append(isWritten ? .written(current) : .substituted(current))
        }
        self.parts = parts.map { WildcardPattern(PolicyText(segments: $0)) }
    }

    func matches(_ arn: String) -> Bool {
        let values = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard values.count == 6, parts.count == 6 else { return false }
        return zip(parts, values).allSatisfy { $0.matches(String($1)) }
    }
}

/// Evaluates one `Condition` clause against a request's context.
struct ConditionEvaluation {
    var variables: PolicyVariables
    var origin: NamedPolicy.Origin
    var substitutes: Bool

    func evaluate(_ clause: ConditionClause, in context: RequestContext) -> Match {
        guard let condition = ConditionOperator(clause.operatorName) else {
            return .unknown("condition operator \(clause.operatorName) is not modelled")
        }
        let state = context.state(of: clause.key)
        if case .unknown = state {
            return .unknown("condition key \(clause.key) (\(clause.operatorName)) is not known for this request")
        }
        let written = "\(clause.operatorName) \(clause.key) \(Self.list(clause.values))"
        if condition.comparison == .null {
            return evaluateNull(clause, state: state, written: written)
        }

        var definite: [PolicyText] = []
        var unknownReason: String?
        for value in clause.values {
            switch variables.resolve(value, origin: origin, substitutes: substitutes) {
            case .text(let text): definite.append(text)
            case .missing: continue  // an unresolved variable: the value matches nothing
            case .unknown(let reason): unknownReason = unknownReason ?? reason
            }
        }
        let shown = "\(clause.operatorName) \(clause.key) \(Self.list(definite.map(\.text)))"

        let requestValues: [String]
        switch state {
        case .present(let values) where !values.isEmpty: requestValues = values
        default:
            // The key is absent (or empty): the qualifier and the operator's form decide.
            let holds: Bool = switch condition.qualifier {
            case .forAllValues: true
            case .forAnyValue: condition.ifExists
            case .single: condition.ifExists || condition.comparison.isNegated
            }
            return holds ? .yes : .no(Mismatch(element: .condition, conditionKey: clause.key, detail: "\(written): the request has no \(clause.key)"))
        }

        // Each request value: matched by a policy value (true), by none (false), or undecided (nil).
        let perValue: [Bool?] = requestValues.map { requestValue in
            if definite.contains(where: { condition.comparison.matches(requestValue, $0) }) { return true }
            return unknownReason == nil ? false : nil
        }
        // The negated forms ask that a value match none of the policy values.
        let satisfied: [Bool?] = perValue.map { matched in matched.map { condition.comparison.isNegated ? !$0 : $0 } }
        let result: Bool?
        switch condition.qualifier {
        case .single, .forAnyValue:
            result = satisfied.contains(true) ? true : (satisfied.contains(nil) ? nil : false)
        case .forAllValues:
            result = satisfied.contains(false) ? false : (satisfied.contains(nil) ? nil : true)
        }
        switch result {
        case true?: return .yes
        case false?:
            return .no(Mismatch(element: .condition, conditionKey: clause.key, detail: "\(shown) does not hold for \(clause.key) = \(Self.list(requestValues))"))
        case nil:
            return .unknown(unknownReason ?? "condition \(written) cannot be decided")
        }
    }

    private func evaluateNull(_ clause: ConditionClause, state: RequestContext.KeyState, written: String) -> Match {
        let isAbsent: Bool = switch state {
        case .present(let values): values.isEmpty
        default: true
        }
        let wanted = clause.values.map { $0.lowercased() }
        guard wanted.allSatisfy({ $0 == "true" || $0 == "false" }) else {
            return .unknown("\(written): Null takes \"true\" or \"false\"")
        }
        if wanted.contains(isAbsent ? "true" : "false") { return .yes }
        return .no(Mismatch(element: .condition, conditionKey: clause.key, detail: "\(written): \(clause.key) is \(isAbsent ? "absent" : "present") in the request"))
    }

    static func list(_ values: [String]) -> String {
        values.count == 1 ? "\"\(values[0])\"" : "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }
}

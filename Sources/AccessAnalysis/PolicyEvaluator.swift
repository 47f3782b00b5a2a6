/// IAM's decision for one S3 request under the role's policies and the session policy.
///
/// An explicit `Deny` in any policy wins; otherwise the request needs an `Allow` from the role's policies and,
/// when the session has one, from the session policy. A statement that cannot be decided (an unknown condition key,
/// an operator not modelled, a variable without a known value) makes the answer unknown, never a guess.
/// Bucket policies, permission boundaries, SCPs and KMS key policies are not read: see docs/access.md.
public struct PolicyEvaluator: Sendable {
    /// The role's identity policies, or nil when they are not known.
    public var rolePolicies: [NamedPolicy]?
    /// The session policy from the answer's `Policy`, when it has one.
    public var sessionPolicy: NamedPolicy?
    public var variables: PolicyVariables
    /// The reason given when ``rolePolicies`` is nil (not given, or IAM could not be read).
    public var unknownRoleReason = "the role's policies are not known"
    /// What limits the role beyond its policies and is not modelled (a permissions boundary): a request the policies
    /// allow is unknown with these reasons; a denial stays denied, since such limits only take permissions away.
    public var unmodelled: [String] = []

    public init(rolePolicies: [NamedPolicy]?, sessionPolicy: NamedPolicy?, variables: PolicyVariables) {
        self.rolePolicies = rolePolicies
        self.sessionPolicy = sessionPolicy
        self.variables = variables
    }

    /// The decision for `request`, with the reasons for a denial or an unknown.
    public func evaluate(_ request: S3Request) -> RequestVerdict {
        let all = (rolePolicies ?? []) + (sessionPolicy.map { [$0] } ?? [])

        var uncertainDenials: [AccessReason] = []
        for policy in all {
            for statement in policy.document.statements where statement.effect == .deny {
                switch match(statement, of: policy, request) {
                case .yes:
                    let reason = AccessReason(policy: policy.name, statement: statement.label, element: nil,
                                              detail: "explicitly denies \(request.action) on \(request.resource)")
                    return RequestVerdict(request: request, decision: .denied, reasons: [reason])
                case .unknown(let why):
                    uncertainDenials.append(AccessReason(policy: policy.name, statement: statement.label, element: nil, detail: "this Deny may apply: \(why)"))
                case .no:
                    continue
                }
            }
        }

        var sides: [(Decision, [AccessReason])] = []
        if let rolePolicies {
            sides.append(allowance(request, in: rolePolicies, side: "the role's policies"))
        } else {
            sides.append((.unknown, [AccessReason(policy: nil, statement: nil, element: nil, detail: unknownRoleReason)]))
        }
        if let sessionPolicy {
            sides.append(allowance(request, in: [sessionPolicy], side: "the session policy"))
        }
        let denials = sides.filter { $0.0 == .denied }.flatMap(\.1)
        if !denials.isEmpty {
            return RequestVerdict(request: request, decision: .denied, reasons: denials)
        }
        let unknowns = sides.filter { $0.0 == .unknown }.flatMap(\.1) + uncertainDenials
            + unmodelled.map { AccessReason(policy: nil, statement: nil, element: nil, detail: $0) }
        if !unknowns.isEmpty {
            return RequestVerdict(request: request, decision: .unknown, reasons: unknowns)
        }
        return RequestVerdict(request: request, decision: .allowed, reasons: [])
    }

    /// Whether some `Allow` in `policies` covers the request, and if not, what each near miss lacked.
    private func allowance(_ request: S3Request, in policies: [NamedPolicy], side: String) -> (Decision, [AccessReason]) {
        var misses: [AccessReason] = []
        var unknowns: [AccessReason] = []
        for policy in policies {
            for statement in policy.document.statements where statement.effect == .allow {
                switch match(statement, of: policy, request) {
                case .yes:
                    return (.allowed, [])
                case .unknown(let why):
                    unknowns.append(AccessReason(policy: policy.name, statement: statement.label, element: nil, detail: why))
                case .no(let mismatch) where mismatch.element != .action:
                    misses.append(AccessReason(policy: policy.name, statement: statement.label, element: mismatch.element,
                                               conditionKey: mismatch.conditionKey, detail: mismatch.detail))
                case .no:
                    continue
                }
            }
        }
        if !unknowns.isEmpty { return (.unknown, unknowns) }
        if misses.isEmpty {
            let names = policies.map(\.name).joined(separator: ", ")
            misses.append(AccessReason(policy: names, statement: nil, element: .action, detail: "no Allow statement in \(side) names \(request.action)"))
        }
        return (.denied, misses)
    }

    /// Whether `statement` applies to `request`: action, then resource, then every condition.
    func match(_ statement: PolicyStatement, of policy: NamedPolicy, _ request: S3Request) -> Match {
        covers(statement, of: policy, action: request.action, resource: request.resource)
            .and(statement.conditions.reduce(Match.yes) { result, clause in
                result.and(ConditionEvaluation(variables: variables, origin: policy.origin, substitutes: policy.document.substitutesVariables)
                    .evaluate(clause, in: request.context))
            })
    }

    /// Whether `statement` names `action` (when given) and `resource`, its conditions left aside.
    func covers(_ statement: PolicyStatement, of policy: NamedPolicy, action: String?, resource: String) -> Match {
        if let action {
            let listed = statement.actions.patterns.contains { WildcardPattern($0).matches(action, ignoringCase: true) }
            switch statement.actions {
            case .listed where !listed:
                return .no(Mismatch(element: .action, detail: "\(action) is not in Action"))
            case .allExcept where listed:
                return .no(Mismatch(element: .action, detail: "\(action) is in NotAction"))
            default:
                break
            }
        }
        return matchResource(statement.resources, policy: policy, substitutes: policy.document.substitutesVariables, resource)
    }

    private func matchResource(_ resources: PatternList, policy: NamedPolicy, substitutes: Bool, _ resource: String) -> Match {
        var resolved: [String] = []
        var matched = false
        var unknownReason: String?
        var missing: [String] = []
        for pattern in resources.patterns {
            switch variables.resolve(pattern, origin: policy.origin, substitutes: substitutes) {
            case .text(let text):
                resolved.append(text.text)
                if WildcardPattern(text).matches(resource) { matched = true }
            case .missing(let reason): missing.append(reason)
            case .unknown(let reason): unknownReason = unknownReason ?? reason
            }
        }
        let covered: Bool
        switch resources {
        case .listed:
            if matched { return .yes }
            covered = false
        case .allExcept:
            if matched { return .no(Mismatch(element: .resource, detail: "\(resource) is in NotResource \(ConditionEvaluation.list(resolved))")) }
            covered = true
        }
        if let unknownReason { return .unknown(unknownReason) }
        if covered { return .yes }
        var detail = "\(resource) is not in Resource \(ConditionEvaluation.list(resolved.isEmpty ? resources.patterns : resolved))"
        if !missing.isEmpty { detail += " (\(missing.joined(separator: "; ")))" }
        return .no(Mismatch(element: .resource, detail: detail))
    }
}

/// The answer for one S3 request.
public enum Decision: String, Sendable, Hashable, Codable {
    case allowed
    case denied
    case unknown
}

/// One S3 request's decision with its reasons (empty when allowed).
public struct RequestVerdict: Sendable, Hashable {
    public var request: S3Request
    public var decision: Decision
    public var reasons: [AccessReason]
}

/// Why a request was denied or is unknown: the policy and statement, and what did not match.
public struct AccessReason: Sendable, Hashable, Codable {
    /// The policy's name; nil when the reason is about no single policy.
    public var policy: String?
    /// The statement's label (`"Sid"` or `#n`), nil when no single statement.
    public var statement: String?
    /// The element that did not match, for a near miss.
    public var element: Mismatch.Element?
    /// The condition key that failed, for a condition.
    public var conditionKey: String?
    public var detail: String

    public init(policy: String?, statement: String?, element: Mismatch.Element?, conditionKey: String? = nil, detail: String) {
        self.policy = policy
        self.statement = statement
        self.element = element
        self.conditionKey = conditionKey
        self.detail = detail
    }

    /// `policy statement: detail`, as the text report prints it.
    public var text: String {
        [policy, statement.map { "statement \($0)" }].compactMap { $0 }.joined(separator: " ") + (policy == nil && statement == nil ? "" : ": ") + detail
    }

    enum CodingKeys: String, CodingKey {
        case policy = "Policy", statement = "Statement", element = "Element", conditionKey = "ConditionKey", detail = "Detail"
    }
}

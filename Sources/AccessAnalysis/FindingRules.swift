/// Looks for the classic mistakes in an answer, its policies and the access they give.
struct FindingRules {
    var answer: TransferAnswer
    var evaluator: PolicyEvaluator

    /// The service's limit on the session policy, from the CreateUser API reference.
    static let sessionPolicyLimit = 2048

    func findings(places: [PlaceAccess]) -> [AccessFinding] {
        var findings: [AccessFinding] = []
        if let policy = answer.policy, policy.count > Self.sessionPolicyLimit {
            findings.append(AccessFinding(
                code: .sessionPolicyTooLong,
                message: "the session policy has \(policy.count) characters; the service refuses more than \(Self.sessionPolicyLimit)",
                fix: "shorten the Policy: drop whitespace, merge statements, or move shared permissions into the role's policy"
            ))
        }
        let policies = (evaluator.rolePolicies ?? []) + (evaluator.sessionPolicy.map { [$0] } ?? [])
        for policy in policies {
            findings += listBucketOnObjects(in: policy) + variableFindings(in: policy)
        }
        for place in places {
            findings += placeFindings(place)
        }
        var seen = Set<AccessFinding>()
        return findings.filter { seen.insert($0).inserted }
    }

    private func listBucketOnObjects(in policy: NamedPolicy) -> [AccessFinding] {
        policy.document.statements.compactMap { statement in
            guard statement.effect == .allow, case .listed(let actions) = statement.actions,
                  actions.contains(where: { $0.lowercased() == "s3:listbucket" }),
                  case .listed(let resources) = statement.resources,
                  resources.allSatisfy(Self.isObjectARN) else { return nil }
            let bucket = resources.first.flatMap(Self.bucketPart) ?? "BUCKET"
            return AccessFinding(
                code: .listBucketOnObjectARN,
                message: "\(policy.name) statement \(statement.label) allows s3:ListBucket on \(ConditionEvaluation.list(resources)) only: ListBucket applies to the bucket, never to objects",
                fix: "add the bucket ARN \"arn:\(answer.partition):s3:::\(bucket)\" to that statement's Resource (limit it with an s3:prefix condition)"
            )
        }
    }

    private func variableFindings(in policy: NamedPolicy) -> [AccessFinding] {
        let strings = policy.document.statements.flatMap { $0.resources.patterns + $0.conditions.flatMap(\.values) }
        let names = strings.flatMap(PolicyVariables.names(in:))
        guard !names.isEmpty else { return [] }
        if !policy.document.substitutesVariables {
            return [AccessFinding(
                code: .variablesNeedVersion,
                message: "\(policy.name) uses \(names.map { "${\($0)}" }.joined(separator: ", ")) but its Version is \(policy.document.version.map { "\"\($0)\"" } ?? "missing"), so IAM reads them as plain text",
                fix: "set \"Version\": \"\(PolicyDocument.variablesVersion)\" at the top of the policy"
            )]
        }
        return names.compactMap { name in
            let lowered = name.lowercased()
            if lowered.hasPrefix("transfer:") && policy.origin == .role {
                return AccessFinding(
                    code: .transferVariableInRolePolicy,
                    message: "\(policy.name) uses ${\(name)}, which the service substitutes only in the session policy; in the role's policy it matches nothing",
                    fix: "move the statement into the answer's Policy (the session policy), or write the bucket and folder out"
                )
            }
            if lowered.hasPrefix("transfer:") {
                if PolicyVariables.transferNames.contains(name) { return nil }
                if let spelled = PolicyVariables.transferNames.first(where: { $0.lowercased() == lowered }) {
                    return AccessFinding(
                        code: .variableWrongCase,
                        message: "\(policy.name) writes ${\(name)}; the user guide spells it ${\(spelled)}",
                        fix: "write ${\(spelled)} exactly"
                    )
                }
                return AccessFinding(
                    code: .unknownVariable,
                    message: "\(policy.name) uses ${\(name)}, which the service does not set",
                    fix: "use one of \(PolicyVariables.transferNames.map { "${\($0)}" }.joined(separator: ", "))"
                )
            }
            if lowered == "aws:username" {
                return AccessFinding(
                    code: .unknownVariable,
                    message: "\(policy.name) uses ${\(name)}, which has no value in the role session the service opens",
                    fix: "use ${transfer:UserName} in the session policy instead"
                )
            }
            return nil
        }
    }

    private func placeFindings(_ place: PlaceAccess) -> [AccessFinding] {
        guard let location = S3Location(path: place.target) else { return [] }
        var findings: [AccessFinding] = []
        let what = answer.isLogical ? "Target \(place.target) (Entry \(place.entry))" : "home \(place.target)"
        let sample = place.isFile ? location : S3Location(bucket: location.bucket, key: location.asFolder.key + OperationMapping.sampleFile)
        let objectARN = "arn:\(answer.partition):s3:::\(sample.bucket)/\(sample.key)"
        let sides: [(String, [NamedPolicy])] = [("the role's policies", evaluator.rolePolicies), ("the session policy", evaluator.sessionPolicy.map { [$0] })]
            .compactMap { name, policies in policies.map { (name, $0) } }
        for (side, policies) in sides where !covered(objectARN, action: nil, by: policies) {
            let shown = place.isFile ? location : location.asFolder
            findings.append(AccessFinding(
                code: .placeOutsideAllowedResources,
                message: "\(what) is outside every Resource that \(side) allow",
                fix: "add \"arn:\(answer.partition):s3:::\(shown.bucket)/\(shown.key)\(place.isFile ? "" : "*")\" to the Resource of an Allow statement in \(side)"
            ))
        }
        if !answer.isLogical, let rolePolicies = evaluator.rolePolicies,
           !covered(OperationMapping.bucketARN(location.bucket, partition: answer.partition), action: "s3:ListBucket", by: rolePolicies) {
            findings.append(AccessFinding(
                code: .homeBucketNotListable,
                message: "the home is in bucket \(location.bucket), on which no statement of the role's policies allows s3:ListBucket: the home folder will not list",
                fix: "allow s3:ListBucket on \"arn:\(answer.partition):s3:::\(location.bucket)\" in the role's policy"
            ))
        }
        let listing = place.operations.first { $0.operation == .list && $0.decision == .denied }
        for request in listing?.requests ?? [] {
            for reason in request.reasons where reason.element == .condition && reason.conditionKey?.lowercased() == "s3:prefix" {
                let prefix = request.context["s3:prefix"] ?? ""
                findings.append(AccessFinding(
                    code: .prefixConditionCannotMatch,
                    message: "listing \(place.entry) sends s3:prefix \"\(prefix)\", which \(reason.policy ?? "a policy") statement \(reason.statement ?? "?") does not match: \(reason.detail)",
                    fix: "let the s3:prefix condition match the folder, e.g. StringLike s3:prefix [\"\(prefix)\", \"\(prefix)*\"]"
                ))
            }
        }
        return findings
    }

    /// True when some Allow statement in `policies` names `resource` (and `action`, when given); an undecidable
    /// statement counts as covering, so that findings are only made when sure.
    private func covered(_ resource: String, action: String?, by policies: [NamedPolicy]) -> Bool {
        policies.contains { policy in
            policy.document.statements.contains { statement in
                guard statement.effect == .allow else { return false }
                if case .no = evaluator.covers(statement, of: policy, action: action, resource: resource) { return false }
                return true
            }
        }
    }

    private static func isObjectARN(_ pattern: String) -> Bool {
        guard let range = pattern.range(of: ":s3:::") else { return false }
        return pattern[range.upperBound...].contains("/")
    }

    private static func bucketPart(_ pattern: String) -> String? {
        guard let range = pattern.range(of: ":s3:::") else { return nil }
        return pattern[range.upperBound...].split(separator: "/").first.map(String.init)
    }
}

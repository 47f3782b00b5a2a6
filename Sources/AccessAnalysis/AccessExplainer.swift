/// Explains what an allowed login can do: for each directory the user sees, which SFTP operations the role and the
/// session policy allow, deny or leave unknown, and why; plus the classic mistakes found on the way.
public struct AccessExplainer: Sendable {
    public var answer: TransferAnswer
    public var userName: String
    /// The role's identity policies, or nil when they are not known (every answer then depends on them: unknown,
    /// except where the session policy or an explicit deny already decides).
    public var rolePolicies: [NamedPolicy]?
    /// Why the role's policies are not known, when they are not: every reason that depends on them says it.
    public var unknownRoleReason: String?
    /// What limits the role beyond its policies and is not evaluated (a permissions boundary): no allow is certain.
    public var unmodelled: [String]

    public init(answer: TransferAnswer, userName: String, rolePolicies: [NamedPolicy]?) {
        self.init(answer: answer, userName: userName, lookup: rolePolicies.map { .found($0) } ?? .notGiven)
    }

    /// Explains with the role's policies as a source found them, or with why they are not known.
    public init(answer: TransferAnswer, userName: String, lookup: RolePolicyLookup) {
        self.answer = answer
        self.userName = userName
        rolePolicies = lookup.policies
        unknownRoleReason = lookup.unknownReason
        unmodelled = lookup.unmodelled
    }

    /// The report: one entry per visible place, every operation with its S3 requests, the findings.
    public func report() -> AccessReport {
        var findings: [AccessFinding] = []
        var sessionPolicy: NamedPolicy?
        var unreadableSession: String?
        if let text = answer.policy {
            do {
                sessionPolicy = try NamedPolicy(name: "session policy", origin: .session, parsing: text)
            } catch {
                unreadableSession = error.description
                findings.append(AccessFinding(
                    code: .invalidSessionPolicy,
                    message: "the answer's Policy cannot be read: \(error.description)",
                    fix: "make Policy a valid IAM policy document (the service cannot assume the role with it)"
                ))
            }
        }
        let variables = PolicyVariables(userName: userName, home: answer.isLogical ? nil : answer.homeDirectory,
                                        awsValues: ["aws:PrincipalType": "AssumedRole"])
        var evaluator = PolicyEvaluator(rolePolicies: rolePolicies, sessionPolicy: sessionPolicy, variables: variables)
        if let unknownRoleReason { evaluator.unknownRoleReason = unknownRoleReason }
        evaluator.unmodelled = unmodelled
        let decide: (S3Request) -> RequestVerdict = { request in
            if let unreadableSession {
                return RequestVerdict(request: request, decision: .unknown,
                                      reasons: [AccessReason(policy: "session policy", statement: nil, element: nil, detail: "cannot be read: \(unreadableSession)")])
            }
            return evaluator.evaluate(request)
        }
        let places = answer.visiblePlaces.map { place(for: $0, decide: decide) }
        findings += FindingRules(answer: answer, evaluator: evaluator).findings(places: places)

        var summaries = (rolePolicies ?? []).map { PolicySummary(name: $0.name, origin: .role, characters: $0.text.count) }
        if let text = answer.policy {
            summaries.append(PolicySummary(name: "session policy", origin: .session, characters: text.count))
        }
        return AccessReport(userName: userName, role: answer.role, homeDirectoryType: answer.isLogical ? "LOGICAL" : "PATH",
                            policies: summaries, rolePoliciesUnknown: unknownRoleReason, places: places, findings: findings,
                            notChecked: AccessReport.notChecked)
    }

    private func place(for visible: VisiblePlace, decide: (S3Request) -> RequestVerdict) -> PlaceAccess {
        guard let location = S3Location(path: visible.target) else {
            return PlaceAccess(entry: visible.entry, target: visible.target, isFile: visible.isFile, operations: [],
                               note: "no bucket in the path: the user starts at / and sees the buckets the role can list; give the user a home directory")
        }
        let partition = answer.partition
        let operations: [OperationAccess] = if visible.isFile {
            SFTPOperation.onFile.map { operation in
                OperationAccess(operation: operation, verdicts: OperationMapping.requests(for: operation, onFile: location, partition: partition).map(decide))
            }
        } else {
            SFTPOperation.onDirectory.map { operation in
                OperationAccess(operation: operation, verdicts: OperationMapping.requests(for: operation, inDirectory: location, partition: partition).map(decide))
            }
        }
        return PlaceAccess(entry: visible.entry, target: visible.target, isFile: visible.isFile, operations: operations, note: nil)
    }
}

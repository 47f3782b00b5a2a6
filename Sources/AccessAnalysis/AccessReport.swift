/// What an allowed login can do in each place it sees, with the findings about its policies.
public struct AccessReport: Sendable, Hashable, Encodable {
    public var userName: String
    public var role: String
    public var homeDirectoryType: String
    /// The policies the answer was evaluated against.
    public var policies: [PolicySummary]
    /// Why the role's policies are not part of the evaluation, when they are not ("the role's policies are not
    /// known", "could not read the role's policies (reason)").
    public var rolePoliciesUnknown: String?
    public var places: [PlaceAccess]
    public var findings: [AccessFinding]
    /// What the evaluation does not read, so that "allowed" is read with it in mind.
    public var notChecked: [String]

    enum CodingKeys: String, CodingKey {
        case userName = "UserName", role = "Role", homeDirectoryType = "HomeDirectoryType", policies = "Policies"
        case places = "Directories", findings = "Findings", notChecked = "NotChecked"
    }

    /// What every report says it leaves out.
    public static let notChecked = [
        "bucket policies and S3 access points",
        "permission boundaries, service control policies and resource control policies",
        "KMS key policies for encrypted buckets",
        "S3 Object Ownership, ACLs and Object Lock",
    ]
}

/// A policy the report used: its name, where it came from and its length.
public struct PolicySummary: Sendable, Hashable, Encodable {
    public var name: String
    public var origin: NamedPolicy.Origin
    public var characters: Int

    enum CodingKeys: String, CodingKey {
        case name = "Name", origin = "Origin", characters = "Characters"
    }
}

/// The operations in one visible directory (or mapped file).
public struct PlaceAccess: Sendable, Hashable, Encodable {
    /// The path the user sees.
    public var entry: String
    /// `/bucket/prefix` behind it.
    public var target: String
    public var isFile: Bool
    public var operations: [OperationAccess]
    /// Why nothing could be evaluated here (no bucket in the target), when so.
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case entry = "Entry", target = "Target", isFile = "IsFile", operations = "Operations", note = "Note"
    }
}

/// One SFTP operation in one place: its decision and the S3 requests behind it.
public struct OperationAccess: Sendable, Hashable, Encodable {
    public var operation: SFTPOperation
    /// Denied when any request is denied, unknown when any is unknown, else allowed.
    public var decision: Decision
    public var requests: [RequestAccess]

    init(operation: SFTPOperation, verdicts: [RequestVerdict]) {
        self.operation = operation
        requests = verdicts.map(RequestAccess.init)
        let decisions = verdicts.map(\.decision)
        decision = decisions.contains(.denied) ? .denied : decisions.contains(.unknown) ? .unknown : .allowed
    }

    enum CodingKeys: String, CodingKey {
        case operation = "Operation", decision = "Decision", requests = "Requests"
    }
}

/// One S3 request of an operation, as the report shows it.
public struct RequestAccess: Sendable, Hashable, Encodable {
    public var step: String
    public var action: String
    public var resource: String
    /// The condition keys sent with it (`s3:prefix`, `s3:delimiter` for a listing).
    public var context: [String: String]
    public var decision: Decision
    public var reasons: [AccessReason]

    init(_ verdict: RequestVerdict) {
        step = verdict.request.step
        action = verdict.request.action
        resource = verdict.request.resource
        context = Dictionary(verdict.request.context.presentValues.map { ($0.key, $0.values.joined(separator: ",")) }, uniquingKeysWith: { first, _ in first })
        decision = verdict.decision
        reasons = verdict.reasons
    }

    enum CodingKeys: String, CodingKey {
        case step = "Step", action = "Action", resource = "Resource", context = "Context", decision = "Decision", reasons = "Reasons"
    }
}

/// What is known of a role's identity policies when a login is explained.
public enum RolePolicyLookup: Sendable, Hashable {
    /// The role's policies, read from files or from IAM; `unmodelled` names what else limits the role that the
    /// evaluation does not model (a permissions boundary), so nothing the policies allow can be called allowed.
    case found([NamedPolicy], unmodelled: [String] = [])
    /// No source holds them (no file named for the role, and no IAM to ask): what depends on them is unknown.
    case notGiven
    /// A source should have them but could not read them; the reason names the role and what failed.
    case unreadable(String)

    /// The policies, when found.
    public var policies: [NamedPolicy]? {
        if case .found(let policies, _) = self { return policies }
        return nil
    }

    /// What limits the role beyond its policies and is not modelled: every allow becomes unknown with these reasons.
    public var unmodelled: [String] {
        if case .found(_, let unmodelled) = self { return unmodelled }
        return []
    }

    /// The reason every answer that depends on the role is unknown, when it is.
    var unknownReason: String? {
        switch self {
        case .found: nil
        case .notGiven: "the role's policies are not known"
        case .unreadable(let reason): "could not read the role's policies (\(reason))"
        }
    }
}

/// Where the role's identity policies are read from: local files, IAM, or several in turn.
///
/// Implementations live where their I/O belongs (the CLI's settings, the IAM client); this module only evaluates.
public protocol RolePolicySource: Sendable {
    /// The policies of the role with this ARN, or why they are not known.
    func lookup(role: String) async -> RolePolicyLookup
}

/// Sources asked in order: the first that finds the role's policies, or fails to read them, answers.
public struct RolePolicySources: RolePolicySource {
    public var sources: [any RolePolicySource]

    public init(_ sources: [any RolePolicySource]) {
        self.sources = sources
    }

    public func lookup(role: String) async -> RolePolicyLookup {
        for source in sources {
            let result = await source.lookup(role: role)
            if result != .notGiven { return result }
        }
        return .notGiven
    }
}

extension AccessExplainer {
    /// Explains `answer`, reading the role's policies from `source`.
    public static func report(answer: TransferAnswer, userName: String, source: any RolePolicySource) async -> AccessReport {
        AccessExplainer(answer: answer, userName: userName, lookup: await source.lookup(role: answer.role)).report()
    }
}

import AWSCore
import AccessAnalysis
import Foundation
import Synchronization

/// A role's identity policies read from IAM: its inline policies and the default version of every attached managed
/// policy, plus its permissions boundary (named, not evaluated). Successful reads are kept for ``timeToLive`` per
/// role, so explaining many logins of one role asks IAM once.
public final class IAMRolePolicies: RolePolicySource {
    /// The permissions reading a role's policies takes, in the order they are used.
    public static let requiredPermissions = ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
                                             "iam:GetPolicy", "iam:GetPolicyVersion"]
    let client: IAMClient
    /// How long a role's policies are reused before IAM is asked again.
    public let timeToLive: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let cache = Mutex<[String: (access: IAMRoleAccess, readAt: ContinuousClock.Instant)]>([:])

    public init(client: IAMClient, timeToLive: Duration = .seconds(300),
                now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.client = client
        self.timeToLive = timeToLive
        self.now = now
    }

    public func lookup(role: String) async -> RolePolicyLookup {
        do {
            let access = try await access(ofRole: role)
            return .found(access.policies, unmodelled: access.unmodelled)
        } catch {
            return .unreadable(error.description)
        }
    }

    /// The role's policies and permissions boundary, from the cache while fresh, else from IAM.
    public func access(ofRole role: String) async throws(IAMRolePolicyError) -> IAMRoleAccess {
        let instant = now()
        if let cached = cache.withLock({ $0[role] }), cached.readAt.duration(to: instant) < timeToLive {
            return cached.access
        }
        let access = try await read(role: role)
        cache.withLock { $0[role] = (access, instant) }
        return access
    }

    private func read(role: String) async throws(IAMRolePolicyError) -> IAMRoleAccess {
        guard let roleName = Self.roleName(of: role) else {
            throw IAMRolePolicyError(role: role, permission: nil, reason: "it is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)")
        }
        func step<T>(_ permission: String, _ work: () async throws(AWSServiceError) -> T) async throws(IAMRolePolicyError) -> T {
            do {
                return try await work()
            } catch {
                throw IAMRolePolicyError(role: role, permission: permission, serviceError: error)
            }
        }
        let boundary = try await step("iam:GetRole") { () async throws(AWSServiceError) in try await client.permissionsBoundary(roleName: roleName) }
        var policies: [NamedPolicy] = []
        let inlineNames = try await step("iam:ListRolePolicies") { () async throws(AWSServiceError) in try await client.listRolePolicies(roleName: roleName) }
        for name in inlineNames {
            let text = try await step("iam:GetRolePolicy") { () async throws(AWSServiceError) in try await client.getRolePolicy(roleName: roleName, policyName: name) }
            policies.append(try Self.policy(named: "inline policy \(name)", text: text, role: role))
        }
        let attached = try await step("iam:ListAttachedRolePolicies") { () async throws(AWSServiceError) in try await client.listAttachedRolePolicies(roleName: roleName) }
        for policy in attached {
            let version = try await step("iam:GetPolicy") { () async throws(AWSServiceError) in try await client.defaultVersion(policyARN: policy.arn) }
            let text = try await step("iam:GetPolicyVersion") { () async throws(AWSServiceError) in try await client.getPolicyVersion(policyARN: policy.arn, versionID: version) }
            policies.append(try Self.policy(named: "managed policy \(policy.arn) (\(version))", text: text, role: role))
        }
        return IAMRoleAccess(policies: policies, permissionsBoundary: boundary)
    }

    private static func policy(named name: String, text: String, role: String) throws(IAMRolePolicyError) -> NamedPolicy {
        do {
            return try NamedPolicy(name: name, origin: .role, parsing: text)
        } catch {
            throw IAMRolePolicyError(role: role, permission: nil, reason: "IAM returned a policy that cannot be read: \(error.description)")
        }
    }

    /// The role's name: the last part of its ARN's resource (`role/path/NAME`); nil when the ARN is not a role's.
    static func roleName(of arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "iam", parts[5].hasPrefix("role/"),
              let name = parts[5].split(separator: "/").last, parts[5].count > 5 else { return nil }
        return String(name)
    }
}

/// What IAM says limits a role: its identity policies, and the ARN of its permissions boundary when it has one.
public struct IAMRoleAccess: Sendable, Hashable {
    public var policies: [NamedPolicy]
    public var permissionsBoundary: String?

    /// The permissions boundary as a reason the explainer cannot call anything allowed: it does not evaluate it.
    public var unmodelled: [String] {
        permissionsBoundary.map { ["the role has a permissions boundary (\($0)), which the explainer does not evaluate"] } ?? []
    }
}

/// The role's policies could not be read from IAM: which role, which permission's call failed, and why.
public struct IAMRolePolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var role: String
    /// The IAM action whose call failed (`iam:GetPolicyVersion`), when a call failed.
    public var permission: String?
    public var reason: String

    public init(role: String, permission: String?, reason: String) {
        self.role = role
        self.permission = permission
        self.reason = reason
    }

    /// Words the failure of `permission`'s call for people: a refusal names the permission to grant, a missing
    /// role or policy says so, throttling says to wait.
    init(role: String, permission: String, serviceError error: AWSServiceError) {
        let cause = "\(error.type): \(error.message)"
        let reason: String = if error.type == "NoSuchEntity" {
            ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"].contains(permission)
                ? "IAM has no such role (\(cause))"
                : "a policy of the role disappeared while it was read (\(cause)); try again"
        } else if error.isAccessError {
            "IAM refused \(permission) (\(cause)); the credentials in use need \(IAMRolePolicies.requiredPermissions.joined(separator: ", "))"
        } else if error.isRetryable {
            "IAM did not answer \(permission) (\(cause)); try again later"
        } else {
            "\(permission) failed (\(cause))"
        }
        self.init(role: role, permission: permission, reason: reason)
    }

    public var description: String { "\(role): \(reason)" }
}

import AWSCore
import AsyncHTTPClient
import Foundation

/// The IAM calls that read a role's identity policies, over the query protocol (form-encoded POST, XML answers),
/// signed with SigV4; every list is followed through its pages (`Marker` while `IsTruncated`).
public struct IAMClient: Sendable {
    /// The Version parameter of every IAM query call.
    static let apiVersion = "2010-05-08"
    let sender: AWSRequestSender
    /// `MaxItems` asked for per page; nil leaves it to IAM (100).
    let pageSize: Int?

    public init(endpoint: IAMEndpoint, credentials: any AWSCredentialProvider, httpClient: HTTPClient = .shared,
                options: AWSClientOptions = AWSClientOptions(), pageSize: Int? = nil) {
        sender = AWSRequestSender(endpoint: endpoint.url, region: endpoint.signingRegion, service: "iam", credentials: credentials,
                                  httpClient: httpClient, options: options)
        self.pageSize = pageSize
    }

    /// A managed policy attached to a role.
    public struct AttachedPolicy: Sendable, Hashable {
        public var name: String
        public var arn: String
    }

    /// `GetRole`: the ARN of the role's permissions boundary (`Role/PermissionsBoundary/PermissionsBoundaryArn`),
    /// nil when it has none.
    public func permissionsBoundary(roleName: String) async throws(AWSServiceError) -> String? {
        let result = try await call("GetRole", [("RoleName", roleName)])
        guard let role = result.child("Role") else { throw Self.malformed("GetRole", "has no Role") }
        guard let boundary = role.child("PermissionsBoundary") else { return nil }
        guard let arn = boundary.child("PermissionsBoundaryArn")?.text, !arn.isEmpty else {
            throw Self.malformed("GetRole", "has a PermissionsBoundary without PermissionsBoundaryArn")
        }
        return arn
    }

    /// `ListRolePolicies`: the names of the role's inline policies, every page.
    public func listRolePolicies(roleName: String) async throws(AWSServiceError) -> [String] {
        try await pages("ListRolePolicies", [("RoleName", roleName)], list: "PolicyNames") { $0.text }
    }

    /// `GetRolePolicy`: one inline policy's document, decoded from the URL encoding IAM sends it in.
    public func getRolePolicy(roleName: String, policyName: String) async throws(AWSServiceError) -> String {
        let result = try await call("GetRolePolicy", [("RoleName", roleName), ("PolicyName", policyName)])
        return try Self.document(result.child("PolicyDocument"), action: "GetRolePolicy")
    }

    /// `ListAttachedRolePolicies`: the managed policies attached to the role, every page.
    public func listAttachedRolePolicies(roleName: String) async throws(AWSServiceError) -> [AttachedPolicy] {
        try await pages("ListAttachedRolePolicies", [("RoleName", roleName)], list: "AttachedPolicies") { member in
            guard let name = member.child("PolicyName")?.text, let arn = member.child("PolicyArn")?.text, !arn.isEmpty else { return nil }
            return AttachedPolicy(name: name, arn: arn)
        }
    }

    /// `GetPolicy`: the managed policy's default version id (e.g. `v3`).
    public func defaultVersion(policyARN: String) async throws(AWSServiceError) -> String {
        let result = try await call("GetPolicy", [("PolicyArn", policyARN)])
        guard let version = result.element(at: ["Policy", "DefaultVersionId"])?.text, !version.isEmpty else {
            throw Self.malformed("GetPolicy", "has no Policy/DefaultVersionId")
        }
        return version
    }

    /// `GetPolicyVersion`: the document of one version of a managed policy.
    public func getPolicyVersion(policyARN: String, versionID: String) async throws(AWSServiceError) -> String {
        let result = try await call("GetPolicyVersion", [("PolicyArn", policyARN), ("VersionId", versionID)])
        return try Self.document(result.element(at: ["PolicyVersion", "Document"]), action: "GetPolicyVersion")
    }

    /// Follows `Marker` while `IsTruncated` is true, collecting the `member`s of `list` that `read` accepts.
    private func pages<Item>(_ action: String, _ parameters: [(String, String)], list: String,
                             read: (XMLTree.Element) -> Item?) async throws(AWSServiceError) -> [Item] {
        var items: [Item] = []
        var marker: String?
        repeat {
            var page = parameters
            if let pageSize { page.append(("MaxItems", String(pageSize))) }
            if let marker { page.append(("Marker", marker)) }
            let result = try await call(action, page)
            items += (result.child(list)?.children ?? []).filter { $0.name == "member" }.compactMap(read)
            let truncated = result.child("IsTruncated")?.text.lowercased() == "true"
            let next = result.child("Marker")?.text
            if truncated && (next ?? "").isEmpty { throw Self.malformed(action, "is truncated but has no Marker") }
            if truncated && next == marker { throw Self.malformed(action, "repeats the Marker it was given") }
            marker = truncated ? next : nil
        } while marker != nil
        return items
    }

    /// One call; its `<Action>Result` element.
    private func call(_ action: String, _ parameters: [(String, String)]) async throws(AWSServiceError) -> XMLTree.Element {
        let request = SignableRequest.query(action: action, version: Self.apiVersion, parameters: parameters)
        let body = try await sender.send(action, request)
        guard let tree = XMLTree(data: body) else { throw Self.malformed(action, "is not XML") }
        guard tree.root.name == "\(action)Response", let result = tree.root.child("\(action)Result") else {
            throw Self.malformed(action, "has no \(action)Response/\(action)Result element")
        }
        return result
    }

    /// A policy document as IAM sends it: URL-encoded JSON (RFC 3986). Text that already starts with `{` is taken
    /// as it is (some emulators send it unencoded; an encoded document never starts with `{`).
    static func document(_ element: XMLTree.Element?, action: String) throws(AWSServiceError) -> String {
        guard let text = element?.text, !text.isEmpty else { throw malformed(action, "has no policy document") }
        if text.hasPrefix("{") { return text }
        guard let decoded = text.removingPercentEncoding else {
            throw malformed(action, "has a policy document that is not URL-encoded text")
        }
        return decoded
    }

    static func malformed(_ action: String, _ rule: String) -> AWSServiceError {
        AWSServiceError(operation: action, type: "MalformedResponse", message: "the IAM answer \(rule)")
    }
}

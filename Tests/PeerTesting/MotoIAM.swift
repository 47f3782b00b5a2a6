import Foundation

/// Sets up moto's IAM with the AWS CLI: an administrator role for making roles and policies, and reader roles
/// holding chosen permissions, each assumed through STS.
public struct MotoIAM {
    public let moto: MotoServer
    /// AWS CLI environment signed as the administrator role (`iam:*`).
    public let adminEnvironment: [String: String]

    public init(moto: MotoServer) throws {
        self.moto = moto
        adminEnvironment = try Self.assume(moto: moto, roleName: "iam-admin-\(UUID().uuidString.prefix(8))", actions: ["iam:*"])
    }

    /// Creates a role any principal may assume, allowed `actions` on everything; returns its credentials as
    /// AWS CLI environment variables.
    public static func assume(moto: MotoServer, roleName: String, actions: [String]) throws -> [String: String] {
        let environment = moto.cliEnvironment()
        let arn = try createRole(roleName, path: "/", environment: environment)
        try putAllow(role: roleName, actions: actions, environment: environment)
        let output = try ExternalProcess.run("aws", ["sts", "assume-role", "--role-arn", arn, "--role-session-name", "tests", "--output", "json"], environment: environment)
        let credentials = (try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])?["Credentials"] as? [String: String]
        var assumed = environment
        guard let key = credentials?["AccessKeyId"], let secret = credentials?["SecretAccessKey"], let token = credentials?["SessionToken"] else {
            throw ExternalProcess.Failure(description: "aws sts assume-role printed no credentials: \(output.prefix(500))")
        }
        assumed["AWS_ACCESS_KEY_ID"] = key
        assumed["AWS_SECRET_ACCESS_KEY"] = secret
        assumed["AWS_SESSION_TOKEN"] = token
        return assumed
    }

    public static func createRole(_ name: String, path: String, environment: [String: String]) throws -> String {
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#
        let output = try ExternalProcess.run("aws", ["iam", "create-role", "--role-name", name, "--path", path,
                                                     "--assume-role-policy-document", trust, "--query", "Role.Arn", "--output", "text"], environment: environment)
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static func putAllow(role: String, actions: [String], environment: [String: String]) throws {
        let document = try JSONSerialization.data(withJSONObject: ["Version": "2012-10-17", "Statement": [["Effect": "Allow", "Action": actions, "Resource": "*"]]])
        try ExternalProcess.run("aws", ["iam", "put-role-policy", "--role-name", role, "--policy-name", "allow",
                                        "--policy-document", String(decoding: document, as: UTF8.self)], environment: environment)
    }

    /// Runs the AWS CLI as the administrator; returns what it printed.
    @discardableResult
    public func admin(_ arguments: [String]) throws -> String {
        try ExternalProcess.run("aws", arguments, environment: adminEnvironment)
    }

    public func createRole(_ name: String, path: String) throws -> String {
        try Self.createRole(name, path: path, environment: adminEnvironment)
    }

    public func createPolicy(_ name: String, _ document: String) throws -> String {
        try admin(["iam", "create-policy", "--policy-name", name, "--policy-document", document, "--query", "Policy.Arn", "--output", "text"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// AWS CLI environment signed as a fresh role holding exactly `permissions`.
    public func reader(permissions: [String]) throws -> [String: String] {
        try Self.assume(moto: moto, roleName: "reader-\(UUID().uuidString.prefix(8))", actions: permissions)
    }
}

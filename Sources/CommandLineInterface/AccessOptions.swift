import AWSIAM
import AccessAnalysis
import ArgumentParser
import Foundation
import IdentityProvider

/// `--explain-access` and `--role-policy FILE`: what an allowed login can do in each directory it sees.
struct AccessOptions: ParsableArguments {
    @Flag(name: .long, help: "For an allowed login, show which SFTP operations work in each directory the user sees, and why not (on standard error; in the JSON under \"AccessExplanation\" with --json).")
    var explainAccess = false

    @Option(name: .long, help: ArgumentHelp("A file holding one of the role's IAM policies (JSON); repeat for each policy. Wins over [role-policies] in the config file and over IAM (read with the store's credentials on an AWS store); without any, answers that depend on the role are unknown.", valueName: "FILE"))
    var rolePolicy: [String] = []

    @Option(name: .long, help: ArgumentHelp("AWS: the IAM endpoint the role's policies are read from, e.g. a local test server. [env: AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL]", valueName: "URL"))
    var iamEndpointUrl: String?

    func validate() throws {
        if !rolePolicy.isEmpty && !explainAccess {
            throw ValidationError("--role-policy is only used with --explain-access")
        }
        if iamEndpointUrl != nil && !explainAccess {
            throw ValidationError("--iam-endpoint-url is only used with --explain-access")
        }
    }

    /// The role's policies: the local files when any are named for it (see ``rolePolicies(for:config:)``), else
    /// IAM's answer when `iam` opens an IAM source (AWS stores), else not given.
    func lookup(role: String, config: ConfigFile, iam: () throws -> IAMRolePolicies?) async throws -> RolePolicyLookup {
        if let local = try rolePolicies(for: role, config: config) { return .found(local) }
        guard let iam = try iam() else { return .notGiven }
        return await iam.lookup(role: role)
    }

    /// The role's policies: from the `--role-policy` files when given, else from the config file's
    /// `[role-policies]` entry for `role`; nil when neither names any. A file that cannot be read or parsed is a
    /// usage error naming the file and the rule.
    func rolePolicies(for role: String?, config: ConfigFile) throws -> [NamedPolicy]? {
        let paths = rolePolicy.isEmpty ? role.flatMap { config.rolePolicyFiles[$0] } ?? [] : rolePolicy
        let origin = rolePolicy.isEmpty ? "role-policies in the config file" : "--role-policy"
        guard !paths.isEmpty else { return nil }
        do {
            return try RolePolicyFiles.read(paths)
        } catch {
            throw ValidationError("\(origin): \(error.description)")
        }
    }
}

/// Role policies kept in local files: by role ARN in the config file's `[role-policies]` (the console's source).
struct RolePolicyFiles: RolePolicySource {
    var filesByRole: [String: [String]]

    func lookup(role: String) async -> RolePolicyLookup {
        guard let paths = filesByRole[role], !paths.isEmpty else { return .notGiven }
        do {
            return .found(try Self.read(paths))
        } catch {
            return .unreadable("role-policies in the config file: \(error.description)")
        }
    }

    /// Reads and parses each file; the first that cannot be read or parsed is an error naming it and the rule.
    static func read(_ paths: [String]) throws(PolicyDocumentError) -> [NamedPolicy] {
        try paths.map { path throws(PolicyDocumentError) in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw PolicyDocumentError(statement: path, message: "the file cannot be read as UTF-8 text")
            }
            return try NamedPolicy(name: path, origin: .role, parsing: text)
        }
    }
}

/// The access explanation of one test login: the report, or why there is none (the login was denied).
enum AccessExplanation {
    case explained(AccessReport, lookup: RolePolicyLookup)
    case notExplained(String)

    /// Explains `login`, looking up the role's policies with `rolePolicies` once the answer names the role.
    init(login: TestLoginReport, userName: String, rolePolicies: (String) async throws -> RolePolicyLookup) async throws {
        guard login.isAllowed else {
            self = .notExplained("the login was not allowed")
            return
        }
        let answer: TransferAnswer
        do {
            answer = try TransferAnswer(json: login.response)
        } catch {
            self = .notExplained(error.description)
            return
        }
        let lookup = try await rolePolicies(answer.role)
        self = .explained(AccessExplainer(answer: answer, userName: userName, lookup: lookup).report(), lookup: lookup)
    }

    /// The member added to `--json` output: the report, or `{"NotExplained": reason}`.
    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data? = switch self {
        case .explained(let report, _): try? encoder.encode(report)
        case .notExplained(let reason): try? encoder.encode(["NotExplained": reason])
        }
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// The lines for people, with a hint when the role's policies were not given.
    var text: String {
        switch self {
        case .explained(let report, let lookup):
            report.text + (lookup == .notGiven ? "\nhint: give the role's policies with --role-policy FILE (or [role-policies] in the config file) to decide what depends on them" : "")
        case .notExplained(let reason):
            "access not explained: \(reason)"
        }
    }
}

import AccessAnalysis
import ArgumentParser
import Foundation
import IdentityProvider

/// `--explain-access` and `--role-policy FILE`: what an allowed login can do in each directory it sees.
struct AccessOptions: ParsableArguments {
    @Flag(name: .long, help: "For an allowed login, show which SFTP operations work in each directory the user sees, and why not (on standard error; in the JSON under \"AccessExplanation\" with --json).")
    var explainAccess = false

    @Option(name: .long, help: ArgumentHelp("A file holding one of the role's IAM policies (JSON); repeat for each policy. Without it, answers that depend on the role are unknown.", valueName: "FILE"))
    var rolePolicy: [String] = []

    func validate() throws {
        if !rolePolicy.isEmpty && !explainAccess {
            throw ValidationError("--role-policy is only used with --explain-access")
        }
    }

    /// The role's policies: from the `--role-policy` files when given, else from the config file's
    /// `[role-policies]` entry for `role`; nil when neither names any. A file that cannot be read or parsed is a
    /// usage error naming the file and the rule.
    func rolePolicies(for role: String?, config: ConfigFile) throws -> [NamedPolicy]? {
        let paths = rolePolicy.isEmpty ? role.flatMap { config.rolePolicyFiles[$0] } ?? [] : rolePolicy
        let origin = rolePolicy.isEmpty ? "role-policies in the config file" : "--role-policy"
        guard !paths.isEmpty else { return nil }
        return try paths.map { path in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("\(origin): \(path): the file cannot be read as UTF-8 text")
            }
            do {
                return try NamedPolicy(name: path, origin: .role, parsing: text)
            } catch let error as PolicyDocumentError {
                throw ValidationError("\(origin): \(error.description)")
            }
        }
    }
}

/// The access explanation of one test login: the report, or why there is none (the login was denied).
enum AccessExplanation {
    case explained(AccessReport)
    case notExplained(String)

    /// Explains `login`, reading the role's policies with `rolePolicies` once the answer names the role.
    init(login: TestLoginReport, userName: String, rolePolicies: (String) throws -> [NamedPolicy]?) throws {
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
        self = .explained(AccessExplainer(answer: answer, userName: userName, rolePolicies: try rolePolicies(answer.role)).report())
    }

    /// The member added to `--json` output: the report, or `{"NotExplained": reason}`.
    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data? = switch self {
        case .explained(let report): try? encoder.encode(report)
        case .notExplained(let reason): try? encoder.encode(["NotExplained": reason])
        }
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// The lines for people, with a hint when the role's policies were not given.
    var text: String {
        switch self {
        case .explained(let report):
            report.text + (report.policies.contains { $0.origin == .role } ? "" : "\nhint: give the role's policies with --role-policy FILE (or [role-policies] in the config file) to decide what depends on them")
        case .notExplained(let reason):
            "access not explained: \(reason)"
        }
    }
}

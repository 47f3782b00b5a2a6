import Foundation
import IdentityModel

/// The output of a test login in the shape of the managed service's `test-identity-provider`:
/// `{"Response": "<answer as a string>", "StatusCode": 200, "Message": "", "Url": "..."}`.
///
/// `Message` is empty when allowed, `access denied: <reason>` when denied; a store failure gives status 500,
/// an empty `Response` and the store's error. Shared by `sftpidp test-login` and the console's test panel.
public struct TestLoginReport: Sendable, Hashable {
    public var response: String
    public var statusCode: Int
    public var message: String
    public var url: String
    /// True when the login was allowed (not part of the JSON).
    public var isAllowed: Bool
    /// Reason, checks, time, store and returned keys; only present when asked for.
    public var explanation: Explanation?

    /// What `--explain` adds.
    public struct Explanation: Sendable, Hashable, Encodable {
        public var allowed: Bool
        public var reason: String
        public var checks: [LoginCheck]
        public var milliseconds: Double
        public var store: String
        /// The fingerprint lines of the keys returned for key authentication.
        public var publicKeys: [String]

        enum CodingKeys: String, CodingKey {
            case allowed = "Allowed", reason = "Reason", checks = "Checks", milliseconds = "Milliseconds", store = "Store", publicKeys = "PublicKeys"
        }
    }

    /// The report of `outcome` for a request made at `url`, with the explanation when `explain` is set.
    public init(outcome: LoginOutcome, url: String, store: String, explain: Bool) {
        self.url = url
        switch outcome {
        case .decided(let decision):
            response = decision.responseText
            statusCode = 200
            isAllowed = decision.isAllowed
            message = decision.isAllowed ? "" : "access denied: \(decision.reason)"
            explanation = explain ? Explanation(
                allowed: decision.isAllowed,
                reason: decision.reason,
                checks: decision.checks,
                milliseconds: Self.milliseconds(decision.duration),
                store: store,
                publicKeys: Self.fingerprints(in: decision.response)
            ) : nil
        case .storeFailure(let failure):
            response = ""
            statusCode = 500
            isAllowed = false
            message = "the secret store could not be read: \(failure.message)"
            explanation = explain ? Explanation(allowed: false, reason: message, checks: failure.checks, milliseconds: Self.milliseconds(failure.duration), store: store, publicKeys: []) : nil
        }
    }


    /// The report as JSON in the managed service's key order (`Response`, `StatusCode`, `Message`, `Url`), indented
    /// as the AWS CLI prints it unless `prettyPrinted` is false (one line); `Explanation` when included, then
    /// `extraMembers` (name and JSON text) in order.
    public func jsonText(prettyPrinted: Bool, includeExplanation: Bool, extraMembers: [(String, String)] = []) -> String {
        var members: [(String, String)] = [
            ("Response", Self.encoded(response)),
            ("StatusCode", String(statusCode)),
            ("Message", Self.encoded(message)),
            ("Url", Self.encoded(url)),
        ]
        if includeExplanation, let explanation {
            members.append(("Explanation", Self.encoded(explanation)))
        }
        members += extraMembers
        if prettyPrinted {
            return "{\n" + members.map { "    \"\($0)\": \($1)" }.joined(separator: ",\n") + "\n}"
        }
        return "{" + members.map { "\"\($0)\":\($1)" }.joined(separator: ",") + "}"
    }

    /// One value as compact JSON with sorted keys.
    private static func encoded(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// The explanation as lines for people: reason, each check, time, returned keys.
    public var explanationText: String? {
        guard let explanation else { return nil }
        var lines = ["\(explanation.allowed ? "allowed" : "denied"): \(explanation.reason)"]
        for check in explanation.checks {
            lines.append("  [\(check.outcome.rawValue)] \(check.name): \(check.detail)")
        }
        if !explanation.publicKeys.isEmpty {
            lines.append("keys returned:")
            lines += explanation.publicKeys.map { "  \($0)" }
        }
        lines.append("store: \(explanation.store)")
        lines.append(String(format: "time: %.3f ms", explanation.milliseconds))
        return lines.joined(separator: "\n")
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    private static func fingerprints(in response: JSONValue) -> [String] {
        guard let keys = response.objectValue?["PublicKeys"]?.arrayValue else { return [] }
        return keys.compactMap(\.stringValue).map { line in
            (try? SSHPublicKey(parsing: line))?.fingerprintLine ?? line
        }
    }
}

/// The values the service gives policy variables for one session, and what is known to have none.
///
/// Transfer Family substitutes `${transfer:UserName}`, `${transfer:HomeDirectory}` (the home without its leading
/// `/`), `${transfer:HomeBucket}` (its first component) and `${transfer:HomeFolder}` (the rest) in the session
/// policy only; the user guide says they cannot be used in the role's own policies.
public struct PolicyVariables: Sendable, Hashable {
    /// What a variable stands for in this session.
    public enum Lookup: Sendable, Hashable {
        /// Substituted with this value.
        case value(String)
        /// Has no value here, so IAM leaves it unresolved and the text holding it matches nothing.
        case missing(String)
        /// Might have a value the explainer cannot know.
        case unknown(String)
    }

    /// The names the service documents, spelled as the user guide spells them.
    public static let transferNames = ["transfer:UserName", "transfer:HomeDirectory", "transfer:HomeBucket", "transfer:HomeFolder"]

    private var transferValues: [String: Lookup]
    private var awsValues: [String: String]

    /// The variables of `userName`'s session; `home` is the PATH home (`/bucket/folder`), nil for a LOGICAL user or
    /// one without a home. `awsValues` holds `aws:` keys known for the session (e.g. `aws:PrincipalType`).
    public init(userName: String, home: String?, awsValues: [String: String] = [:]) {
        transferValues = ["transfer:UserName": .value(userName)]
        if let home, home.count > 1 {
            let directory = String(home.dropFirst())
            let parts = directory.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            transferValues["transfer:HomeDirectory"] = .value(directory)
            transferValues["transfer:HomeBucket"] = .value(String(parts[0]))
            transferValues["transfer:HomeFolder"] = .value(parts.count > 1 ? String(parts[1]) : "")
        } else {
            let why = home == nil
                ? "the user guide does not say what the service substitutes for a user without a PATH home"
                : "the user has no home directory"
            for name in ["transfer:HomeDirectory", "transfer:HomeBucket", "transfer:HomeFolder"] {
                transferValues[name] = .unknown("${\(name)}: \(why)")
            }
        }
        self.awsValues = Dictionary(awsValues.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// What `name` (the text between `${` and `}`) stands for in a policy of `origin`.
    public func lookup(_ name: String, origin: NamedPolicy.Origin) -> Lookup {
        let lowered = name.lowercased()
        if lowered.hasPrefix("transfer:") {
            guard origin == .session else {
                return .missing("${\(name)} is only substituted in the session policy, not in the role's policies")
            }
            if let value = transferValues[name] { return value }
            if let spelled = Self.transferNames.first(where: { $0.lowercased() == lowered }) {
                return .unknown("${\(name)} is not spelled as the user guide writes it (${\(spelled)}), and whether the service substitutes it is not documented")
            }
            return .missing("${\(name)} is not a variable the service sets (it sets \(Self.transferNames.map { "${\($0)}" }.joined(separator: ", ")))")
        }
        if let value = awsValues[lowered] { return .value(value) }
        if lowered == "aws:username" {
            return .missing("${\(name)} has no value in a role session (the user guide: it names an IAM user, not the Transfer user)")
        }
        return .unknown("the session's value of ${\(name)} is not known here")
    }

    /// Policy text with its variables substituted, or why it has no definite value.
    public enum Resolution: Sendable, Hashable {
        case text(PolicyText)
        case missing(String)
        case unknown(String)
    }

    /// Substitutes the variables in `raw`, a string from a policy of `origin`; `substitutes` is false when the
    /// document's version makes `${...}` literal text.
    public func resolve(_ raw: String, origin: NamedPolicy.Origin, substitutes: Bool) -> Resolution {
        guard substitutes, raw.contains("${") else { return .text(PolicyText(written: raw)) }
        var segments: [PolicyText.Segment] = []
        var rest = Substring(raw)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            segments.append(.written(String(rest[..<start.lowerBound])))
            let reference = Self.parseReference(rest[start.upperBound..<end])
            switch reference.name {
            case "*", "?", "$":
                segments.append(.substituted(reference.name))
            default:
                switch lookup(reference.name, origin: origin) {
                case .value(let value): segments.append(.substituted(value))
                case .missing(let reason):
                    guard let fallback = reference.defaultValue else { return .missing(reason) }
                    segments.append(.substituted(fallback))
                case .unknown(let reason): return .unknown(reason)
                }
            }
            rest = rest[rest.index(after: end)...]
        }
        segments.append(.written(String(rest)))
        return .text(PolicyText(segments: segments.filter { $0 != .written("") }))
    }

    /// The variable names used in `raw` (`${name}` or `${name, 'default'}`), the special `${*}`, `${?}` and `${$}`
    /// left out.
    public static func names(in raw: String) -> [String] {
        var names: [String] = []
        var rest = Substring(raw)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            let name = parseReference(rest[start.upperBound..<end]).name
            if !["*", "?", "$"].contains(name) { names.append(name) }
            rest = rest[rest.index(after: end)...]
        }
        return names
    }

    private static func parseReference(_ inner: Substring) -> (name: String, defaultValue: String?) {
        guard let comma = inner.firstIndex(of: ",") else {
            return (inner.trimmingSpaces, nil)
        }
        var fallback = inner[inner.index(after: comma)...].trimmingSpaces
        if fallback.count >= 2, fallback.hasPrefix("'"), fallback.hasSuffix("'") {
            fallback = String(fallback.dropFirst().dropLast())
        }
        return (inner[..<comma].trimmingSpaces, fallback)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

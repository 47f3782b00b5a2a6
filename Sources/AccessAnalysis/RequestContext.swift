/// The condition keys of one S3 request as far as the explainer knows them.
///
/// A key is either present with its values, known to be absent, or unknown: a condition on an unknown key makes
/// the answer unknown rather than a guess.
public struct RequestContext: Sendable, Hashable {
    /// What the context says about one key.
    public enum KeyState: Sendable, Hashable {
        case present([String])
        case absent
        case unknown
    }

    /// Keys with values, by lowercased name (condition key names are not case-sensitive).
    private var values: [String: [String]]
    /// Lowercased names of keys known not to be in the request.
    private var absentKeys: Set<String>

    /// A context with `values` and the keys in `absent` known to be missing; any other key is unknown.
    public init(values: [String: [String]] = [:], absent: Set<String> = []) {
        self.values = Dictionary(values.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.absentKeys = Set(absent.map { $0.lowercased() })
    }

    /// The state of `key`.
    public func state(of key: String) -> KeyState {
        let lowered = key.lowercased()
        if let present = values[lowered] { return .present(present) }
        return absentKeys.contains(lowered) ? .absent : .unknown
    }

    /// The keys with values, sorted, for reports.
    public var presentValues: [(key: String, values: [String])] {
        values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

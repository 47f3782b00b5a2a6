/// Text in a policy after variable substitution: the policy's own characters, where `*` and `?` are wildcards
/// in patterns, and substituted values, which always match literally.
public struct PolicyText: Sendable, Hashable {
    /// One run of characters and where it came from.
    public enum Segment: Sendable, Hashable {
        /// Written in the policy.
        case written(String)
        /// A variable's value.
        case substituted(String)
    }

    public var segments: [Segment]

    public init(segments: [Segment]) {
        self.segments = segments
    }

    /// Text written in the policy, with no variables.
    public init(written text: String) {
        segments = [.written(text)]
    }

    /// The characters, as an equality operator compares them (wildcards are plain characters there).
    public var text: String {
        segments.map { switch $0 { case .written(let text), .substituted(let text): text } }.joined()
    }
}

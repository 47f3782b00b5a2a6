/// Whether part of a statement applies to a request: yes, no (with what did not match), or not knowable here.
public enum Match: Sendable, Hashable {
    case yes
    case no(Mismatch)
    case unknown(String)

    /// Both must hold: a definite no wins over unknown, unknown over yes.
    func and(_ next: @autoclosure () -> Match) -> Match {
        switch self {
        case .no: return self
        case .yes: return next()
        case .unknown:
            let following = next()
            if case .no = following { return following }
            return self
        }
    }
}

/// The element of a statement that did not match a request, and how.
public struct Mismatch: Sendable, Hashable {
    /// Which element of the statement.
    public enum Element: String, Sendable, Hashable, Codable {
        case action = "Action"
        case resource = "Resource"
        case condition = "Condition"
    }

    public var element: Element
    /// The condition key that failed, for a condition.
    public var conditionKey: String?
    /// One sentence, e.g. `StringLike s3:prefix ["home/jess/*"] does not match "home/"`.
    public var detail: String

    public init(element: Element, conditionKey: String? = nil, detail: String) {
        self.element = element
        self.conditionKey = conditionKey
        self.detail = detail
    }
}

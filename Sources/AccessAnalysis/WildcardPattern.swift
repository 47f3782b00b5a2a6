/// IAM's glob: `*` matches any run of characters (also none, also `/` and `:`), `?` exactly one character.
public struct WildcardPattern: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case literal(Character)
        case anySequence
        case anyCharacter
    }

    let tokens: [Token]

    /// The pattern written as plain text.
    public init(_ pattern: String) {
        self.init(PolicyText(written: pattern))
    }

    /// The pattern of substituted policy text: wildcards only where the policy wrote them.
    public init(_ text: PolicyText) {
        var tokens: [Token] = []
        for segment in text.segments {
            switch segment {
            case .substituted(let value):
                tokens += value.map(Token.literal)
            case .written(let written):
                for character in written {
                    switch character {
                    case "*": tokens.append(.anySequence)
                    case "?": tokens.append(.anyCharacter)
                    default: tokens.append(.literal(character))
                    }
                }
            }
        }
        self.tokens = tokens
    }

    /// Whether `value` matches; action names compare `ignoringCase`, resources and condition values do not.
    public func matches(_ value: String, ignoringCase: Bool = false) -> Bool {
        let characters = Array(ignoringCase ? value.lowercased() : value)
        let tokens = ignoringCase ? self.tokens.map { token in
            if case .literal(let character) = token { return Token.literal(Character(character.lowercased())) }
            return token
        } : self.tokens
        // Greedy matching that backtracks only to the last `*`: linear in practice, never exponential.
        var textIndex = 0, tokenIndex = 0
        var starToken: Int?, starText = 0
        while textIndex < characters.count {
            if tokenIndex < tokens.count {
                switch tokens[tokenIndex] {
                case .anySequence:
                    starToken = tokenIndex
                    starText = textIndex
                    tokenIndex += 1
                    continue
                case .anyCharacter:
                    textIndex += 1
                    tokenIndex += 1
                    continue
                case .literal(let character) where character == characters[textIndex]:
                    textIndex += 1
                    tokenIndex += 1
                    continue
                case .literal:
                    break
                }
            }
            guard let star = starToken else { return false }
            tokenIndex = star + 1
            starText += 1
            textIndex = starText
        }
        return tokens[tokenIndex...].allSatisfy { $0 == .anySequence }
    }
}

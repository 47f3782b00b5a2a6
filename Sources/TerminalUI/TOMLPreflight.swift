/// Refuses the TOML that TOMLKit 0.6.0 (toml++ 3) cannot be handed safely, before it parses the text.
///
/// toml++ asserts, and in release builds assumes, things of its input that malformed files break: the process
/// aborts (debug builds) or meets undefined behaviour (release) instead of getting a parse error. Each case
/// was found by the FuzzThemeTOML fuzz target, and `Fuzz/Regressions/FuzzThemeTOML` keeps its input:
/// - a table header that does not start with a key: `[>x]`;
/// - a `}` where an array expects a value: `a=[}`, `a=[1,}`;
/// - a date whose time part does not start with a digit: `a=1979-05-27T=`.
/// This is no TOML parser: it only scans for those shapes (outside strings and comments), and lets TOMLKit
/// report every other error.
enum TOMLPreflight {
    /// Throws a ``ThemeError`` naming the line and column of the first shape toml++ cannot take.
    static func check(_ text: String, origin: String) throws {
        guard let (problem, line, column) = firstProblem(in: Array(text.unicodeScalars)) else { return }
        throw ThemeError(file: origin, line: line, column: column, message: "not valid TOML: \(problem)")
    }

    private enum Bracket { case array, inlineTable }

    /// Scans outside strings and comments for a header without a key, or a `}` where an open array expects a value.
    private static func firstProblem(in characters: [Unicode.Scalar]) -> (String, line: Int, column: Int)? {
        var open: [Bracket] = []
        var expectsValue = false
        var atLineStart = true
        var line = 1, lineStart = 0
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let column = index - lineStart + 1
            switch character {
            case "\n":
                line += 1
                lineStart = index + 1
                atLineStart = true
                index += 1
                continue
            case " ", "\t", "\r", "\u{FEFF}":
                index += 1
                continue
            case "#":
                while index + 1 < characters.count, characters[index + 1] != "\n" { index += 1 }
            case "\"", "'":
                let end = endOfString(characters, from: index)
                if let lastNewline = characters[index..<end].lastIndex(of: "\n") {
                    line += characters[index..<end].filter { $0 == "\n" }.count
                    lineStart = lastNewline + 1
                }
                index = end - 1
                expectsValue = false
            case "=":
                expectsValue = true
            case "[" where expectsValue:
                open.append(.array)
            case "[" where atLineStart:
                var next = index + 1
                if next < characters.count, characters[next] == "[" { next += 1 }
                while next < characters.count, characters[next] == " " || characters[next] == "\t" { next += 1 }
                // `[]` is left to toml++, which reports it.
                if next < characters.count, characters[next] != "]", !startsKey(characters[next]) {
                    return ("a table header must start with a key (letters, digits, _ or -, or a quoted name)", line, next - lineStart + 1)
                }
            case "{" where expectsValue:
                open.append(.inlineTable)
                expectsValue = false
            case ",":
                expectsValue = open.last == .array
            case "]":
                if open.last == .array { open.removeLast() }
                expectsValue = false
            case "}":
                if expectsValue, open.last == .array { return ("an array expects a value or ] here, not }", line, column) }
                if open.last == .inlineTable { open.removeLast() }
                expectsValue = false
            case "0"..."9" where expectsValue && isDateWithoutTime(characters, at: index):
                return ("a date's time part must start with digits, as in 1979-05-27T07:32:00", line, column + 11)
            default:
                expectsValue = false
            }
            atLineStart = false
            index += 1
        }
        return nil
    }

    /// Whether a value starting at `start` is a `YYYY-MM-DD` date followed by `T` and no digit.
    private static func isDateWithoutTime(_ characters: [Unicode.Scalar], at start: Int) -> Bool {
        let shape = Array("dddd-dd-ddT".unicodeScalars)
        guard start + shape.count < characters.count else { return false }
        for (offset, expected) in shape.enumerated() {
            let character = characters[start + offset]
            switch expected {
            case "d": guard ("0"..."9").contains(character) else { return false }
            case "T": guard character == "T" || character == "t" else { return false }
            default: guard character == expected else { return false }
            }
        }
        return !("0"..."9").contains(characters[start + shape.count])
    }

    /// The index just past the string that starts at `start` (basic or literal, one line or three quotes).
    private static func endOfString(_ characters: [Unicode.Scalar], from start: Int) -> Int {
        let quote = characters[start]
        let isTriple = start + 2 < characters.count && characters[start + 1] == quote && characters[start + 2] == quote
        var index = start + (isTriple ? 3 : 1)
        while index < characters.count {
            let character = characters[index]
            if character == "\\", quote == "\"" {
                index += 2
                continue
            }
            if character == "\n", !isTriple { return index }
            if character == quote {
                if !isTriple { return index + 1 }
                if index + 2 < characters.count, characters[index + 1] == quote, characters[index + 2] == quote { return index + 3 }
            }
            index += 1
        }
        return characters.count
    }

    private static func startsKey(_ character: Unicode.Scalar) -> Bool {
        character == "\"" || character == "'" || character == "_" || character == "-"
            || ("a"..."z").contains(character) || ("A"..."Z").contains(character) || ("0"..."9").contains(character)
    }
}

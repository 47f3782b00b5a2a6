/// Text from a store or a request made safe to print to a terminal: the one rule for every output of the CLI and
/// for the console's canvas.
///
/// Unsafe scalars are the C0 controls (U+0000–U+001F), DEL, the C1 controls (U+0080–U+009F), the line and
/// paragraph separators (U+2028, U+2029) and the bidirectional overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069): each can move the cursor, retitle the window, hide or reorder what follows. Printed text shows
/// them as Swift-style escapes (`\u{1B}`), so an administrator sees that they are there.
public enum TerminalText {
    /// True for a scalar that must never reach a terminal as it is.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// How an unsafe scalar is written.
    public enum Escape: Sendable {
        /// `\u{1B}`: for text read by people.
        case swift
        /// `\u001B`: for JSON text, where unsafe scalars only occur inside strings, so the JSON stays valid.
        case json
    }

    /// `text` as one line: every unsafe scalar escaped, line breaks and tabs included. For a value laid out in a
    /// table cell or a row of a report, where a line break would start a line the program did not write.
    public static func oneLine(_ text: String, escape: Escape = .swift) -> String {
        neutralised(text, escape: escape, keepingLayout: false)
    }

    /// `text` with every unsafe scalar escaped; line breaks and tabs are kept when `keepingLayout` (for text
    /// whose lines and columns the program itself laid out), escaped otherwise.
    public static func neutralised(_ text: String, escape: Escape = .swift, keepingLayout: Bool = true) -> String {
        let needsEscape = { (scalar: Unicode.Scalar) in isUnsafe(scalar) && !(keepingLayout && (scalar == "\n" || scalar == "\t")) }
        // Text with nothing to escape comes back as it is (a whole `users list` table: its line breaks are kept).
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.append(scalar)
                continue
            }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            let escaped = switch escape {
            case .swift: "\\u{\(hex)}"
            case .json: "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
            result.append(contentsOf: escaped.unicodeScalars)
        }
        return String(result)
    }
}

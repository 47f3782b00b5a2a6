/// Which characters typed or pasted input may bring into the console's text: printable text only.
///
/// Refused everywhere: C0 controls, DEL and C1 controls (general category Cc), which a terminal would obey if the
/// text were ever echoed (a pasted `ESC ] 0 ; title BEL` retitles the window, a CSI sequence moves the cursor or
/// recolours the screen); the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and
/// marks (U+200E, U+200F, U+061C), which make text display in another order than it is stored (a user name that
/// reads `alice` can be stored as something else); every other format control (category Cf: soft hyphen, word
/// joiner, byte-order mark, invisible operators, tag characters ...); and the line and paragraph separators
/// U+2028 and U+2029. Kept: ZWNJ and ZWJ (U+200C, U+200D), which some scripts and emoji sequences need and which
/// change no order.
///
/// Line breaks: typed CR and LF are the Enter key, never text. A paste keeps its line breaks as LF (CR and CRLF become
/// LF) so that multi-line text, such as several key lines, arrives whole; a one-line field turns them into spaces,
/// so pasted text can never press Enter. A pasted TAB becomes a space.
public enum TextInputFilter {
    /// Whether `scalar` may be inserted into text as typed: printable, not a control or format character.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator, .surrogate:
            return false
        case .format:
            return scalar == "\u{200C}" || scalar == "\u{200D}"
        default:
            return true
        }
    }

    /// Pasted text as text input may take it: line breaks as LF, TAB as a space, every other refused scalar dropped.
    public static func pasted(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\r": result.append("\n")
            case "\n": if !previousWasCR { result.append("\n") }
            case "\t": result.append(" ")
            default: if isAllowed(scalar) { result.append(scalar) }
            }
        }
        return String(result)
    }
}

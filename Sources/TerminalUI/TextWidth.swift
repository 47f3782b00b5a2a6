import CCurses
import TerminalText

/// Display widths of text in terminal columns, and the safe form in which text reaches the screen.
///
/// Widths follow `wcwidth` under a UTF-8 locale (whatever the process locale is), per grapheme
/// cluster (Swift `Character`): the width of the cluster's first scalar, so combining marks add
/// nothing; CJK and emoji take 2 columns. Text never reaches the terminal raw: control characters
/// are shown as `^X` (C0, DEL) or `?` (C1), bidirectional overrides and unprintable scalars as `?`,
/// and a stand-alone zero-width character (a combining mark with nothing to combine with, U+200B)
/// is left out.
public enum TextWidth {
    /// One cell's worth of text after sanitising: what to draw and how many columns it takes (1 or 2).
    public struct Glyph: Sendable, Hashable {
        /// The grapheme cluster to draw.
        public var character: Character
        /// Its display width: 1 or 2.
        public var width: Int
    }

    /// The columns `text` takes once sanitised.
    public static func columns(of text: String) -> Int {
        var total = 0
        forEachGlyph(in: text) { total += $0.width }
        return total
    }

    /// The columns one character takes once sanitised (0 when it is left out, 2 for `^X` forms).
    public static func columns(of character: Character) -> Int {
        glyphs(of: character).reduce(0) { $0 + $1.width }
    }

    /// `text` cut to at most `maxColumns` columns; when cut, the last column shows `ellipsis`.
    public static func truncate(_ text: String, toColumns maxColumns: Int, ellipsis: Character = "…") -> String {
        guard maxColumns > 0 else { return "" }
        guard columns(of: text) > maxColumns else { return text }
        var result = ""
        var used = 0
        var full = false
        let budget = maxColumns - 1
        forEachGlyph(in: text) { glyph in
            // Once one glyph did not fit, a later narrower one must not slip in after the gap.
            guard !full, used + glyph.width <= budget else {
                full = true
                return
            }
            result.append(glyph.character)
            used += glyph.width
        }
        result.append(ellipsis)
        return result
    }

    /// `text` cut to at most `maxColumns` columns by dropping its middle, so both ends (a path's file name) stay.
    public static func truncateMiddle(_ text: String, toColumns maxColumns: Int, ellipsis: Character = "…") -> String {
        guard maxColumns > 1 else { return truncate(text, toColumns: maxColumns, ellipsis: ellipsis) }
        guard columns(of: text) > maxColumns else { return text }
        var glyphs: [Glyph] = []
        forEachGlyph(in: text) { glyphs.append($0) }
        let tailBudget = maxColumns / 2
        var tail: [Character] = []
        var tailUsed = 0
        for glyph in glyphs.reversed() {
            guard tailUsed + glyph.width <= tailBudget else { break }
            tail.append(glyph.character)
            tailUsed += glyph.width
        }
        let head = truncate(String(glyphs.map(\.character)), toColumns: maxColumns - tailUsed, ellipsis: ellipsis)
        return head + String(tail.reversed())
    }

    /// `text` padded with spaces (or cut with an ellipsis) to exactly `width` columns.
    public static func pad(_ text: String, toColumns width: Int) -> String {
        let cut = truncate(text, toColumns: width)
        return cut + String(repeating: " ", count: max(0, width - columns(of: cut)))
    }

    /// Calls `body` with each glyph of `text`, in order.
    public static func forEachGlyph(in text: String, _ body: (Glyph) -> Void) {
        for character in text {
            if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                scalar.value >= 0x20, scalar.value < 0x7F
            {
                body(Glyph(character: character, width: 1))  // plain ASCII: the common case
                continue
            }
            for glyph in glyphs(of: character) { body(glyph) }
        }
    }

    /// The glyphs one character becomes: itself, a `^X` pair, `?`, or nothing.
    static func glyphs(of character: Character) -> [Glyph] {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return [] }
        switch first.value {
        case 0x00..<0x20, 0x7F:
            // Controls never combine with what follows, but "\r\n" is one Character: show each scalar.
            return scalars.flatMap { controlPicture($0) }
        case _ where TerminalText.isUnsafe(first):
            // The rest of what the CLI escapes (C1, separators, bidi overrides and isolates): one `?` cell.
            return [Glyph(character: "?", width: 1)]
        default:
            let width = Int(ccurses_scalar_width(first.value))
            switch width {
            case ..<0: return [Glyph(character: "?", width: 1)]
            case 0: return []
            case 1: return [Glyph(character: character, width: 1)]
            default: return [Glyph(character: character, width: 2)]
            }
        }
    }

    private static func controlPicture(_ scalar: Unicode.Scalar) -> [Glyph] {
        let letter: Character
        switch scalar.value {
        case 0x7F: letter = "?"
        case 0x00..<0x20: letter = Character(Unicode.Scalar(UInt8(scalar.value) + 0x40))
        default: return [Glyph(character: "?", width: 1)]
        }
        return [Glyph(character: "^", width: 1), Glyph(character: letter, width: 1)]
    }
}

import TerminalUI

/// A one-line text input: insert, delete, move, and the usual readline keys (Ctrl-A/E/U/K/W).
///
/// Masked fields (passwords) render one `•` per character and never show their text.
struct TextField: Sendable, Hashable {
    private(set) var characters: [Character]
    private(set) var cursor: Int
    var isMasked: Bool

    init(_ text: String = "", masked: Bool = false) {
        characters = Array(text)
        cursor = characters.count
        isMasked = masked
    }

    var text: String {
        get { String(characters) }
        set {
            characters = Array(newValue)
            cursor = characters.count
        }
    }

    var isEmpty: Bool { characters.isEmpty }

    /// Applies an editing key; returns false when the key is not an editing key (so the screen can use it).
    mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let character):
            characters.insert(character, at: cursor)
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .control("d"):
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
        case .left, .control("b"):
            cursor = max(0, cursor - 1)
        case .right, .control("f"):
            cursor = min(characters.count, cursor + 1)
        case .home, .control("a"):
            cursor = 0
        case .end, .control("e"):
            cursor = characters.count
        case .control("u"):
            characters.removeSubrange(0..<cursor)
            cursor = 0
        case .control("k"):
            characters.removeSubrange(cursor..<characters.count)
        case .control("w"):
            var start = cursor
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        default:
            return false
        }
        return true
    }

    /// Inserts pasted text at the cursor; line breaks become spaces (a field is one line).
    mutating func insert(_ pasted: String) {
        let cleaned = pasted.map { $0.isNewline ? " " : $0 }
        characters.insert(contentsOf: cleaned, at: cursor)
        cursor += cleaned.count
    }

    /// Draws the field in `width` columns, scrolled so the cursor stays visible; sets the canvas cursor when focused.
    func render(into canvas: inout Canvas, row: Int, column: Int, width: Int, focused: Bool, placeholder: String = "") {
        guard width > 0 else { return }
        let role: StyleRole = focused ? .inputFocused : .input
        canvas.fill(row: row, column: column, width: width, role: role)
        if characters.isEmpty, !placeholder.isEmpty {
            canvas.put(placeholder, row: row, column: column, role: .placeholder, maxWidth: width)
            if focused { canvas.cursor = (row: row, column: column) }
            return
        }
        let shown: [Character] = isMasked ? Array(repeating: "•", count: characters.count) : characters
        let visibleCount = max(1, width - 1)
        let start = max(0, cursor - visibleCount)
        let slice = String(shown[start..<min(shown.count, start + visibleCount + (cursor == shown.count ? 0 : 1))])
        canvas.put(slice, row: row, column: column, role: role, maxWidth: width)
        if focused {
            let beforeCursor = String(shown[start..<cursor])
            canvas.cursor = (row: row, column: min(column + width - 1, column + displayWidth(beforeCursor)))
        }
    }
}

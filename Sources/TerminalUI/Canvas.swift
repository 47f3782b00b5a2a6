/// A rows x columns grid of styled cells that screens draw into and terminals present.
///
/// Everything is clipped: writing outside the grid does nothing, never crashes. Text is sanitised
/// by `TextWidth` (no control characters reach the terminal); a wide character that would straddle
/// the right edge (or the `maxWidth` limit) becomes a space.
public struct Canvas: Sendable, Equatable {
    /// The grid's size; setting it keeps the overlapping content and blanks the rest.
    public var size: TerminalSize {
        get { gridSize }
        set { resize(to: newValue) }
    }
    /// What the terminal shows: on `.ascii`, text is written as ``TerminalCharset/displayed(_:)`` makes it.
    public var charset: TerminalCharset = .unicode
    private var gridSize: TerminalSize
    private var cells: [Cell]
    private var cursorPosition: CursorPosition?

    private struct CursorPosition: Sendable, Hashable {
        var row: Int
        var column: Int
    }

    /// A blank canvas of `size`, every cell a space in `role`.
    public init(size: TerminalSize, role: StyleRole = .normal, charset: TerminalCharset = .unicode) {
        self.charset = charset
        self.gridSize = size
        self.cells = Array(repeating: .blank(role), count: size.rows * size.columns)
    }

    /// Where the hardware cursor shows (text inputs); nil hides it. Positions outside the grid hide it too.
    public var cursor: (row: Int, column: Int)? {
        get { cursorPosition.map { ($0.row, $0.column) } }
        set {
            guard let newValue, contains(row: newValue.row, column: newValue.column) else {
                cursorPosition = nil
                return
            }
            cursorPosition = CursorPosition(row: newValue.row, column: newValue.column)
        }
    }

    /// The cell at row/column, nil outside the grid.
    public func cell(row: Int, column: Int) -> Cell? {
        guard contains(row: row, column: column) else { return nil }
        return cells[row * size.columns + column]
    }

    /// Whether row/column lies inside the grid.
    public func contains(row: Int, column: Int) -> Bool {
        row >= 0 && row < size.rows && column >= 0 && column < size.columns
    }

    /// Writes text at row/column, clipped to the canvas (and to `maxWidth` columns when given);
    /// wide characters (CJK, emoji) take 2 columns. Returns the column after the text (at most the
    /// right edge or the `maxWidth` limit).
    @discardableResult
    public mutating func put(
        _ text: String, row: Int, column: Int, role: StyleRole = .normal, maxWidth: Int? = nil
    ) -> Int {
        let limit = min(size.columns, maxWidth.map { column + max(0, $0) } ?? Int.max)
        var x = column
        var stopped = false
        let rowInside = row >= 0 && row < size.rows
        TextWidth.forEachGlyph(in: charset.displayed(text)) { glyph in
            guard !stopped else { return }
            guard x + glyph.width <= limit else {
                if x < limit {  // a wide character straddling the limit: a space instead
                    if rowInside, x >= 0 { setCell(row: row, column: x, character: " ", width: 1, role: role) }
                    x += 1
                }
                stopped = true
                return
            }
            if rowInside {
                if x >= 0 {
                    setCell(row: row, column: x, character: glyph.character, width: glyph.width, role: role)
                } else if x + glyph.width > 0 {  // a wide character cut by the left edge
                    setCell(row: row, column: 0, character: " ", width: 1, role: role)
                }
            }
            x += glyph.width
        }
        return x
    }

    /// Fills `width` cells of one row with spaces in `role`.
    public mutating func fill(row: Int, column: Int, width: Int, role: StyleRole) {
        guard row >= 0, row < size.rows, width > 0 else { return }
        let start = max(0, column)
        let end = min(size.columns, column + width)
        guard start < end else { return }
        for x in start..<end { setCell(row: row, column: x, character: " ", width: 1, role: role) }
    }

    /// Fills a rectangle with spaces in `role` (e.g. a dialog's background).
    public mutating func fill(top: Int, left: Int, height: Int, width: Int, role: StyleRole) {
        guard height > 0 else { return }
        for row in top..<(top + height) { fill(row: row, column: left, width: width, role: role) }
    }

    /// Draws a line border around a rectangle, with an optional title in the top line
    /// (in `titleRole`, cut to fit). Rectangles smaller than 2x2 draw nothing.
    public mutating func box(
        top: Int, left: Int, height: Int, width: Int, role: StyleRole, title: String?,
        titleRole: StyleRole = .title
    ) {
        guard height >= 2, width >= 2 else { return }
        let inner = String(repeating: "─", count: width - 2)
        put("┌" + inner + "┐", row: top, column: left, role: role)
        put("└" + inner + "┘", row: top + height - 1, column: left, role: role)
        if height > 2 {
            for row in (top + 1)..<(top + height - 1) {
                put("│", row: row, column: left, role: role)
                put("│", row: row, column: left + width - 1, role: role)
            }
        }
        if let title, !title.isEmpty, width >= 5 {
            put(" " + title + " ", row: top, column: left + 1, role: titleRole, maxWidth: width - 2)
        }
    }

    /// Plain text of the canvas, one line per row, trailing spaces trimmed: for snapshots.
    public var text: String {
        (0..<size.rows).map { row in
            var line = ""
            for x in 0..<size.columns {
                let cell = cells[row * size.columns + x]
                if !cell.isContinuation { line.append(cell.character) }
            }
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// Text with role markers for colour snapshots: each run of cells in one role as `[role]text`;
    /// trailing spaces in the `normal` role are trimmed.
    public var styledText: String {
        (0..<size.rows).map { row in
            let rowStart = row * size.columns
            var end = size.columns
            while end > 0, cells[rowStart + end - 1] == .blank(.normal) { end -= 1 }
            var line = ""
            var currentRole: StyleRole?
            for x in 0..<end {
                let cell = cells[rowStart + x]
                if cell.isContinuation { continue }
                if cell.role != currentRole {
                    line += "[\(cell.role.rawValue)]"
                    currentRole = cell.role
                }
                line.append(cell.character)
            }
            return line
        }.joined(separator: "\n")
    }

    /// The number of cells that differ from `other` (every cell when the sizes differ).
    public func changedCells(since other: Canvas?) -> Int {
        guard let other, other.size == size else { return cells.count }
        var changed = 0
        for index in cells.indices where cells[index] != other.cells[index] { changed += 1 }
        return changed
    }

    public static func == (lhs: Canvas, rhs: Canvas) -> Bool {
        lhs.size == rhs.size && lhs.cursorPosition == rhs.cursorPosition && lhs.cells == rhs.cells
    }

    /// Stores one character, first breaking up any wide character it overlaps.
    private mutating func setCell(row: Int, column: Int, character: Character, width: Int, role: StyleRole) {
        let rowStart = row * size.columns
        detach(rowStart: rowStart, column: column)
        cells[rowStart + column] = Cell(character: character, role: role, width: width)
        if width == 2, column + 1 < size.columns {
            detach(rowStart: rowStart, column: column + 1)
            cells[rowStart + column + 1] = Cell(character: " ", role: role, width: 0)
        }
    }

    /// Before a cell is overwritten: the other half of a wide character there becomes a space.
    private mutating func detach(rowStart: Int, column: Int) {
        let current = cells[rowStart + column]
        if current.isContinuation, column > 0 {
            cells[rowStart + column - 1] = .blank(cells[rowStart + column - 1].role)
        } else if current.width == 2, column + 1 < size.columns {
            cells[rowStart + column + 1] = .blank(cells[rowStart + column + 1].role)
        }
    }

    private mutating func resize(to newSize: TerminalSize) {
        guard newSize != gridSize else { return }
        var resized = Canvas(size: newSize)
        for row in 0..<min(gridSize.rows, newSize.rows) {
            for column in 0..<min(gridSize.columns, newSize.columns) {
                var cell = cells[row * gridSize.columns + column]
                // A wide character cut in half by the new right edge becomes a space.
                if cell.width == 2, column + 1 >= newSize.columns { cell = .blank(cell.role) }
                resized.cells[row * newSize.columns + column] = cell
            }
        }
        resized.cursor = cursor
        self = resized
    }

    /// Every cell, row by row (for drivers).
    func forEachCell(_ body: (_ row: Int, _ column: Int, _ cell: Cell) -> Void) {
        for row in 0..<size.rows {
            for column in 0..<size.columns { body(row, column, cells[row * size.columns + column]) }
        }
    }
}

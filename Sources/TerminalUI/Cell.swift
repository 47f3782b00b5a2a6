/// One cell of a canvas: a grapheme cluster in a role, or the right half of a wide one.
public struct Cell: Sendable, Hashable {
    /// What to draw: a sanitised grapheme cluster (never a control character).
    public var character: Character
    /// How the cell is coloured.
    public var role: StyleRole
    /// 1 for a narrow character, 2 for the left half of a wide one, 0 for the right half of a wide one.
    public var width: Int

    /// A space in `role`.
    public static func blank(_ role: StyleRole = .normal) -> Cell {
        Cell(character: " ", role: role, width: 1)
    }

    /// Whether this is the right half of a wide character (drawn by the cell on its left).
    public var isContinuation: Bool { width == 0 }
}

/// Rows and columns of a terminal or canvas.
public struct TerminalSize: Sendable, Hashable, CustomStringConvertible {
    /// Number of rows (lines), never negative.
    public var rows: Int
    /// Number of columns (cells per row), never negative.
    public var columns: Int

    /// Creates a size; negative values are clamped to zero.
    public init(rows: Int, columns: Int) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
    }

    /// "COLUMNSxROWS", as terminals usually name their size (e.g. "80x24").
    public var description: String { "\(columns)x\(rows)" }

    /// Whether this size is at least `other` in both directions.
    public func isAtLeast(_ other: TerminalSize) -> Bool {
        rows >= other.rows && columns >= other.columns
    }
}

/// A theme that cannot be used: names the file, the line (when known) and the rule broken.
public struct ThemeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The theme file (a path, or `built-in:NAME`).
    public var file: String
    /// The 1-based line of the problem, when known.
    public var line: Int?
    /// The 1-based column of the problem, when known.
    public var column: Int?
    /// What is wrong and which rule applies.
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, like compilers print it.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "theme \(location): \(message)"
    }
}

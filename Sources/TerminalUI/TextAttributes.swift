/// Text attributes a theme can give a role: bold, dim, underline, reverse, italic.
public struct TextAttributes: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let underline = TextAttributes(rawValue: 1 << 2)
    public static let reverse = TextAttributes(rawValue: 1 << 3)
    public static let italic = TextAttributes(rawValue: 1 << 4)

    /// Every attribute with its name in theme files, in a fixed order.
    public static let named: [(name: String, attribute: TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline), ("reverse", .reverse), ("italic", .italic),
    ]

    /// The attribute called `name` in theme files, nil if there is none.
    public init?(name: String) {
        guard let match = Self.named.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = match.attribute
    }

    /// The names, e.g. `["bold", "reverse"]`.
    public var names: [String] { Self.named.filter { contains($0.attribute) }.map(\.name) }

    public var description: String { "[" + names.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
}

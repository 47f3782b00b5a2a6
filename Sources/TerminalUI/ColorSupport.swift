/// How many colours a terminal can show, from none to 24-bit.
public enum ColorSupport: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// No colours: roles are told apart by attributes (bold, reverse, underline, dim) only.
    case monochrome
    /// The eight ANSI colours.
    case ansi8
    /// The eight ANSI colours and their bright variants.
    case ansi16
    /// The xterm 256-colour palette.
    case xterm256
    /// Direct 24-bit colour.
    case truecolor

    public static func < (lhs: ColorSupport, rhs: ColorSupport) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .monochrome: "monochrome"
        case .ansi8: "8 colours"
        case .ansi16: "16 colours"
        case .xterm256: "256 colours"
        case .truecolor: "24-bit colour"
        }
    }

    /// The support that matches a terminal reporting `colors` colours (curses' `COLORS`).
    public init(colorCount colors: Int) {
        switch colors {
        case 0x100_0000...: self = .truecolor
        case 256...: self = .xterm256
        case 16...: self = .ansi16
        case 8...: self = .ansi8
        default: self = .monochrome
        }
    }

    /// Whether the environment asks for no colour (`NO_COLOR` set to any non-empty value, see no-color.org).
    public static func noColorRequested(in environment: [String: String]) -> Bool {
        guard let value = environment["NO_COLOR"] else { return false }
        return !value.isEmpty
    }
}

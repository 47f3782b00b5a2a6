/// The theme a console session starts with, and how it was picked (shown on the help screen).
public struct ThemeChoice: Sendable, Hashable {
    /// The value that asks for the built-in theme matching the terminal's background (the default).
    public static let auto = "auto"

    public var theme: Theme
    /// The theme's name and, for `auto`, the background found and how, e.g.
    /// `light (auto: light background, reported by the terminal (OSC 11))`.
    public var explanation: String

    /// Warnings to show before the console starts: one line per role that breaks the contrast rule.
    public var contrastWarnings: [String] {
        ThemeContrast.problems(in: theme).map { "theme \(theme.origin): warning: \($0)" }
    }
}

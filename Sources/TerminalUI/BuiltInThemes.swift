/// The shipped themes, built into the module (their text is in `BuiltInThemeSources.swift`).
enum BuiltInThemes {
    /// The theme every other one inherits from unless it says otherwise; it sets every role.
    static let rootName = "default"

    static var all: [(name: String, text: String)] { sources }

    static func text(of name: String) -> String? {
        sources.first { $0.name == name }?.text
    }

    static func origin(of name: String) -> String { "built-in:" + name }
}

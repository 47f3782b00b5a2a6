/// One theme file as written: what it sets, before inheritance fills in the rest.
struct ThemeDocument: Sendable {
    /// A role's settings; nil fields come from the parent theme.
    struct PartialStyle: Sendable, Hashable {
        var foreground: ThemeColor?
        var background: ThemeColor?
        var attributes: TextAttributes?
        var monochrome: TextAttributes?

        /// This style with its unset fields taken from `parent`.
        func merged(over parent: RoleStyle) -> RoleStyle {
            RoleStyle(
                foreground: foreground ?? parent.foreground,
                background: background ?? parent.background,
                attributes: attributes ?? parent.attributes,
                monochrome: monochrome ?? parent.monochrome
            )
        }

        /// The complete style, or the name of the first missing colour.
        func complete() -> Result<RoleStyle, MissingField> {
            guard let foreground else { return .failure(MissingField(key: "fg")) }
            guard let background else { return .failure(MissingField(key: "bg")) }
            return .success(
                RoleStyle(
                    foreground: foreground, background: background,
                    attributes: attributes ?? [], monochrome: monochrome ?? []))
        }
    }

    struct MissingField: Error {
        var key: String
    }

    /// Where the text came from (a path or `built-in:NAME`).
    var origin: String
    /// The source text, to point at lines in later errors.
    var text: String
    var name: String?
    var description: String?
    var inherits: String?
    var roles: [StyleRole: PartialStyle]
}

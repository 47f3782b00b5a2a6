/// How one role looks: colours and attributes, and the attributes to use when there is no colour.
public struct RoleStyle: Sendable, Hashable {
    /// Foreground colour.
    public var foreground: ThemeColor
    /// Background colour.
    public var background: ThemeColor
    /// Attributes used together with the colours.
    public var attributes: TextAttributes
    /// Attributes used alone on monochrome terminals and under `NO_COLOR`.
    public var monochrome: TextAttributes

    public init(
        foreground: ThemeColor, background: ThemeColor, attributes: TextAttributes = [],
        monochrome: TextAttributes = []
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
        self.monochrome = monochrome
    }

    /// The colours (nil when none) and attributes to draw with on a terminal with `support`.
    public func rendition(for support: ColorSupport) -> Rendition {
        guard support != .monochrome,
            let foreground = foreground.degraded(to: support),
            let background = background.degraded(to: support)
        else { return Rendition(colors: nil, attributes: monochrome) }
        return Rendition(colors: .init(foreground: foreground, background: background), attributes: attributes)
    }

    /// What a driver actually draws for a role: degraded colours (nil in monochrome) plus attributes.
    public struct Rendition: Sendable, Hashable {
        /// A colour pair as the terminal can show it.
        public struct Colors: Sendable, Hashable {
            public var foreground: ThemeColor
            public var background: ThemeColor
        }

        /// The colours, nil in monochrome.
        public var colors: Colors?
        /// The attributes.
        public var attributes: TextAttributes
    }
}

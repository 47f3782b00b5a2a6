#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The contrast rule of the theme format: every role's text must stand out from its background.
///
/// Every cell the console draws is one role's foreground on the same role's background (the console
/// never puts one role's text on another role's background), so the pairs to check are the roles
/// themselves. Each is computed as xterm shows it with its default palette:
/// - at 24-bit and 256 colours (`checkedSupport`), where a theme's colours show as written or as the nearest
///   entry of the xterm cube; 16 and 8 colours are not held to the rule: their palettes have no greys and only
///   four colours readable on white, so a degraded theme is shown as well as they allow;
/// - on a dark terminal (its own colours white `#ffffff` on black `#000000`) and on a light one (black
///   on white), since `default` means the terminal's own colour;
/// - with `bold` on colours 0-7 both as is and as bright (8-15), as terminals that show bold as bright do;
/// - with `reverse` swapping the two.
///
/// `dim` and `italic` are not counted (terminals draw them differently, or not at all), and neither are the
/// monochrome attributes, which use the terminal's own pair.
public enum ThemeContrast {
    /// The WCAG 2 minimum for text (level AA).
    public static let minimumRatio = 4.5
    /// The minimum a theme named `high-contrast` promises (WCAG level AAA).
    public static let highContrastRatio = 7.0

    /// The colour depths the rule is checked at.
    public static let checkedSupport: [ColorSupport] = [.truecolor, .xterm256]

    /// The ratio a theme must reach: 7:1 for `high-contrast`, 4.5:1 for every other.
    public static func requiredRatio(for theme: Theme) -> Double {
        theme.name == "high-contrast" ? highContrastRatio : minimumRatio
    }

    /// One role drawn with too little contrast, with where and how it was drawn.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The role drawn too faintly.
        public var role: StyleRole
        /// The terminal background it fails on.
        public var background: TerminalBackground
        /// The colour depth it fails at.
        public var colorSupport: ColorSupport
        /// The text colour as drawn (`#rrggbb`).
        public var foreground: String
        /// The background colour as drawn (`#rrggbb`).
        public var backgroundColor: String
        /// Whether the text colour is the bright variant that bold turns colours 0-7 into.
        public var boldShownBright: Bool
        /// The WCAG contrast ratio found.
        public var ratio: Double
        /// The ratio the theme must reach.
        public var required: Double

        public var description: String {
            "roles.\(role.rawValue): text \(foreground)\(boldShownBright ? " (bold shown bright)" : "") on \(backgroundColor) "
                + "is \(Self.format(ratio)):1 on a \(background) terminal at \(colorSupport); text needs at least \(Self.format(required)):1"
        }

        static func format(_ ratio: Double) -> String {
            let tenths = Int((ratio * 10).rounded(.down))
            return "\(tenths / 10).\(tenths % 10)"
        }
    }

    /// Every role that falls below `required` somewhere, at most one problem (the worst) per role.
    public static func problems(in theme: Theme, required: Double? = nil) -> [Problem] {
        let required = required ?? requiredRatio(for: theme)
        var worst: [StyleRole: Problem] = [:]
        for role in StyleRole.allCases {
            for support in checkedSupport {
                for background in TerminalBackground.allCases {
                    for drawn in pairs(of: theme.style(for: role), support: support, on: background) {
                        let ratio = Self.ratio(drawn.foreground, drawn.background)
                        guard ratio < required, ratio < (worst[role]?.ratio ?? .infinity) else { continue }
                        worst[role] = Problem(
                            role: role, background: background, colorSupport: support, foreground: hex(drawn.foreground),
                            backgroundColor: hex(drawn.background), boldShownBright: drawn.boldShownBright, ratio: ratio,
                            required: required)
                    }
                }
            }
        }
        return StyleRole.allCases.compactMap { worst[$0] }
    }

    /// The WCAG 2 contrast ratio of two colours, from 1 (same luminance) to 21 (black and white).
    static func ratio(_ first: Palette.RGB, _ second: Palette.RGB) -> Double {
        let (a, b) = (luminance(first), luminance(second))
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// WCAG 2 relative luminance of an sRGB colour.
    static func luminance(_ color: Palette.RGB) -> Double {
        func linear(_ channel: Int) -> Double {
            let value = Double(channel) / 255
            return value <= 0.039_28 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(color.red) + 0.7152 * linear(color.green) + 0.0722 * linear(color.blue)
    }

    /// A colour pair as a terminal shows it.
    struct DrawnPair {
        var foreground: Palette.RGB
        var background: Palette.RGB
        var boldShownBright: Bool
    }

    /// The pairs `style` may show as on a terminal with `support` and `background`: one, or two when bold may
    /// brighten the text colour.
    static func pairs(of style: RoleStyle, support: ColorSupport, on background: TerminalBackground) -> [DrawnPair] {
        let rendition = style.rendition(for: support)
        guard let colors = rendition.colors else { return [] }
        let back = rgb(colors.background, isForeground: false, on: background)
        var fronts = [(rgb(colors.foreground, isForeground: true, on: background), false)]
        if rendition.attributes.contains(.bold), case .indexed(let index) = colors.foreground, index < 8 {
            fronts.append((Palette.rgb(ofIndex: index + 8), true))
        }
        return fronts.map { front, bright in
            rendition.attributes.contains(.reverse)
                ? DrawnPair(foreground: back, background: front, boldShownBright: bright)
                : DrawnPair(foreground: front, background: back, boldShownBright: bright)
        }
    }

    private static func rgb(_ color: ThemeColor, isForeground: Bool, on background: TerminalBackground) -> Palette.RGB {
        guard color == .terminalDefault else { return color.rgbValue }
        return isForeground ? background.defaultForeground : background.defaultBackground
    }

    static func hex(_ color: Palette.RGB) -> String {
        ThemeColor.rgb(red: UInt8(color.red), green: UInt8(color.green), blue: UInt8(color.blue)).description
    }
}

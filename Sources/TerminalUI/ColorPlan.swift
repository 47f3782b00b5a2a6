/// Which curses colour pair and attributes each role gets for a theme on a given terminal.
///
/// Pure arithmetic, unit-tested: colours are degraded to what the terminal shows, equal fg/bg
/// combinations share a pair, and a role that finds no free pair falls back to its monochrome
/// attributes (8-colour terminals may have as few as 64 pairs).
struct ColorPlan: Equatable {
    /// How one role is drawn: pair 0 means the terminal's own colours.
    struct Entry: Equatable {
        var pair: Int32
        var attributes: TextAttributes
    }

    /// A pair to define with `init_extended_pair`.
    struct Pair: Hashable {
        var number: Int32
        var foreground: Int32
        var background: Int32
    }

    private(set) var entries: [StyleRole: Entry] = [:]
    private(set) var pairs: [Pair] = []

    /// - Parameters:
    ///   - maxPairs: curses' `COLOR_PAIRS` (pair 0 is reserved).
    ///   - defaultColors: whether `use_default_colors` worked, so that -1 means the terminal's own colour.
    init(theme: Theme, support: ColorSupport, maxPairs: Int, defaultColors: Bool) {
        var numbers: [Pair: Int32] = [:]
        for role in StyleRole.allCases {
            let style = theme.style(for: role)
            let rendition = style.rendition(for: support)
            guard let colors = rendition.colors else {
                entries[role] = Entry(pair: 0, attributes: rendition.attributes)
                continue
            }
            let key = Pair(
                number: 0,
                foreground: Self.cursesColor(colors.foreground, support: support, defaultColors: defaultColors, isForeground: true),
                background: Self.cursesColor(colors.background, support: support, defaultColors: defaultColors, isForeground: false))
            if key.foreground == -1, key.background == -1 {
                entries[role] = Entry(pair: 0, attributes: rendition.attributes)
            } else if let number = numbers[key] {
                entries[role] = Entry(pair: number, attributes: rendition.attributes)
            } else if pairs.count + 1 < maxPairs {
                let number = Int32(pairs.count + 1)
                numbers[key] = number
                pairs.append(Pair(number: number, foreground: key.foreground, background: key.background))
                entries[role] = Entry(pair: number, attributes: rendition.attributes)
            } else {
                entries[role] = Entry(pair: 0, attributes: style.monochrome)
            }
        }
    }

    func entry(for role: StyleRole) -> Entry { entries[role] ?? Entry(pair: 0, attributes: []) }

    /// The colour number curses takes. `default` is -1 with default colours, else white on black;
    /// in direct (24-bit) mode numbers below 8 are the ANSI colours and the rest packed RGB.
    static func cursesColor(_ color: ThemeColor, support: ColorSupport, defaultColors: Bool, isForeground: Bool) -> Int32 {
        switch color {
        case .terminalDefault:
            return defaultColors ? -1 : (isForeground ? 7 : 0)
        case .indexed(let index):
            guard support == .truecolor, index >= 8 else { return Int32(index) }
            return packed(Palette.rgb(ofIndex: index))
        case .rgb:
            return packed(color.rgbValue)
        }
    }

    private static func packed(_ rgb: Palette.RGB) -> Int32 {
        max(8, Int32(rgb.red << 16 | rgb.green << 8 | rgb.blue))
    }
}

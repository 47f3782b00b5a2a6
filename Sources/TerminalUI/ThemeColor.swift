/// A colour as a theme names it: the terminal's own, a palette index, or 24-bit RGB.
public enum ThemeColor: Sendable, Hashable, CustomStringConvertible {
    /// The terminal's own foreground or background (`default`).
    case terminalDefault
    /// A palette entry: 0-7 the ANSI colours, 8-15 their bright variants, 16-255 the xterm cube and greys.
    case indexed(UInt8)
    /// `#rrggbb`.
    case rgb(red: UInt8, green: UInt8, blue: UInt8)

    /// The names of palette entries 0-15, in order.
    public static let names = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]

    /// The rule a colour value follows, for error messages.
    public static let syntaxRule = "a colour name (black, red, green, yellow, blue, magenta, cyan, white, bright-*), 0-255, #rrggbb or default"

    /// Parses `default`, a name (`red`, `bright-blue`, `grey` = `bright-black`), `0`-`255` or `#rrggbb`.
    public init?(parsing text: String) {
        let value = text.lowercased()
        if value == "default" {
            self = .terminalDefault
        } else if let index = Self.names.firstIndex(of: value) {
            self = .indexed(UInt8(index))
        } else if value == "grey" || value == "gray" {
            self = .indexed(8)
        } else if let number = UInt8(value) {
            self = .indexed(number)
        } else if value.count == 7, value.first == "#", value.dropFirst().allSatisfy(\.isHexDigit),
            let packed = UInt32(value.dropFirst(), radix: 16)
        {
            self = .rgb(red: UInt8(packed >> 16), green: UInt8((packed >> 8) & 0xFF), blue: UInt8(packed & 0xFF))
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .terminalDefault: return "default"
        case .indexed(let index): return index < 16 ? Self.names[Int(index)] : String(index)
        case .rgb(let red, let green, let blue):
            return "#" + [red, green, blue].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }

    /// The closest colour the terminal can show: `#rrggbb` -> 256 -> 16 -> 8; nil for monochrome.
    public func degraded(to support: ColorSupport) -> ThemeColor? {
        switch (self, support) {
        case (_, .monochrome): return nil
        case (.terminalDefault, _), (_, .truecolor): return self
        case (.indexed, .xterm256): return self
        case (.rgb, .xterm256): return .indexed(Palette.nearestXterm256(to: rgbValue))
        case (.indexed(let index), .ansi16) where index < 16: return self
        case (_, .ansi16): return .indexed(Palette.nearest(to: rgbValue, among: 0..<16))
        case (.indexed(let index), .ansi8) where index < 8: return self
        case (_, .ansi8): return .indexed(Palette.nearest(to: rgbValue, among: 0..<8))
        }
    }

    /// The colour as RGB (palette entries by xterm's default palette; `default` as black).
    var rgbValue: Palette.RGB {
        switch self {
        case .terminalDefault: return Palette.RGB(0, 0, 0)
        case .indexed(let index): return Palette.rgb(ofIndex: index)
        case .rgb(let red, let green, let blue): return Palette.RGB(Int(red), Int(green), Int(blue))
        }
    }
}

/// xterm's palette and nearest-colour search.
enum Palette {
    struct RGB: Hashable {
        var red: Int, green: Int, blue: Int
        init(_ red: Int, _ green: Int, _ blue: Int) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        /// A perceptual distance: the "redmean" weighted RGB distance plus a penalty for differing
        /// saturation, so that a grey maps to a grey (white, bright-black) rather than to a dark
        /// saturated colour that happens to be close in plain RGB.
        func distance(to other: RGB) -> Int {
            let redMean = (red + other.red) / 2
            let dr = red - other.red, dg = green - other.green, db = blue - other.blue
            let dc = chroma - other.chroma
            return (512 + redMean) * dr * dr + 1024 * dg * dg + (767 - redMean) * db * db + 768 * dc * dc
        }

        var chroma: Int { max(red, green, blue) - min(red, green, blue) }
    }

    static let ansi: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
        RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    static func rgb(ofIndex index: UInt8) -> RGB {
        let i = Int(index)
        switch i {
        case 0..<16: return ansi[i]
        case 16..<232:
            let cube = i - 16
            return RGB(cubeLevels[cube / 36], cubeLevels[(cube / 6) % 6], cubeLevels[cube % 6])
        default:
            let level = 8 + (i - 232) * 10
            return RGB(level, level, level)
        }
    }

    static func nearest(to color: RGB, among indices: Range<Int>) -> UInt8 {
        var best = indices.lowerBound
        var bestDistance = Int.max
        for index in indices {
            let distance = color.distance(to: rgb(ofIndex: UInt8(index)))
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return UInt8(best)
    }

    /// The nearest of entries 16-255 (the cube and the grey ramp; 0-15 vary between terminals).
    static func nearestXterm256(to color: RGB) -> UInt8 {
        func nearestLevel(_ value: Int) -> Int {
            cubeLevels.indices.min { abs(cubeLevels[$0] - value) < abs(cubeLevels[$1] - value) } ?? 0
        }
        let cubeIndex = 16 + 36 * nearestLevel(color.red) + 6 * nearestLevel(color.green) + nearestLevel(color.blue)
        let average = (color.red + color.green + color.blue) / 3
        let greyIndex = 232 + min(23, max(0, (average - 3) / 10))
        let cubeDistance = color.distance(to: rgb(ofIndex: UInt8(cubeIndex)))
        let greyDistance = color.distance(to: rgb(ofIndex: UInt8(greyIndex)))
        return UInt8(greyDistance < cubeDistance ? greyIndex : cubeIndex)
    }
}

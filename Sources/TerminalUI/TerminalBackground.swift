#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a terminal draws dark text on a light background or the reverse.
public enum TerminalBackground: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Light text on a dark background (modelled as xterm `-fg white -bg black`).
    case dark
    /// Dark text on a light background (modelled as xterm `-fg black -bg white`).
    case light

    public var description: String { rawValue }

    /// The built-in theme `--theme auto` picks for this background.
    public var autoThemeName: String {
        switch self {
        case .dark: "default"
        case .light: "light"
        }
    }

    /// The terminal's own text colour (`default` as a foreground).
    var defaultForeground: Palette.RGB { self == .dark ? Palette.RGB(255, 255, 255) : Palette.RGB(0, 0, 0) }
    /// The terminal's own background colour (`default` as a background).
    var defaultBackground: Palette.RGB { self == .dark ? Palette.RGB(0, 0, 0) : Palette.RGB(255, 255, 255) }

    /// Dark or light for a background colour: light when black text on it has more contrast than white text.
    static func of(color: Palette.RGB) -> TerminalBackground {
        let black = ThemeContrast.ratio(color, Palette.RGB(0, 0, 0))
        let white = ThemeContrast.ratio(color, Palette.RGB(255, 255, 255))
        return black > white ? .light : .dark
    }

    /// The background from a reply to the OSC 11 query, `ESC ] 11 ; rgb:RRRR/GGGG/BBBB` ended by BEL or
    /// `ESC \` (1 to 4 hex digits per channel; `rgba:` with a fourth channel also accepted); nil for anything else.
    /// Bytes before the reply (typed keys, other replies) are skipped.
    public static func parseOSC11Reply(_ bytes: [UInt8]) -> TerminalBackground? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let start = text.range(of: "\u{1B}]11;") else { return nil }
        let rest = text[start.upperBound...]
        guard let end = rest.firstIndex(where: { $0 == "\u{07}" || $0 == "\u{1B}" }) else { return nil }
        let body = rest[..<end]
        let channels: [Substring]
        if body.hasPrefix("rgb:") {
            channels = body.dropFirst(4).split(separator: "/", omittingEmptySubsequences: false)
            guard channels.count == 3 else { return nil }
        } else if body.hasPrefix("rgba:") {
            channels = Array(body.dropFirst(5).split(separator: "/", omittingEmptySubsequences: false).prefix(3))
            guard body.split(separator: "/").count == 4 else { return nil }
        } else {
            return nil
        }
        var values: [Int] = []
        for channel in channels {
            guard (1...4).contains(channel.count), channel.allSatisfy(\.isHexDigit), let value = Int(channel, radix: 16) else {
                return nil
            }
            let maximum = (1 << (4 * channel.count)) - 1
            values.append((value * 255 + maximum / 2) / maximum)
        }
        return of(color: Palette.RGB(values[0], values[1], values[2]))
    }

    /// The background from `COLORFGBG` (`fg;bg` or `fg;default;bg`, set by rxvt, Konsole and others): colours
    /// 0-6 and 8 are dark, 7 and 9-15 light; nil when unset or not understood.
    public static func parseCOLORFGBG(_ value: String?) -> TerminalBackground? {
        guard let value, let last = value.split(separator: ";", omittingEmptySubsequences: false).last,
            value.contains(";"), let index = Int(last), (0...15).contains(index)
        else { return nil }
        return (0...6).contains(index) || index == 8 ? .dark : .light
    }

    /// How the background was found, for the help screen.
    public enum Source: String, Sendable, Hashable {
        case osc11 = "reported by the terminal (OSC 11)"
        case colorfgbg = "from COLORFGBG"
        case assumed = "assumed: the terminal did not say"
    }

    /// Asks the controlling terminal (OSC 11, then `COLORFGBG`); dark when neither answers. Call before curses
    /// starts: it switches the terminal to raw mode for at most `timeout` and restores it. The terminal is only
    /// asked when standard input and output are both a terminal (as the console needs).
    public static func detect(
        environment: [String: String], timeout: Duration = .milliseconds(200)
    ) -> (background: TerminalBackground, source: Source) {
        if isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1, let reply = queryTerminal(timeout: timeout),
            let background = parseOSC11Reply(reply)
        {
            return (background, .osc11)
        }
        if let background = parseCOLORFGBG(environment["COLORFGBG"]) { return (background, .colorfgbg) }
        return (.dark, .assumed)
    }

    /// Writes the OSC 11 query followed by a device-attributes request (`ESC [ c`, answered by every terminal)
    /// to `/dev/tty`, and reads until the device-attributes reply arrives or `timeout` passes; nil without a tty.
    static func queryTerminal(timeout: Duration) -> [UInt8]? {
        TerminalQuery.ask(Array("\u{1B}]11;?\u{1B}\\\u{1B}[c".utf8), until: endsWithDeviceAttributes, timeout: timeout)
    }

    /// Whether `bytes` hold a device-attributes reply, `ESC [ ? ... c`.
    static func endsWithDeviceAttributes(_ bytes: [UInt8]) -> Bool {
        guard let last = bytes.last, last == UInt8(ascii: "c") else { return false }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.contains("\u{1B}[?")
    }
}

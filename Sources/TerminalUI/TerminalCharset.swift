import CCurses

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a terminal can show: every Unicode character (UTF-8), or ASCII only.
///
/// On `.ascii` a ``Canvas`` writes the console's own symbols as ASCII look-alikes of the same width (`·` as `.`,
/// `✔` as `+`, arrows as `^ v < >`) and any other non-ASCII text as Swift-style escapes (`j\u{F6}rg`), so that
/// nothing shows as `?`; box lines stay line characters, which curses sends as the terminal's alternate character
/// set (or `+ - |` where it has none).
public enum TerminalCharset: String, Sendable, Hashable, CustomStringConvertible {
    case unicode = "utf-8"
    case ascii

    public var description: String { rawValue }

    /// `SFTPIDP_CHARSET` (`utf-8` or `ascii`, any case) when set, nil otherwise; an unknown value is an error.
    public static func requested(in environment: [String: String]) throws(TerminalError) -> TerminalCharset? {
        guard let value = environment["SFTPIDP_CHARSET"], !value.isEmpty else { return nil }
        switch value.lowercased() {
        case "utf-8", "utf8": return .unicode
        case "ascii": return .ascii
        default: throw TerminalError.unknownCharset(value)
        }
    }

    /// `text` as this charset can show it: unchanged for `.unicode`; for `.ascii`, the console's own symbols as
    /// ASCII look-alikes (mostly one column, as wide as the symbol), box lines kept (curses draws them), and every other
    /// non-ASCII scalar as a Swift-style escape (`\u{F6}`), so that user data is shown exactly, never as `?`.
    public func displayed(_ text: String) -> String {
        guard self == .ascii, !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII || ccurses_is_line_character(wchar_t(bitPattern: scalar.value)) != 0 {
                result.unicodeScalars.append(scalar)
            } else if let lookAlike = Self.asciiLookAlikes[scalar] {
                result += lookAlike
            } else {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return result
    }

    /// The console's own symbols in ASCII.
    static let asciiLookAlikes: [Unicode.Scalar: String] = [
        "·": ".", "•": "*", "●": "*", "…": "~", "—": "-", "–": "-", "›": ">", "→": ">", "←": "<", "↑": "^", "↓": "v",
        "✔": "+", "✓": "+", "✗": "x", "✘": "x", "⏎": "Enter", "“": "\"", "”": "\"", "‘": "'", "’": "'",
        // The braille spinner, frame by frame, as the classic | / - \\ turn.
        "⠋": "|", "⠙": "/", "⠹": "-", "⠸": "\\", "⠼": "|", "⠴": "/", "⠦": "-", "⠧": "\\", "⠇": "|", "⠏": "/",
    ]

    /// The probe written to the terminal: carriage return, `é` as two UTF-8 bytes, then a cursor-position request.
    /// A UTF-8 terminal draws one character (the cursor lands in column 2); a terminal that takes each byte as a
    /// character lands in column 3.
    static let probe: [UInt8] = Array("\r\u{E9}\u{1B}[6n".utf8)
    /// What puts the line back as it was after the probe: carriage return and erase to the end of the line.
    static let probeCleanup: [UInt8] = Array("\r\u{1B}[K".utf8)

    /// The charset from the reply to ``probe`` (`ESC [ row ; column R`, other bytes before it skipped); nil when there
    /// is no such reply.
    public static func parseProbeReply(_ bytes: [UInt8]) -> TerminalCharset? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let start = text.range(of: "\u{1B}[", options: .backwards) else { return nil }
        let body = text[start.upperBound...]
        guard body.hasSuffix("R") else { return nil }
        let numbers = body.dropLast().split(separator: ";", omittingEmptySubsequences: false)
        guard numbers.count == 2, Int(numbers[0]) != nil, let column = Int(numbers[1]) else { return nil }
        return column == 2 ? .unicode : .ascii
    }

    /// Asks the controlling terminal whether it takes UTF-8 (see ``probe``); nil without a terminal or an answer
    /// within `timeout`. Call before curses starts: the terminal is in raw mode meanwhile and restored after.
    public static func askTerminal(timeout: Duration = .milliseconds(500)) -> TerminalCharset? {
        guard let reply = TerminalQuery.ask(probe, until: { $0.last == UInt8(ascii: "R") }, cleanup: probeCleanup, timeout: timeout)
        else { return nil }
        return parseProbeReply(reply)
    }
}

/// One question to the controlling terminal (`/dev/tty`) in raw mode, and its reply.
enum TerminalQuery {
    /// Writes `query`, reads until `isComplete` holds or `timeout` passes, writes `cleanup`, restores the modes.
    /// Returns what was read (possibly incomplete), nil without a terminal.
    static func ask(_ query: [UInt8], until isComplete: ([UInt8]) -> Bool, cleanup: [UInt8] = [], timeout: Duration) -> [UInt8]? {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSANOW, &raw) == 0 else { return nil }
        defer { tcsetattr(fd, TCSANOW, &saved) }

        guard query.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == query.count else { return nil }
        defer { if !cleanup.isEmpty { _ = cleanup.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } } }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while !isComplete(reply), reply.count < 4096 {
            let remaining = clock.now.duration(to: deadline)
            guard remaining > .zero else { break }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, CursesTerminal.milliseconds(remaining))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { break }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            reply.append(contentsOf: buffer[0..<count])
        }
        return reply
    }
}

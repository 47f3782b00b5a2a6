#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A progress line for long work (done / total, rate, time left), redrawn in place on a terminal and cleared at
/// the end.
///
/// Silent when its output is `nil`: ``standardError(quiet:)`` gives that when standard error is not a terminal or
/// `--quiet` was given, so scripts see exactly what they saw before. Redraws are throttled to ten a second; each
/// one is `\r`, the line cut to the terminal's width (so it never wraps), and "clear to end of line".
public final class ProgressReporter: Sendable {
    private struct State {
        var label = ""
        var stageStart = 0.0
        var lastDraw: Double?
        var drawn = false
    }

    private let write: (@Sendable (String) -> Void)?
    private let now: @Sendable () -> Double
    private let columns: Int
    private let state = Mutex(State())

    /// Seconds between two redraws, at least.
    public static let redrawInterval = 0.1

    /// - Parameters:
    ///   - write: where the line's bytes go; `nil` makes the reporter silent.
    ///   - columns: the terminal's width; lines are cut to one less, so the cursor never wraps.
    ///   - now: a monotonic clock in seconds (injected by tests).
    public init(write: (@Sendable (String) -> Void)?, columns: Int = 80, now: @escaping @Sendable () -> Double = ProgressReporter.monotonicSeconds) {
        self.write = write
        self.columns = max(20, columns)
        self.now = now
    }

    /// A reporter on standard error when it is a terminal and `quiet` is false; else a silent one.
    public static func standardError(quiet: Bool) -> ProgressReporter {
        forDescriptor(STDERR_FILENO, quiet: quiet)
    }

    /// A reporter writing to `descriptor` when it is a terminal and `quiet` is false; else a silent one.
    public static func forDescriptor(_ descriptor: Int32, quiet: Bool) -> ProgressReporter {
        guard !quiet, isatty(descriptor) == 1 else { return ProgressReporter(write: nil) }
        var size = winsize()
        let columns = ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        return ProgressReporter(write: { writeAll($0, to: descriptor) }, columns: columns)
    }

    /// Whether anything is ever drawn.
    public var isEnabled: Bool { write != nil }

    /// Reports `done` of `total` items (`nil` while the total is not known yet) for the stage `label`; the rate
    /// and time left count from the first report of that label.
    public func update(_ label: String, done: Int, total: Int? = nil) {
        guard let write else { return }
        let time = now()
        let line: String? = state.withLock { state in
            if state.label != label {
                state.label = label
                state.stageStart = time
                state.lastDraw = nil
            }
            let finished = total.map { done >= $0 } ?? false
            if let last = state.lastDraw, time - last < Self.redrawInterval, !finished { return nil }
            state.lastDraw = time
            state.drawn = true
            return Self.line(label: label, done: done, total: total, elapsed: time - state.stageStart, columns: columns)
        }
        if let line { write("\r" + line + "\u{1B}[K") }
    }

    /// Clears the line, if one was drawn, so what follows starts on a clean line.
    public func finish() {
        guard let write else { return }
        let wasDrawn = state.withLock { state in
            defer { state.drawn = false }
            return state.drawn
        }
        if wasDrawn { write("\r\u{1B}[K") }
    }

    /// The progress line: `label: done/total (percent) · rate/s · time left`, or `label: done · rate/s` while the
    /// total is unknown. The rate appears once some time has passed and some work is done; the line is
    /// neutralised and cut to `columns - 1` columns.
    public static func line(label: String, done: Int, total: Int?, elapsed: Double, columns: Int) -> String {
        var parts: [String] = []
        if let total, total > 0 {
            parts.append("\(label): \(done)/\(total) (\(min(100, done * 100 / total))%)")
        } else {
            parts.append("\(label): \(done)")
        }
        if let rate = rate(done: done, elapsed: elapsed) {
            parts.append(rate < 10 ? "\(oneDecimal(rate))/s" : "\(Int(rate.rounded()))/s")
            if let total, let left = secondsLeft(done: done, total: total, elapsed: elapsed) {
                parts.append("\(duration(left)) left")
            }
        }
        let text = TerminalText.neutralised(parts.joined(separator: " · "))
        let limit = max(1, columns - 1)
        return text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    /// Items per second, once at least a tenth of a second has passed and an item is done; else `nil`.
    public static func rate(done: Int, elapsed: Double) -> Double? {
        guard done > 0, elapsed >= 0.1 else { return nil }
        return Double(done) / elapsed
    }

    /// Seconds left at the rate so far; `nil` while the rate is unknown.
    public static func secondsLeft(done: Int, total: Int, elapsed: Double) -> Double? {
        guard let rate = rate(done: done, elapsed: elapsed) else { return nil }
        return Double(max(0, total - done)) / rate
    }

    /// `42 s`, `3 min 07 s`, `1 h 02 min`.
    public static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(twoDigits(whole % 60)) s" }
        return "\(whole / 3600) h \(twoDigits(whole % 3600 / 60)) min"
    }

    /// Seconds since an arbitrary fixed point, from the monotonic clock.
    public static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// Writes all of `text` to `descriptor`, giving up quietly on an error (progress is never worth failing for).
private func writeAll(_ text: String, to descriptor: Int32) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
        if written <= 0 { return }
        offset += written
    }
}

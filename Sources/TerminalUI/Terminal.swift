/// A place to draw canvases and read keys: curses for real, memory for tests.
public protocol Terminal: AnyObject {
    /// The current size; canvases should be drawn at this size.
    var size: TerminalSize { get }
    /// What the terminal can show, after `NO_COLOR` and the terminal's capabilities are taken into account.
    var colorSupport: ColorSupport { get }
    /// Shows the canvas, sending only what changed since the last present.
    func present(_ canvas: Canvas)
    /// Waits up to `timeout` for the next event; nil when none came in time.
    func nextEvent(timeout: Duration) -> TerminalEvent?
    /// Colours the roles with this theme from the next present on.
    func setTheme(_ theme: Theme)
    /// Forgets what is on screen so that the next present repaints every cell (e.g. on Ctrl-L).
    func invalidate()
    /// What the terminal can show; canvases should be drawn with it.
    var charset: TerminalCharset { get }
    /// True once the terminal is gone (SIGHUP: the ssh connection or the terminal window closed).
    var hasHungUp: Bool { get }
}

extension Terminal {
    /// Unicode, for terminals that do not say otherwise.
    public var charset: TerminalCharset { .unicode }
    /// Never, for terminals that cannot hang up.
    public var hasHungUp: Bool { false }
}

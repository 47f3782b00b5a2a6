/// An in-memory terminal for tests: events come from a queue, presented canvases are recorded.
///
/// Counts the cells each present changes (a stand-in for the bytes a real terminal would receive),
/// so that tests can check that moving the cursor redraws little.
public final class VirtualTerminal: Terminal {
    public private(set) var size: TerminalSize
    public let colorSupport: ColorSupport
    /// The theme last set, nil until `setTheme` is called.
    public private(set) var theme: Theme?
    /// Every canvas presented, oldest first.
    public private(set) var presentedCanvases: [Canvas] = []
    /// For each present, how many cells differed from the screen before it.
    public private(set) var cellsChangedPerPresent: [Int] = []
    /// How many times `nextEvent` found the queue empty (a loop that is idle asks, then waits).
    public private(set) var emptyPolls = 0
    private var events: [TerminalEvent] = []
    private var screen: Canvas?

    /// A virtual terminal of `size` that reports `colorSupport`.
    public init(size: TerminalSize = TerminalSize(rows: 24, columns: 80), colorSupport: ColorSupport = .xterm256) {
        self.size = size
        self.colorSupport = colorSupport
    }

    /// The last canvas presented, nil before the first present.
    public var lastCanvas: Canvas? { presentedCanvases.last }

    /// The screen as plain text (`Canvas.text`), blank before the first present.
    public var screenText: String { (screen ?? Canvas(size: size)).text }

    /// The screen with role markers (`Canvas.styledText`).
    public var styledScreenText: String { (screen ?? Canvas(size: size)).styledText }

    /// Cells changed by the last present (0 before any).
    public var lastCellsChanged: Int { cellsChangedPerPresent.last ?? 0 }

    /// Events still waiting to be read.
    public var pendingEventCount: Int { events.count }

    /// Queues key presses.
    public func enqueue(_ keys: Key...) { events += keys.map { .key($0) } }

    /// Queues events of any kind.
    public func enqueue(events newEvents: [TerminalEvent]) { events += newEvents }

    /// Queues `text` as typed, one `.character` per character (control characters as `.control`,
    /// newline as `.enter`, tab as `.tab`).
    public func type(_ text: String) {
        for character in text {
            switch character {
            case "\n", "\r", "\r\n": events.append(.key(.enter))
            case "\t": events.append(.key(.tab))
            default:
                if let ascii = character.asciiValue, ascii < 0x20 {
                    events.append(.key(.control(Character(Unicode.Scalar(ascii + 0x60)))))
                } else {
                    events.append(.key(.character(character)))
                }
            }
        }
    }

    /// Resizes the terminal and queues the `.resize` event a real terminal would send.
    public func resize(to newSize: TerminalSize) {
        size = newSize
        events.append(.resize(newSize))
    }

    public func present(_ canvas: Canvas) {
        cellsChangedPerPresent.append(canvas.changedCells(since: screen))
        screen = canvas
        presentedCanvases.append(canvas)
    }

    /// The next queued event; nil at once when the queue is empty (tests never wait).
    public func nextEvent(timeout: Duration) -> TerminalEvent? {
        guard !events.isEmpty else {
            emptyPolls += 1
            return nil
        }
        return events.removeFirst()
    }

    public func setTheme(_ theme: Theme) {
        self.theme = theme
        screen = nil  // colours change everywhere: the next present repaints every cell
    }

    public func invalidate() { screen = nil }
}

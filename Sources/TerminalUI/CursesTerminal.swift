import CCurses

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real terminal, over ncursesw: draws canvases, reads keys, colours roles with a theme.
///
/// `open` refuses terminals that cannot run a full-screen UI (TERM unset, `dumb`, unknown to
/// terminfo, stdin/stdout not a tty) with a message pointing to the CLI. Drawing uses curses' own
/// diff (`erase` + cells + `wnoutrefresh`/`doupdate`), so only what changed is sent; `invalidate`
/// repaints everything (Ctrl-L). `close()` restores the terminal; so does `exit()`, and so do SIGINT,
/// SIGTERM, SIGQUIT and the crash signals (SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP),
/// through an async-signal-safe handler in `CCurses`, after which the process dies of that signal. The first
/// SIGHUP only sets ``hasHungUp``, so that the program can end cleanly (a second one is handled like the others).
public final class CursesTerminal: Terminal {
    public private(set) var size: TerminalSize
    public let colorSupport: ColorSupport
    public let charset: TerminalCharset
    private var screen: OpaquePointer?
    private let window: UnsafeMutablePointer<WINDOW>
    private let defaultColors: Bool
    private let asciiOnly: Bool
    private var plan: ColorPlan
    private var cursorVisible: Bool?
    private var cellBuffer = [wchar_t](repeating: 0, count: Int(CCHARW_MAX) + 1)

    /// Opens the terminal named by `environment["TERM"]` on stdin/stdout, coloured with `theme`
    /// (the built-in default when nil). `NO_COLOR` (non-empty) forces monochrome. The charset: see ``chooseCharset(requested:)``.
    public static func open(environment: [String: String], theme: Theme? = nil) throws -> CursesTerminal {
        let requestedCharset = try TerminalCharset.requested(in: environment)
        guard let term = environment["TERM"], !term.isEmpty else { throw TerminalError.noTerminalType }
        guard term != "dumb" else { throw TerminalError.unsupportedTerminal(term) }
        switch ccurses_check_terminal(term) {
        case 0: break
        case 2: throw TerminalError.unsupportedTerminal(term)
        default: throw TerminalError.unknownTerminal(term)
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        let chosenTheme = try theme ?? Theme.builtIn(named: "default")
        let charset = chooseCharset(requested: requestedCharset)
        guard let screen = ccurses_open(term), let window = ccurses_stdscr() else {
            throw TerminalError.cannotStart(term)
        }
        var defaultColors = false
        var support = ColorSupport.monochrome
        if !ColorSupport.noColorRequested(in: environment), has_colors(), start_color() == OK {
            defaultColors = use_default_colors() == OK
            support = ColorSupport(colorCount: Int(ccurses_colors()))
        }
        // raw, not cbreak: Ctrl-S (save) and Ctrl-Q must reach the console instead of pausing output
        // (XON/XOFF), and Ctrl-C arrives as a key so the console can ask about unsaved edits.
        // Signals sent from outside (and crashes) still restore the terminal (see the shim).
        raw()
        noecho()
        nonl()
        keypad(window, true)
        // Let curses scroll with insert/delete-line when the list moves by a line: far fewer bytes over ssh.
        idlok(window, true)
        set_escdelay(25)
        return CursesTerminal(
            screen: screen, window: window, theme: chosenTheme, support: support, defaultColors: defaultColors,
            charset: charset, asciiOnly: ccurses_locale_is_utf8() == 0)
    }

    /// Sets the process locale for curses and returns what to draw with: the environment's locale when it uses
    /// UTF-8; without one (ssh sessions often get none, or `C`), an installed UTF-8 locale (`C.UTF-8`) when the terminal
    /// answers the UTF-8 probe as a UTF-8 terminal (or `SFTPIDP_CHARSET=utf-8` says so), ASCII otherwise.
    /// `SFTPIDP_CHARSET=ascii` always draws ASCII (in the `C` character locale, so lines use the terminal's own set).
    static func chooseCharset(requested: TerminalCharset?) -> TerminalCharset {
        let environmentUsesUTF8 = ccurses_use_environment_locale() != 0
        if requested == .ascii {
            setlocale(LC_CTYPE, "C")
            return .ascii
        }
        if environmentUsesUTF8 { return .unicode }
        let terminalTakesUTF8 = (requested ?? TerminalCharset.askTerminal()) == .unicode
        return terminalTakesUTF8 && ccurses_use_utf8_locale() != 0 ? .unicode : .ascii
    }

    private init(
        screen: OpaquePointer, window: UnsafeMutablePointer<WINDOW>, theme: Theme, support: ColorSupport, defaultColors: Bool,
        charset: TerminalCharset, asciiOnly: Bool
    ) {
        self.screen = screen
        self.window = window
        self.charset = charset
        self.colorSupport = support
        self.defaultColors = defaultColors
        self.asciiOnly = asciiOnly
        self.plan = ColorPlan(theme: theme, support: support, maxPairs: Int(ccurses_color_pairs()), defaultColors: defaultColors)
        var rows: Int32 = 0
        var columns: Int32 = 0
        ccurses_size(window, &rows, &columns)
        self.size = TerminalSize(rows: Int(rows), columns: Int(columns))
        definePairs()
    }

    deinit { close() }

    /// Restores the terminal as it was before `open`; safe to call more than once.
    public func close() {
        guard let screen else { return }
        ccurses_close(screen)
        self.screen = nil
    }

    public func present(_ canvas: Canvas) {
        guard screen != nil, !hasHungUp else { return }
        werase(window)
        let rows = min(canvas.size.rows, size.rows)
        let columns = min(canvas.size.columns, size.columns)
        canvas.forEachCell { row, column, cell in
            guard row < rows, column < columns, !cell.isContinuation else { return }
            // A wide character whose right half is off screen would wrap: leave the cell blank.
            guard cell.width < 2 || column + 1 < columns else { return }
            put(cell, row: row, column: column)
        }
        if let cursor = canvas.cursor, cursor.row < rows, cursor.column < columns {
            setCursorVisible(true)
            wmove(window, Int32(cursor.row), Int32(cursor.column))
        } else {
            setCursorVisible(false)
        }
        wnoutrefresh(window)
        doupdate()
    }

    /// True once SIGHUP arrived: no more keys will come, and nothing drawn reaches anybody.
    public var hasHungUp: Bool { ccurses_hangup_received() != 0 }

    public func nextEvent(timeout: Duration) -> TerminalEvent? {
        guard screen != nil, !hasHungUp else { return nil }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let remaining = clock.now.duration(to: deadline)
            wtimeout(window, Self.milliseconds(remaining))
            var code: wint_t = 0
            let status = wget_wch(window, &code)
            let decoded: KeyDecoder.Decoded
            switch status {
            case KEY_CODE_YES: decoded = KeyDecoder.decode(functionKey: Int32(bitPattern: code))
            case OK: decoded = KeyDecoder.decode(character: UInt32(code))
            default: decoded = .ignored  // ERR: timed out (or interrupted by a signal)
            }
            switch decoded {
            case .key(.escape):
                if let pasted = readPaste() { return .paste(charset == .ascii ? pasted.filter(\.isASCII) : pasted) }
                return .key(.escape)
            case .key(.character(let character)) where charset == .ascii && !character.isASCII:
                // Outside UTF-8 the bytes of a non-ASCII character cannot be told apart reliably (UTF-8 typed into a C
                // locale arrives as two Latin-1 letters): dropped, so that nothing mangled can reach a field or the store.
                if clock.now >= deadline || hasHungUp { return nil }
            case .key(let key): return .key(key)
            case .resize:
                var rows: Int32 = 0
                var columns: Int32 = 0
                ccurses_size(window, &rows, &columns)
                size = TerminalSize(rows: Int(rows), columns: Int(columns))
                return .resize(size)
            case .ignored:
                if clock.now >= deadline || hasHungUp { return nil }
            }
        }
    }

    /// After an Escape: a bracketed paste, or nil (and the characters read are given back).
    private func readPaste() -> String? {
        BracketedPaste.read(
            nextImmediate: { readCharacter(timeoutMilliseconds: 0) },
            nextInPaste: { readCharacter(timeoutMilliseconds: 500) },
            unread: { codes in
                // curses returns the last character given back first.
                for code in codes.reversed() { _ = unget_wch(wchar_t(bitPattern: code)) }
            })
    }

    /// One character within `timeoutMilliseconds`; function keys in between are skipped.
    private func readCharacter(timeoutMilliseconds: Int32) -> UInt32? {
        wtimeout(window, timeoutMilliseconds)
        while true {
            var code: wint_t = 0
            switch wget_wch(window, &code) {
            case OK: return UInt32(code)
            case KEY_CODE_YES: continue
            default: return nil
            }
        }
    }

    public func setTheme(_ theme: Theme) {
        plan = ColorPlan(theme: theme, support: colorSupport, maxPairs: Int(ccurses_color_pairs()), defaultColors: defaultColors)
        definePairs()
        invalidate()  // pair numbers are reused with new colours: repaint everything once
    }

    public func invalidate() {
        guard screen != nil else { return }
        ccurses_force_repaint(window)
    }

    private func definePairs() {
        guard colorSupport != .monochrome else { return }
        for pair in plan.pairs {
            _ = init_extended_pair(pair.number, pair.foreground, pair.background)
        }
    }

    private func put(_ cell: Cell, row: Int, column: Int) {
        let entry = plan.entry(for: cell.role)
        let attributes = ccurses_attributes(
            entry.attributes.contains(.bold) ? 1 : 0, entry.attributes.contains(.dim) ? 1 : 0,
            entry.attributes.contains(.underline) ? 1 : 0, entry.attributes.contains(.reverse) ? 1 : 0,
            entry.attributes.contains(.italic) ? 1 : 0)
        var count = 0
        let capacity = cellBuffer.count - 1
        if asciiOnly && !cell.character.isASCII && !isLineCharacter(cell.character) {
            // The locale cannot encode it: keep the columns right with one '?' per column.
            for offset in 0..<cell.width {
                cellBuffer[0] = wchar_t(UInt8(ascii: "?"))
                cellBuffer[1] = 0
                cellBuffer.withUnsafeBufferPointer { buffer in
                    _ = ccurses_put_cell(window, Int32(row), Int32(column + offset), buffer.baseAddress, attributes, entry.pair)
                }
            }
            return
        }
        for scalar in cell.character.unicodeScalars where count < capacity {
            cellBuffer[count] = wchar_t(bitPattern: scalar.value)
            count += 1
        }
        cellBuffer[count] = 0
        cellBuffer.withUnsafeBufferPointer { buffer in
            _ = ccurses_put_cell(window, Int32(row), Int32(column), buffer.baseAddress, attributes, entry.pair)
        }
    }

    private func isLineCharacter(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first else { return false }
        return ccurses_is_line_character(wchar_t(bitPattern: scalar.value)) != 0
    }

    private func setCursorVisible(_ visible: Bool) {
        guard cursorVisible != visible else { return }
        _ = curs_set(visible ? 1 : 0)
        // With the cursor hidden, curses need not park it after each update: fewer bytes per frame over ssh.
        _ = leaveok(window, !visible)
        cursorVisible = visible
    }

    /// A timeout as curses wants it: whole milliseconds, 0 for none left, at most Int32.max.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, duration > .zero else { return 0 }
        let total = seconds.multipliedReportingOverflow(by: 1000)
        guard !total.overflow else { return Int32.max }
        let milliseconds = total.partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}

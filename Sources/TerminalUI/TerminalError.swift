import TerminalText

/// Why the full-screen console cannot run here; each message says what to do instead.
public enum TerminalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// stdin or stdout is not a terminal (a pipe, a file, cron).
    case notATerminal
    /// TERM is unset or empty.
    case noTerminalType
    /// The terminal cannot move the cursor (TERM=dumb, hard-copy terminals).
    case unsupportedTerminal(String)
    /// TERM names a type terminfo does not know, or only as a generic type (`gn`: `unknown`, `ibm327x`), which curses
    /// will not set up either (or there is no terminfo database).
    case unknownTerminal(String)
    /// curses failed to start for another reason.
    case cannotStart(String)
    /// `SFTPIDP_CHARSET` names neither `utf-8` nor `ascii`.
    case unknownCharset(String)

    static let cliHint = "use the command line instead, e.g. `sftpidp users list` (see `sftpidp --help`)"

    public var description: String {
        switch self {
        case .notATerminal:
            "the console needs an interactive terminal on stdin and stdout; \(Self.cliHint)"
        case .noTerminalType:
            "TERM is not set, so the console cannot drive this terminal; set TERM (e.g. TERM=xterm-256color) or \(Self.cliHint)"
        case .unsupportedTerminal(let term):
            "TERM=\(term) cannot show a full-screen console (no cursor movement); \(Self.cliHint)"
        case .unknownTerminal(let term):
            "unknown terminal type TERM=\(term) (terminfo has no entry for it, or only a generic one; install ncurses-term or set TERM=xterm-256color), or \(Self.cliHint)"
        case .cannotStart(let term):
            "curses could not start on TERM=\(term); \(Self.cliHint)"
        case .unknownCharset(let value):
            "SFTPIDP_CHARSET=\(TerminalText.neutralised(value, keepingLayout: false)) is not a charset the console knows: use utf-8 or ascii (or leave it unset to ask the terminal)"
        }
    }
}

/// A key the user pressed, decoded from the terminal.
public enum Key: Sendable, Hashable {
    /// A printable character, including any Unicode.
    case character(Character)
    /// Ctrl plus a key, named by the lower-case letter or symbol: Ctrl-A is `.control("a")`.
    case control(Character)
    case enter, escape, tab, backTab, backspace, delete, up, down, left, right,
        home, end, pageUp, pageDown, insert
    /// F1 ... F63.
    case function(Int)
}

/// Something that happened at the terminal: a key, a new size, or pasted text.
public enum TerminalEvent: Sendable, Hashable {
    case key(Key)
    /// The terminal now has this size; the next canvas should be drawn at it.
    case resize(TerminalSize)
    /// Text pasted as a whole (bracketed paste), so that it is not taken as key commands.
    case paste(String)
}

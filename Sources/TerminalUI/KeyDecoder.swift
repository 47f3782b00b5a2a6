import CCurses

/// Turns what curses' `wget_wch` returns into keys: a table with no terminal behind it, so it is unit-tested.
enum KeyDecoder {
    /// What one `wget_wch` result means.
    enum Decoded: Sendable, Hashable {
        case key(Key)
        /// `KEY_RESIZE`: read the new size.
        case resize
        /// Nothing the console uses (keypad centre, unknown codes, C1 controls, and characters that
        /// ``TextInputFilter`` keeps out of text: bidi controls and other format characters).
        case ignored
    }

    /// A character (`wget_wch` returned OK).
    static func decode(character code: UInt32) -> Decoded {
        switch code {
        case 0x0D, 0x0A: return .key(.enter)  // nonl: Enter is CR; Ctrl-J is LF
        case 0x09: return .key(.tab)
        case 0x1B: return .key(.escape)
        case 0x7F, 0x08: return .key(.backspace)  // DEL (most terminals) or ^H (some)
        case 0x00: return .key(.control("@"))
        case 0x01...0x1A: return .key(.control(Character(Unicode.Scalar(UInt8(code) + 0x60))))
        case 0x1C...0x1F: return .key(.control(Character(Unicode.Scalar(UInt8(code) + 0x40))))
        case 0x80..<0xA0: return .ignored
        default:
            guard let scalar = Unicode.Scalar(code), TextInputFilter.isAllowed(scalar) else { return .ignored }
            return .key(.character(Character(scalar)))
        }
    }

    /// A function key code (`wget_wch` returned KEY_CODE_YES).
    static func decode(functionKey code: Int32) -> Decoded {
        if code > KEY_F0, code <= KEY_F0 + 63 { return .key(.function(Int(code - KEY_F0))) }
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME, KEY_A1, KEY_FIND, KEY_SHOME: return .key(.home)
        case KEY_END, KEY_C1, KEY_SELECT, KEY_LL, KEY_SEND: return .key(.end)
        case KEY_PPAGE, KEY_A3: return .key(.pageUp)
        case KEY_NPAGE, KEY_C3: return .key(.pageDown)
        case KEY_IC: return .key(.insert)
        case KEY_DC: return .key(.delete)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_ENTER: return .key(.enter)
        case KEY_BTAB: return .key(.backTab)
        case KEY_RESIZE: return .resize
        default: return .ignored
        }
    }
}

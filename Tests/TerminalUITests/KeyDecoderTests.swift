import CCurses
import Testing

@testable import TerminalUI

@Suite("Key decoding")
struct KeyDecoderTests {
    @Test("characters: Enter, Tab, Escape, Backspace, Ctrl-letters, Unicode")
    func characters() {
        #expect(KeyDecoder.decode(character: 0x0D) == .key(.enter))
        #expect(KeyDecoder.decode(character: 0x0A) == .key(.enter))
        #expect(KeyDecoder.decode(character: 0x09) == .key(.tab))
        #expect(KeyDecoder.decode(character: 0x1B) == .key(.escape))
        #expect(KeyDecoder.decode(character: 0x7F) == .key(.backspace))
        #expect(KeyDecoder.decode(character: 0x08) == .key(.backspace))
        #expect(KeyDecoder.decode(character: 0x01) == .key(.control("a")))
        #expect(KeyDecoder.decode(character: 0x0C) == .key(.control("l")))
        #expect(KeyDecoder.decode(character: 0x1A) == .key(.control("z")))
        #expect(KeyDecoder.decode(character: 0x00) == .key(.control("@")))
        #expect(KeyDecoder.decode(character: 0x1F) == .key(.control("_")))
        #expect(KeyDecoder.decode(character: 0x71) == .key(.character("q")))
        #expect(KeyDecoder.decode(character: 0x20) == .key(.character(" ")))
        #expect(KeyDecoder.decode(character: 0x00E9) == .key(.character("é")))
        #expect(KeyDecoder.decode(character: 0x65E5) == .key(.character("日")))
        #expect(KeyDecoder.decode(character: 0x1F600) == .key(.character("😀")))
        #expect(KeyDecoder.decode(character: 0x9B) == .ignored)
        #expect(KeyDecoder.decode(character: 0xD800) == .ignored)
        #expect(KeyDecoder.decode(character: 0x11_0000) == .ignored)
    }

    @Test("typed bidi controls and other format characters are ignored, never inserted as text")
    func formatCharactersIgnored() {
        for code: UInt32 in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C,
                             0xFEFF, 0x00AD, 0x2060, 0xE0041, 0x2028, 0x2029, 0x85] {
            #expect(KeyDecoder.decode(character: code) == .ignored, "U+\(String(code, radix: 16, uppercase: true)) was let through")
        }
        #expect(KeyDecoder.decode(character: 0x200D) == .key(.character("\u{200D}")))
        #expect(KeyDecoder.decode(character: 0x200C) == .key(.character("\u{200C}")))
    }

    @Test("no Unicode scalar that decodes as a character is a control or format character (ZWJ and ZWNJ aside)")
    func everyScalar() {
        var letThrough: [String] = []
        for code: UInt32 in 0...0x10FFFF {
            guard case .key(.character(let character)) = KeyDecoder.decode(character: code), let scalar = character.unicodeScalars.first else { continue }
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: letThrough.append(String(code, radix: 16, uppercase: true))
            case .format where code != 0x200C && code != 0x200D: letThrough.append(String(code, radix: 16, uppercase: true))
            default: break
            }
        }
        #expect(letThrough.isEmpty, "let through: \(letThrough.prefix(20))")
    }

    @Test("function keys: arrows, paging, editing, F1-F12, keypad, resize")
    func functionKeys() {
        #expect(KeyDecoder.decode(functionKey: KEY_UP) == .key(.up))
        #expect(KeyDecoder.decode(functionKey: KEY_DOWN) == .key(.down))
        #expect(KeyDecoder.decode(functionKey: KEY_LEFT) == .key(.left))
        #expect(KeyDecoder.decode(functionKey: KEY_RIGHT) == .key(.right))
        #expect(KeyDecoder.decode(functionKey: KEY_HOME) == .key(.home))
        #expect(KeyDecoder.decode(functionKey: KEY_FIND) == .key(.home))
        #expect(KeyDecoder.decode(functionKey: KEY_END) == .key(.end))
        #expect(KeyDecoder.decode(functionKey: KEY_SELECT) == .key(.end))
        #expect(KeyDecoder.decode(functionKey: KEY_PPAGE) == .key(.pageUp))
        #expect(KeyDecoder.decode(functionKey: KEY_NPAGE) == .key(.pageDown))
        #expect(KeyDecoder.decode(functionKey: KEY_IC) == .key(.insert))
        #expect(KeyDecoder.decode(functionKey: KEY_DC) == .key(.delete))
        #expect(KeyDecoder.decode(functionKey: KEY_BACKSPACE) == .key(.backspace))
        #expect(KeyDecoder.decode(functionKey: KEY_ENTER) == .key(.enter))
        #expect(KeyDecoder.decode(functionKey: KEY_BTAB) == .key(.backTab))
        #expect(KeyDecoder.decode(functionKey: KEY_F0 + 1) == .key(.function(1)))
        #expect(KeyDecoder.decode(functionKey: KEY_F0 + 12) == .key(.function(12)))
        #expect(KeyDecoder.decode(functionKey: KEY_RESIZE) == .resize)
        #expect(KeyDecoder.decode(functionKey: KEY_B2) == .ignored)
        #expect(KeyDecoder.decode(functionKey: KEY_F0) == .ignored)
    }
}

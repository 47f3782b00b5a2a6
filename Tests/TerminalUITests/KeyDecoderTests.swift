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

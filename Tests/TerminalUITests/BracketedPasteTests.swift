import Testing

@testable import TerminalUI

@Suite("Bracketed paste")
struct BracketedPasteTests {
    /// Feeds `input` (what follows the Escape) and returns the paste and what was given back.
    func run(_ input: String, waitingFrom: Int? = nil) -> (paste: String?, unread: [UInt32], left: Int) {
        var codes = input.unicodeScalars.map(\.value)[...]
        var unread: [UInt32] = []
        let paste = BracketedPaste.read(
            nextImmediate: { codes.popFirst() },
            nextInPaste: { codes.popFirst() },
            unread: { unread = $0 })
        return (paste, unread, codes.count)
    }

    @Test("a paste between the markers comes out whole, line ends as LF")
    func paste() {
        let result = run("[200~ssh-ed25519 AAAA q\r\nj\rk\n\u{1B}[201~x")
        #expect(result.paste == "ssh-ed25519 AAAA q\nj\nk\n")
        #expect(result.left == 1)
    }

    @Test("a near-miss of the end marker does not end the paste; its printable part is kept")
    func nearMiss() {
        #expect(run("[200~a\u{1B}[20x\u{1B}\u{1B}[201~").paste == "a[20x")
    }

    @Test("hostile pastes lose every control and format character: the terminal can never be driven through a field",
          arguments: [
            ("before\u{1B}]0;pwned title\u{07}after", "before]0;pwned titleafter"),  // OSC 0: set the window title
            ("\u{1B}]52;c;aGk=\u{1B}\\x", "]52;c;aGk=\\x"),  // OSC 52 (clipboard) ended by ST
            ("\u{1B}[2J\u{1B}[31mred\u{1B}[0m\u{1B}[?1049l", "[2J[31mred[0m[?1049l"),  // CSI: clear, colour, leave alternate screen
            ("\u{9B}31m\u{9D}0;t\u{9C}x", "31m0;tx"),  // the same as 8-bit C1 controls
            ("a\u{00}b\u{07}c\u{08}d\u{7F}e\u{1A}f", "abcdef"),  // NUL, BEL, BS, DEL, SUB
            ("alice\u{202E}txt.exe", "alicetxt.exe"),  // right-to-left override
            ("\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}ok", "ok"),  // embeddings, overrides, isolates
            ("\u{200E}\u{200F}\u{061C}\u{FEFF}\u{00AD}\u{2060}\u{E0041}\u{2028}\u{2029}ok", "ok"),  // marks, BOM, soft hyphen, joiner, tag, separators
          ])
    func hostilePaste(input: String, expected: String) {
        #expect(run("[200~" + input + "\u{1B}[201~").paste == expected)
    }

    @Test("text stays whole: line breaks as LF, TAB as a space, Unicode, combining marks and ZWJ emoji kept")
    func textKept() {
        #expect(run("[200~k1 c\r\nk2\tx\rk3\u{1B}[201~").paste == "k1 c\nk2 x\nk3")
        let text = "jöß 日本 é 👩\u{200D}💻 می\u{200C}خواهم"
        #expect(run("[200~" + text + "\u{1B}[201~").paste == text)
    }

    @Test("anything else after Escape is given back in reading order")
    func notAPaste() {
        let result = run("[A")
        #expect(result.paste == nil)
        #expect(result.unread == "[A".unicodeScalars.map(\.value))
        #expect(result.left == 0)
        let lone = run("")
        #expect(lone.paste == nil && lone.unread.isEmpty)
        let partial = run("[20")
        #expect(partial.paste == nil && partial.unread.count == 3)
    }

    @Test("a paste without an end marker ends when input stops")
    func unterminated() {
        #expect(run("[200~abc").paste == "abc")
    }
}

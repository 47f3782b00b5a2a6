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

    @Test("escape sequences inside a paste stay text; a near-miss of the end marker is kept")
    func nearMiss() {
        #expect(run("[200~a\u{1B}[20x\u{1B}\u{1B}[201~").paste == "a\u{1B}[20x\u{1B}")
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

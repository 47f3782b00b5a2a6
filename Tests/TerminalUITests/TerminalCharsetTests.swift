import Testing
@testable import TerminalUI

/// Choosing UTF-8 or ASCII, and drawing in ASCII without `?`.
@Suite("Terminal charset")
struct TerminalCharsetTests {
    @Test("the probe reply: column 2 after a two-byte é is a UTF-8 terminal, column 3 is not; typed keys before it are skipped")
    func probeReply() {
        #expect(TerminalCharset.parseProbeReply(Array("\u{1B}[24;2R".utf8)) == .unicode)
        #expect(TerminalCharset.parseProbeReply(Array("\u{1B}[1;3R".utf8)) == .ascii)
        #expect(TerminalCharset.parseProbeReply(Array("jk\u{1B}[5;2R".utf8)) == .unicode)
        #expect(TerminalCharset.parseProbeReply(Array("\u{1B}[?62;c".utf8)) == nil)
        #expect(TerminalCharset.parseProbeReply([]) == nil)
        #expect(TerminalCharset.parseProbeReply(Array("\u{1B}[5;R".utf8)) == nil)
    }

    @Test("SFTPIDP_CHARSET: utf-8 or ascii in any case; anything else names the variable and the choices")
    func requested() throws {
        #expect(try TerminalCharset.requested(in: [:]) == nil)
        #expect(try TerminalCharset.requested(in: ["SFTPIDP_CHARSET": "UTF-8"]) == .unicode)
        #expect(try TerminalCharset.requested(in: ["SFTPIDP_CHARSET": "ascii"]) == .ascii)
        let error = #expect(throws: TerminalError.self) { try TerminalCharset.requested(in: ["SFTPIDP_CHARSET": "latin1\u{1B}"]) }
        #expect(error?.description == "SFTPIDP_CHARSET=latin1\\u{1B} is not a charset the console knows: use utf-8 or ascii (or leave it unset to ask the terminal)")
    }

    @Test("ASCII: the console's symbols become look-alikes, box lines stay for curses, user text is escaped, never '?'")
    func asciiText() {
        #expect(TerminalCharset.ascii.displayed("✔ ALLOWED · 2 keys ↑↓ move ⏎ open") == "+ ALLOWED . 2 keys ^v move Enter open")
        #expect(TerminalCharset.ascii.displayed("/home/jörg/日本") == "/home/j\\u{F6}rg/\\u{65E5}\\u{672C}")
        #expect(TerminalCharset.ascii.displayed("┌─┐│└┘") == "┌─┐│└┘")
        #expect(TerminalCharset.unicode.displayed("jörg ✔") == "jörg ✔")
    }

    @Test("an ASCII canvas holds no non-ASCII cell but line characters")
    func asciiCanvas() {
        var canvas = Canvas(size: TerminalSize(rows: 3, columns: 30), charset: .ascii)
        canvas.box(top: 0, left: 0, height: 3, width: 30, role: .border, title: "Test · jörg")
        canvas.put("✘ DENIED", row: 1, column: 1)
        #expect(canvas.text == "┌ Test . j\\u{F6}rg ──────────┐\n│x DENIED                    │\n└────────────────────────────┘")
    }
}

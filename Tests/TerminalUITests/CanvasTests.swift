import Testing

@testable import TerminalUI

@Suite("Canvas")
struct CanvasTests {
    let small = TerminalSize(rows: 3, columns: 10)

    @Test("put writes text and returns the column after it")
    func putReturnsNextColumn() {
        var canvas = Canvas(size: small)
        let next = canvas.put("hello", row: 1, column: 2)
        #expect(next == 7)
        #expect(canvas.text == "\n  hello\n")
    }

    @Test("text is clipped at the right edge and at maxWidth")
    func clipping() {
        var canvas = Canvas(size: small)
        #expect(canvas.put("abcdefghijklmnop", row: 0, column: 4) == 10)
        #expect(canvas.put("0123456789", row: 1, column: 0, maxWidth: 4) == 4)
        #expect(canvas.text == "    abcdef\n0123\n")
    }

    @Test("writes outside the grid do nothing and never crash")
    func outside() {
        var canvas = Canvas(size: small)
        canvas.put("x", row: -1, column: 0)
        canvas.put("x", row: 3, column: 0)
        canvas.put("abc", row: 0, column: -2)
        canvas.put("x", row: 0, column: 99)
        canvas.fill(row: 2, column: -5, width: 100, role: .selection)
        canvas.box(top: -3, left: -3, height: 100, width: 100, role: .border, title: "t")
        canvas.put("x", row: 0, column: 0, maxWidth: -3)
        #expect(canvas.cell(row: 0, column: 0)?.character == "c")
        #expect(canvas.cell(row: 2, column: 5)?.role == .selection)
        #expect(canvas.cell(row: 5, column: 5) == nil)
        var empty = Canvas(size: TerminalSize(rows: 0, columns: 0))
        empty.put("x", row: 0, column: 0)
        #expect(empty.text == "")
    }

    @Test("CJK and emoji take two columns; combining marks none")
    func wideAndCombining() {
        var canvas = Canvas(size: small)
        #expect(canvas.put("日本", row: 0, column: 0) == 4)
        #expect(canvas.put("😀x", row: 1, column: 0) == 3)
        #expect(canvas.put("e\u{301}a", row: 2, column: 0) == 2)
        #expect(canvas.cell(row: 0, column: 1)?.isContinuation == true)
        #expect(canvas.cell(row: 2, column: 0)?.character == "e\u{301}")
        #expect(canvas.text == "日本\n😀x\ne\u{301}a")
    }

    @Test("a wide character straddling the right edge or maxWidth becomes a space")
    func straddling() {
        var canvas = Canvas(size: small)
        #expect(canvas.put("abcdefghi日", row: 0, column: 0) == 10)
        #expect(canvas.cell(row: 0, column: 9)?.character == " ")
        #expect(canvas.put("a日", row: 1, column: 0, maxWidth: 2) == 2)
        #expect(canvas.text.split(separator: "\n", omittingEmptySubsequences: false)[1] == "a")
        #expect(canvas.put("日x", row: 2, column: -1) == 2)
        #expect(canvas.text.split(separator: "\n", omittingEmptySubsequences: false)[2] == " x")
    }

    @Test("overwriting half of a wide character blanks the other half")
    func overwritingWide() {
        var canvas = Canvas(size: small)
        canvas.put("日本", row: 0, column: 0)
        canvas.put("x", row: 0, column: 1)
        #expect(canvas.text == " x本\n\n")
        canvas.put("y", row: 0, column: 2)
        #expect(canvas.text == " xy\n\n")
        #expect(canvas.cell(row: 0, column: 3)?.isContinuation == false)
    }

    @Test("control characters and escape sequences are shown, never sent raw")
    func controlCharacters() {
        var canvas = Canvas(size: TerminalSize(rows: 1, columns: 40))
        canvas.put("a\u{1B}[31mb\tc\r\nd\u{7F}\u{9B}e\u{202E}f", row: 0, column: 0)
        #expect(canvas.text == "a^[[31mb^Ic^M^Jd^??e?f")
        for column in 0..<40 {
            let scalars = canvas.cell(row: 0, column: column)?.character.unicodeScalars ?? "".unicodeScalars
            #expect(scalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && !(0x80..<0xA0).contains($0.value) })
        }
    }

    @Test("a lone combining mark and zero-width characters are left out")
    func zeroWidth() {
        var canvas = Canvas(size: small)
        #expect(canvas.put("\u{301}a\u{200B}b", row: 0, column: 0) == 2)
        #expect(canvas.text == "ab\n\n")
    }

    @Test("fill and box draw in their roles; the title is cut to fit")
    func fillAndBox() {
        var canvas = Canvas(size: TerminalSize(rows: 4, columns: 12))
        canvas.box(top: 0, left: 0, height: 4, width: 12, role: .border, title: "Users and more")
        canvas.fill(row: 1, column: 1, width: 3, role: .selection)
        #expect(
            canvas.text == """
                ┌ Users and┐
                │          │
                │          │
                └──────────┘
                """)
        #expect(canvas.styledText.hasPrefix("[border]┌[title] Users and[border]┐\n[border]│[selection]   [normal]"))
    }

    @Test("styledText marks each run with its role and trims trailing normal spaces")
    func styledText() {
        var canvas = Canvas(size: TerminalSize(rows: 2, columns: 12))
        canvas.put("Name", row: 0, column: 0, role: .label)
        canvas.put("alice", row: 0, column: 5, role: .value)
        canvas.fill(row: 1, column: 0, width: 12, role: .selection)
        #expect(canvas.styledText == "[label]Name[normal] [value]alice\n[selection]            ")
    }

    @Test("the cursor outside the grid is hidden; resizing keeps content")
    func cursorAndResize() {
        var canvas = Canvas(size: small)
        canvas.cursor = (1, 3)
        #expect(canvas.cursor?.row == 1)
        canvas.cursor = (5, 3)
        #expect(canvas.cursor == nil)
        canvas.put("ab日", row: 0, column: 0)
        canvas.size = TerminalSize(rows: 2, columns: 3)
        #expect(canvas.text == "ab\n")
    }

    @Test("changedCells counts differing cells, all of them after a size change")
    func changedCells() {
        var before = Canvas(size: small)
        before.put("abc", row: 0, column: 0)
        var after = before
        after.put("x", row: 0, column: 1, role: .selection)
        #expect(after.changedCells(since: before) == 1)
        #expect(after.changedCells(since: nil) == 30)
        #expect(Canvas(size: TerminalSize(rows: 1, columns: 1)).changedCells(since: before) == 1)
    }
}

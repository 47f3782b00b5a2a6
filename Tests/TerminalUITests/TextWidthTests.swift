import Testing

@testable import TerminalUI

@Suite("Text width")
struct TextWidthTests {
    @Test("widths per grapheme cluster, whatever the process locale")
    func widths() {
        #expect(TextWidth.columns(of: "abc") == 3)
        #expect(TextWidth.columns(of: "日本語") == 6)
        #expect(TextWidth.columns(of: "한국") == 4)
        #expect(TextWidth.columns(of: "😀") == 2)
        #expect(TextWidth.columns(of: "e\u{301}") == 1)
        #expect(TextWidth.columns(of: "Ω≈ç") == 3)
        #expect(TextWidth.columns(of: "\u{1}") == 2)
        #expect(TextWidth.columns(of: "\u{200B}") == 0)
        #expect(TextWidth.columns(of: "") == 0)
    }

    @Test("truncate cuts at a column budget with an ellipsis, never splitting a wide character")
    func truncate() {
        #expect(TextWidth.truncate("hello", toColumns: 10) == "hello")
        #expect(TextWidth.truncate("hello world", toColumns: 6) == "hello…")
        #expect(TextWidth.truncate("日本語", toColumns: 4) == "日…")
        #expect(TextWidth.truncate("ab日本", toColumns: 4) == "ab…")
        #expect(TextWidth.truncate("a日bcdef", toColumns: 3) == "a…")
        #expect(TextWidth.truncate("abc", toColumns: 0) == "")
        #expect(TextWidth.pad("ab", toColumns: 4) == "ab  ")
        #expect(TextWidth.pad("日本語", toColumns: 5) == "日本…")
        #expect(TextWidth.columns(of: TextWidth.pad("日本語x", toColumns: 6)) == 6)
    }

    @Test("truncateMiddle keeps both ends, so a path keeps its file name")
    func truncateMiddle() {
        #expect(TextWidth.truncateMiddle("short", toColumns: 10) == "short")
        #expect(TextWidth.truncateMiddle("embedded /home/admin/.local/share/sftpidp/secrets.db", toColumns: 20) == "embedded …secrets.db")
        #expect(TextWidth.truncateMiddle("日本語日本語", toColumns: 7) == "日本…語")
        #expect(TextWidth.columns(of: TextWidth.truncateMiddle("日本語日本語x", toColumns: 6)) <= 6)
        #expect(TextWidth.truncateMiddle("abcdef", toColumns: 1) == "…")
        #expect(TextWidth.truncateMiddle("abcdef", toColumns: 0) == "")
    }

    @Test("arbitrary scalars never crash and never leave control characters", arguments: 0..<8)
    func fuzz(seed: Int) {
        var generator = SplitMix(seed: UInt64(seed))
        for _ in 0..<200 {
            var text = ""
            for _ in 0..<Int(generator.next() % 20) {
                let raw = UInt32(generator.next() % 0x11_0000)
                let value = generator.next() % 3 == 0 ? raw % 0x100 : raw
                if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
            }
            var canvas = Canvas(size: TerminalSize(rows: 1, columns: 12))
            let end = canvas.put(text, row: 0, column: Int(generator.next() % 5), maxWidth: Int(generator.next() % 12))
            #expect(end <= 12)
            for column in 0..<12 {
                guard let cell = canvas.cell(row: 0, column: column) else { continue }
                #expect(cell.character.unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F..<0xA0).contains($0.value) })
            }
        }
    }
}

/// A small deterministic generator, so that a failing case can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Testing

@testable import TerminalUI

@Suite("VirtualTerminal")
struct VirtualTerminalTests {
    @Test("events come out in order, then nil without waiting")
    func events() {
        let terminal = VirtualTerminal()
        terminal.enqueue(.down, .enter)
        terminal.type("a\tb\n\u{3}")
        terminal.enqueue(events: [.paste("ssh-ed25519 AAAA")])
        var seen: [TerminalEvent] = []
        while let event = terminal.nextEvent(timeout: .seconds(60)) { seen.append(event) }
        #expect(
            seen == [
                .key(.down), .key(.enter), .key(.character("a")), .key(.tab), .key(.character("b")), .key(.enter),
                .key(.control("c")), .paste("ssh-ed25519 AAAA"),
            ])
    }

    @Test("keeps the screen text and the cells changed per present")
    func presents() {
        let terminal = VirtualTerminal(size: TerminalSize(rows: 2, columns: 5), colorSupport: .monochrome)
        #expect(terminal.screenText == "\n")
        var canvas = Canvas(size: terminal.size)
        canvas.put("ab", row: 0, column: 0)
        terminal.present(canvas)
        #expect(terminal.lastCellsChanged == 10)
        canvas.put("b", row: 0, column: 0, role: .selection)
        terminal.present(canvas)
        #expect(terminal.lastCellsChanged == 1)
        terminal.present(canvas)
        #expect(terminal.cellsChangedPerPresent == [10, 1, 0])
        #expect(terminal.screenText == "bb\n")
        terminal.invalidate()
        terminal.present(canvas)
        #expect(terminal.lastCellsChanged == 10)
    }

    @Test("resize changes the size and queues the event; a new theme repaints everything")
    func resizeAndTheme() throws {
        let terminal = VirtualTerminal()
        terminal.resize(to: TerminalSize(rows: 40, columns: 120))
        #expect(terminal.size == TerminalSize(rows: 40, columns: 120))
        #expect(terminal.nextEvent(timeout: .zero) == .resize(TerminalSize(rows: 40, columns: 120)))
        terminal.present(Canvas(size: terminal.size))
        terminal.setTheme(try Theme.builtIn(named: "light"))
        #expect(terminal.theme?.name == "light")
        terminal.present(Canvas(size: terminal.size))
        #expect(terminal.lastCellsChanged == 4800)
    }
}

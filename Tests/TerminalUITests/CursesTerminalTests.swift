import Testing

@testable import TerminalUI

/// What can be checked without a tty; the console's tmux tests drive the real thing.
@Suite("CursesTerminal without a terminal")
struct CursesTerminalTests {
    @Test(
        "refuses terminals that cannot run the console, pointing to the CLI",
        arguments: [
            ([String: String](), TerminalError.noTerminalType),
            (["TERM": ""], TerminalError.noTerminalType),
            (["TERM": "dumb"], TerminalError.unsupportedTerminal("dumb")),
            (["TERM": "no-such-terminal-type"], TerminalError.unknownTerminal("no-such-terminal-type")),
        ])
    func refuses(environment: [String: String], expected: TerminalError) {
        let error = #expect(throws: TerminalError.self) { try CursesTerminal.open(environment: environment) }
        #expect(error == expected)
        #expect(error?.description.contains("sftpidp users list") == true)
    }

    @Test("an unknown SFTPIDP_CHARSET is refused by name before the terminal is touched")
    func unknownCharset() {
        let error = #expect(throws: TerminalError.self) { try CursesTerminal.open(environment: ["TERM": "xterm", "SFTPIDP_CHARSET": "latin1"]) }
        #expect(error == .unknownCharset("latin1"))
    }

    @Test("timeouts become whole milliseconds for curses, rounded up, clamped")
    func milliseconds() {
        #expect(CursesTerminal.milliseconds(.zero) == 0)
        #expect(CursesTerminal.milliseconds(.milliseconds(-5)) == 0)
        #expect(CursesTerminal.milliseconds(.milliseconds(250)) == 250)
        #expect(CursesTerminal.milliseconds(.microseconds(1)) == 1)
        #expect(CursesTerminal.milliseconds(.seconds(2) + .microseconds(500)) == 2001)
        #expect(CursesTerminal.milliseconds(.seconds(Int64.max)) == Int32.max)
    }
}

import Testing
@testable import TerminalUI

/// Regression cases from the FuzzThemeTOML fuzz target: TOML that toml++ would abort on is refused with a message.
@Suite struct TOMLPreflightTests {
    @Test(arguments: [
        ("[>eta]\nname = \"x\"\n", 1, 2),
        ("[meta]\nname = \"x\"\n  [[ !roles]]\n", 3, 6),
        ("[\u{0}]\n", 1, 2),
        ("\u{FEFF}[\u{FFFD}", 1, 3),
    ])
    func headersThatDoNotStartWithAKeyAreRefused(text: String, line: Int, column: Int) throws {
        let error = try #require(throws: ThemeError.self) { try Theme.parse(text, origin: "user.toml") }
        #expect(error.line == line)
        #expect(error.column == column)
        #expect(error.message.contains("table header must start with a key"))
    }

    @Test(arguments: [
        ("a=[}", 1, 4), ("a=[1,}", 1, 6), ("a = [\n  # c\n}", 3, 1), ("a=[[}]]", 1, 5), ("n={g=\"\",b=\"\",s=[\"\"],o=[}", 1, 24),
    ])
    func arraysClosedByABraceAreRefused(text: String, line: Int, column: Int) throws {
        let error = try #require(throws: ThemeError.self) { try Theme.parse(text, origin: "user.toml") }
        #expect(error.line == line)
        #expect(error.column == column)
        #expect(error.message.contains("an array expects a value or ] here, not }"))
    }

    @Test(arguments: ["e=1979-05-27T=:", "e = 1979-05-27t\n"])
    func datesWithoutATimeAfterTAreRefused(text: String) throws {
        let error = try #require(throws: ThemeError.self) { try Theme.parse(text, origin: "user.toml") }
        #expect(error.message.contains("time part must start with digits"))
    }

    @Test func theFuzzersFindingIsRefusedNotAborted() throws {
        let finding = "[>eta]\nname = \"x\"\n[roles]:normal = { fg = \"#zzzzzz\" }\n"
        #expect(throws: ThemeError.self) { try Theme.parse(finding, origin: "user.toml") }
    }

    @Test(arguments: [
        "[meta]\nname = \"x\"\n", "[ \"quoted\" ]\n", "[[a-b]]\n", "  [_x.y]\n", "[]\n",
        "a = [1, 2]\nb = { c = [\"}\", '}'] }\n", "a = \"\"\"\n[}\n\"\"\"\n", "a = [ # }\n 1 ]\n", "a = {b=}\n", "a = 1979-05-27T07:32:00Z\n", "a = 1979-05-27\n",
    ])
    func wellFormedHeadersPassThePreflight(text: String) throws {
        try TOMLPreflight.check(text, origin: "user.toml")
    }
}

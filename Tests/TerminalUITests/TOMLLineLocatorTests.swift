import Testing

@testable import TerminalUI

@Suite("TOML line locator")
struct TOMLLineLocatorTests {
    let text = """
        # comment
        [meta]
        name = "x"

        [roles]
        header = { fg = "red" }

        [roles.selection]
          fg = "blue"
        "bg" = 3
        [roles."input"]
        roles.extra = 1
        """

    @Test("finds keys in tables, inline tables, quoted keys and dotted keys")
    func lines() {
        #expect(TOMLLineLocator.line(of: ["meta", "name"], in: text) == 3)
        #expect(TOMLLineLocator.line(of: ["roles", "header", "fg"], in: text) == 6)
        #expect(TOMLLineLocator.line(of: ["roles", "selection", "fg"], in: text) == 9)
        #expect(TOMLLineLocator.line(of: ["roles", "selection", "bg"], in: text) == 10)
        #expect(TOMLLineLocator.line(of: ["roles", "selection", "mono"], in: text) == 8)
        #expect(TOMLLineLocator.line(of: ["roles", "input"], in: text) == 11)
        #expect(TOMLLineLocator.line(of: ["roles", "input", "roles", "extra"], in: text) == 12)
        #expect(TOMLLineLocator.line(of: ["nothing"], in: text) == nil)
    }
}

import Foundation
import Testing

/// How the real console picks its theme and reports it: `auto`, and a user theme that breaks the contrast rule.
@Suite("Themes in tmux", .serialized)
struct ThemeTmuxTests {
    // tmux 3.3 (Debian 12) answers the device-attributes query but not OSC 11, so `auto` falls back to COLORFGBG.
    @Test("auto takes COLORFGBG when the terminal does not report its background, and the help screen says so")
    func autoFromColorfgbg() throws {
        let sandbox = try ConsoleTmuxTests.seededSandbox()
        for (colorfgbg, expected) in [("0;15", "light (auto: light background, from COLORFGBG)"), ("15;0", "default (auto: dark background, from COLORFGBG)")] {
            let session = try ConsoleTmuxTests.open(sandbox, environment: ["COLORFGBG": colorfgbg], waitFor: "3 users loaded")
            defer { session.close() }
            try session.keys("?")
            try session.waitFor(expected)
            try session.keys("Escape", "q")
            try session.waitFor(TmuxSession.prompt)
        }
    }

    @Test("a user theme that breaks the contrast rule still opens, after a warning naming the role and the pair")
    func contrastWarning() throws {
        let sandbox = try ConsoleTmuxTests.seededSandbox()
        let theme = sandbox.path("zebra.toml")
        try "[roles]\nlistRowAlt = { fg = \"default\", bg = 235 }\n".write(toFile: theme, atomically: true, encoding: .utf8)
        let session = try ConsoleTmuxTests.open(sandbox, arguments: "--theme \(theme)", waitFor: "3 users loaded")
        defer { session.close() }
        try session.keys("?")
        try session.waitFor("zebra")
        try session.keys("Escape", "q")
        let pane = try session.waitFor("on #262626 is 1.3:1 on a light terminal")  // the line wraps at 100 columns
        #expect(pane.contains("theme \(theme): warning: roles.listRowAlt"))
        #expect(!pane.contains("roles.selection"))
    }
}

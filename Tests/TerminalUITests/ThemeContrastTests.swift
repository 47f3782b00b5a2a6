import Foundation
import Testing

@testable import TerminalUI

@Suite("Theme contrast")
struct ThemeContrastTests {
    @Test("the WCAG ratio of known pairs")
    func knownRatios() {
        #expect(ThemeContrast.ratio(Palette.RGB(0, 0, 0), Palette.RGB(255, 255, 255)) == 21)
        #expect(ThemeContrast.ratio(Palette.RGB(119, 119, 119), Palette.RGB(119, 119, 119)) == 1)
        // The pairs issue #17 measured on xterm's default palette.
        #expect(abs(ThemeContrast.ratio(Palette.rgb(ofIndex: 8), Palette.rgb(ofIndex: 6)) - 2.0) < 0.05)
        #expect(abs(ThemeContrast.ratio(Palette.RGB(0, 0, 0), Palette.rgb(ofIndex: 235)) - 1.4) < 0.05)
        #expect(abs(ThemeContrast.ratio(Palette.RGB(255, 255, 255), Palette.rgb(ofIndex: 255)) - 1.16) < 0.01)
        // #767676 on white is the classic 4.5:1 boundary.
        #expect(abs(ThemeContrast.ratio(Palette.RGB(118, 118, 118), Palette.RGB(255, 255, 255)) - 4.54) < 0.01)
    }

    @Test("every built-in theme meets the rule on dark and light terminals, at 24-bit and 256 colours", arguments: Theme.builtInNames)
    func builtInThemesPass(name: String) throws {
        let theme = try Theme.builtIn(named: name)
        #expect(ThemeContrast.requiredRatio(for: theme) == (name == "high-contrast" ? 7 : 4.5))
        let problems = ThemeContrast.problems(in: theme)
        #expect(problems.isEmpty, Comment(rawValue: "\(name):\n" + problems.map(\.description).joined(separator: "\n")))
    }

    @Test("black bold text counts as grey: bold is shown bright by many terminals")
    func boldShownBright() throws {
        let theme = try Theme.parse(
            "[roles]\nselection = { fg = \"black\", bg = \"cyan\", attributes = [\"bold\"] }\n", origin: "bold.toml")
        let problem = try #require(ThemeContrast.problems(in: theme).first { $0.role == .selection })
        #expect(problem.boldShownBright)
        #expect(problem.foreground == "#7f7f7f" && problem.backgroundColor == "#00cdcd")
        #expect(problem.description.hasPrefix("roles.selection: text #7f7f7f (bold shown bright) on #00cdcd is 2.0:1"))
        // The same pair without bold is fine.
        let plain = try Theme.parse("[roles]\nselection = { fg = \"black\", bg = \"cyan\", attributes = [] }\n", origin: "plain.toml")
        #expect(!ThemeContrast.problems(in: plain).contains { $0.role == .selection })
    }

    @Test("a background without its own text colour fails on the terminal whose text does not fit it")
    func backgroundNeedsForeground() throws {
        let theme = try Theme.parse("[roles]\nlistRowAlt = { fg = \"default\", bg = 235 }\n", origin: "zebra.toml")
        let problem = try #require(ThemeContrast.problems(in: theme).first { $0.role == .listRowAlt })
        #expect(problem.background == .light)
        #expect(problem.foreground == "#000000" && problem.backgroundColor == "#262626")
    }

    @Test("coloured text on the terminal's own background fails on one of the two backgrounds")
    func colouredTextOnDefaultBackground() throws {
        let theme = try Theme.parse("[roles]\nwarning = { fg = \"yellow\", bg = \"default\" }\n", origin: "warn.toml")
        let problem = try #require(ThemeContrast.problems(in: theme).first { $0.role == .warning })
        #expect(problem.background == .light && problem.backgroundColor == "#ffffff")
    }

    @Test("reverse swaps the pair; the terminal's own pair always passes")
    func reverseAndDefault() throws {
        let theme = try Theme.builtIn(named: "monochrome")
        #expect(ThemeContrast.problems(in: theme).isEmpty)
        let drawn = ThemeContrast.pairs(
            of: RoleStyle(foreground: .indexed(0), background: .indexed(15), attributes: [.reverse]), support: .xterm256, on: .dark)
        #expect(drawn.count == 1 && drawn[0].foreground == Palette.RGB(255, 255, 255) && drawn[0].background == Palette.RGB(0, 0, 0))
    }

    @Test("a colour that passes at 24 bits but becomes a failing cube entry at 256 colours is caught there")
    func degradedColoursAreChecked() throws {
        // #8866bb on black is 4.6:1 in 24-bit colour; its nearest cube entry, 97 (#875faf), is 4.2:1.
        let theme = try Theme.parse("[roles]\ninfo = { fg = \"#8866bb\", bg = 16 }\n", origin: "purple.toml")
        let problem = try #require(ThemeContrast.problems(in: theme).first { $0.role == .info })
        #expect(problem.colorSupport == .xterm256 && problem.foreground == "#875faf")
    }

    @Test("a user theme's contrast problems become warnings naming the file and the role")
    func warnings() throws {
        let theme = try Theme.parse("[roles]\nlistRowAlt = { fg = \"default\", bg = 235 }\n", origin: "/t/zebra.toml")
        let warnings = ThemeChoice(theme: theme, explanation: "zebra").contrastWarnings
        #expect(warnings.contains { $0.hasPrefix("theme /t/zebra.toml: warning: roles.listRowAlt: text #000000 on #262626 is 1.3:1 on a light terminal") })
    }
}

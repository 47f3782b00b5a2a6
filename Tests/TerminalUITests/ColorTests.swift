import Testing

@testable import TerminalUI

@Suite("Colours")
struct ColorTests {
    @Test("colour syntax: names, 0-255, #rrggbb, default; anything else is refused")
    func parsing() {
        #expect(ThemeColor(parsing: "default") == .terminalDefault)
        #expect(ThemeColor(parsing: "red") == .indexed(1))
        #expect(ThemeColor(parsing: "Bright-White") == .indexed(15))
        #expect(ThemeColor(parsing: "grey") == .indexed(8))
        #expect(ThemeColor(parsing: "255") == .indexed(255))
        #expect(ThemeColor(parsing: "#E69F00") == .rgb(red: 0xE6, green: 0x9F, blue: 0x00))
        for bad in ["256", "-1", "#12345", "#12345g", "purple", "", "#+12345", "bright-"] {
            #expect(ThemeColor(parsing: bad) == nil, "\(bad)")
        }
        #expect(ThemeColor.rgb(red: 1, green: 0xAB, blue: 0).description == "#01ab00")
        #expect(ThemeColor.indexed(12).description == "bright-blue")
    }

    @Test("#rrggbb degrades to 256, 16, 8 colours and to none")
    func degradation() {
        let orange = ThemeColor.rgb(red: 0xE6, green: 0x9F, blue: 0x00)
        #expect(orange.degraded(to: .truecolor) == orange)
        #expect(orange.degraded(to: .xterm256) == .indexed(178))  // #d7af00
        #expect(orange.degraded(to: .ansi16) == .indexed(3))  // yellow
        #expect(orange.degraded(to: .ansi8) == .indexed(3))
        #expect(orange.degraded(to: .monochrome) == nil)
        #expect(ThemeColor.rgb(red: 0x80, green: 0x80, blue: 0x80).degraded(to: .xterm256) == .indexed(244))
        #expect(ThemeColor.rgb(red: 0, green: 0, blue: 0).degraded(to: .xterm256) == .indexed(16))
    }

    @Test("palette entries degrade by their xterm RGB; bright colours stay visible on 8 colours")
    func indexedDegradation() {
        #expect(ThemeColor.indexed(236).degraded(to: .xterm256) == .indexed(236))
        #expect(ThemeColor.indexed(236).degraded(to: .ansi16) == .indexed(0))
        #expect(ThemeColor.indexed(196).degraded(to: .ansi16) == .indexed(9))
        #expect(ThemeColor.indexed(9).degraded(to: .ansi16) == .indexed(9))
        #expect(ThemeColor.indexed(9).degraded(to: .ansi8) == .indexed(1))
        #expect(ThemeColor.indexed(8).degraded(to: .ansi8) == .indexed(7))  // grey must not turn black
        #expect(ThemeColor.indexed(12).degraded(to: .ansi8) == .indexed(4))
        #expect(ThemeColor.terminalDefault.degraded(to: .ansi8) == .terminalDefault)
    }

    @Test("a role's rendition: colours plus attributes, or the monochrome attributes alone")
    func rendition() throws {
        let selection = try Theme.builtIn(named: "default").style(for: .selection)
        let colour = selection.rendition(for: .ansi8)
        #expect(colour.colors == .init(foreground: .indexed(0), background: .indexed(6)))
        #expect(colour.attributes == [.bold])
        let mono = selection.rendition(for: .monochrome)
        #expect(mono.colors == nil)
        #expect(mono.attributes == [.reverse])
    }

    @Test("ColorSupport from curses' COLORS, and NO_COLOR")
    func support() {
        #expect(ColorSupport(colorCount: 0) == .monochrome)
        #expect(ColorSupport(colorCount: 8) == .ansi8)
        #expect(ColorSupport(colorCount: 16) == .ansi16)
        #expect(ColorSupport(colorCount: 88) == .ansi16)
        #expect(ColorSupport(colorCount: 256) == .xterm256)
        #expect(ColorSupport(colorCount: 0x100_0000) == .truecolor)
        #expect(ColorSupport.noColorRequested(in: ["NO_COLOR": "1"]))
        #expect(!ColorSupport.noColorRequested(in: ["NO_COLOR": ""]))
        #expect(!ColorSupport.noColorRequested(in: [:]))
    }

    @Test("colour plan: shared pairs, default colours, monochrome, and too few pairs")
    func colorPlan() throws {
        // The shipped themes paint their own backgrounds; one role on the terminal's own colours uses pair 0.
        let theme = try Theme.parse("[roles]\nlistRow = { fg = \"default\", bg = \"default\" }\n", origin: "plan.toml")
        let plan = ColorPlan(theme: theme, support: .xterm256, maxPairs: 256, defaultColors: true)
        #expect(plan.entry(for: .listRow) == .init(pair: 0, attributes: []))
        #expect(plan.entry(for: .normal).pair > 0)
        #expect(plan.entry(for: .selection).pair > 0)
        #expect(plan.entry(for: .selection).attributes == [.bold])
        #expect(plan.entry(for: .statusBar).pair != plan.entry(for: .statusKey).pair)
        #expect(Set(plan.pairs.map(\.number)).count == plan.pairs.count)
        #expect(plan.pairs.allSatisfy { $0.number > 0 && $0.number < 256 })

        let header = try #require(plan.pairs.first { $0.number == plan.entry(for: .header).pair })
        #expect(header.foreground == 231 && header.background == 25)

        let noDefault = ColorPlan(theme: theme, support: .ansi8, maxPairs: 64, defaultColors: false)
        let dim = try #require(noDefault.pairs.first { $0.number == noDefault.entry(for: .dim).pair })
        #expect(dim.background == 0)
        #expect(noDefault.entry(for: .normal).pair > 0)

        let mono = ColorPlan(theme: theme, support: .monochrome, maxPairs: 256, defaultColors: true)
        #expect(mono.pairs.isEmpty)
        #expect(mono.entry(for: .selection).attributes == [.reverse])

        let cramped = ColorPlan(theme: theme, support: .xterm256, maxPairs: 3, defaultColors: true)
        #expect(cramped.pairs.count == 2)
        var fellBack = 0
        for role in StyleRole.allCases {
            let colors = theme.style(for: role).rendition(for: .xterm256).colors
            let needsPair = colors.map { $0.foreground != .terminalDefault || $0.background != .terminalDefault } ?? false
            guard needsPair, cramped.entry(for: role).pair == 0 else { continue }
            fellBack += 1
            #expect(cramped.entry(for: role).attributes == theme.style(for: role).monochrome, "\(role)")
        }
        #expect(fellBack > 0)
    }

    @Test("24-bit mode sends palette entries 8-255 and #rrggbb as packed RGB")
    func directColor() {
        #expect(ColorPlan.cursesColor(.indexed(3), support: .truecolor, defaultColors: true, isForeground: true) == 3)
        #expect(ColorPlan.cursesColor(.indexed(15), support: .truecolor, defaultColors: true, isForeground: true) == 0xFFFFFF)
        #expect(ColorPlan.cursesColor(.rgb(red: 0xE6, green: 0x9F, blue: 0), support: .truecolor, defaultColors: true, isForeground: true) == 0xE69F00)
        #expect(ColorPlan.cursesColor(.rgb(red: 0, green: 0, blue: 1), support: .truecolor, defaultColors: true, isForeground: true) == 8)
        #expect(ColorPlan.cursesColor(.indexed(200), support: .xterm256, defaultColors: true, isForeground: true) == 200)
        #expect(ColorPlan.cursesColor(.terminalDefault, support: .ansi8, defaultColors: false, isForeground: true) == 7)
    }
}

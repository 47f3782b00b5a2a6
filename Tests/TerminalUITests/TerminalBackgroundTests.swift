import Testing

@testable import TerminalUI

@Suite("Terminal background")
struct TerminalBackgroundTests {
    static func reply(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test(
        "OSC 11 replies: xterm's 4-digit form, short forms, rgba, both terminators, with noise around",
        arguments: [
            ("\u{1B}]11;rgb:0000/0000/0000\u{1B}\\", TerminalBackground.dark),
            ("\u{1B}]11;rgb:ffff/ffff/ffff\u{07}", .light),
            ("\u{1B}]11;rgb:fdfd/f6f6/e3e3\u{1B}\\\u{1B}[?64;1;2c", .light),  // solarized light, then the DA1 reply
            ("\u{1B}]11;rgb:00/2b/36\u{07}", .dark),  // solarized dark, 2 digits
            ("\u{1B}]11;rgb:f/f/f\u{07}", .light),
            ("x\u{1B}]11;rgba:2828/2c2c/3434/ffff\u{07}", .dark),
            ("\u{1B}]11;rgb:7777/7777/7777\u{07}", .light),  // mid grey: black text has the better contrast
        ])
    func parsesReplies(text: String, expected: TerminalBackground) {
        #expect(TerminalBackground.parseOSC11Reply(Self.reply(text)) == expected)
    }

    @Test(
        "anything that is not a full reply is no answer",
        arguments: [
            "", "\u{1B}[?64;1;2c", "\u{1B}]11;rgb:ffff/ffff/ffff", "\u{1B}]11;rgb:ffff/ffff\u{07}", "\u{1B}]11;rgb:gggg/0/0\u{07}",
            "\u{1B}]11;rgb:12345/0/0\u{07}", "\u{1B}]11;?\u{07}", "\u{1B}]10;rgb:ffff/ffff/ffff\u{07}", "\u{1B}]11;rgb://\u{07}",
        ])
    func rejectsNonReplies(text: String) {
        #expect(TerminalBackground.parseOSC11Reply(Self.reply(text)) == nil)
    }

    @Test("COLORFGBG: the last field is the background; 0-6 and 8 dark, 7 and 9-15 light")
    func colorfgbg() {
        #expect(TerminalBackground.parseCOLORFGBG("15;0") == .dark)
        #expect(TerminalBackground.parseCOLORFGBG("0;15") == .light)
        #expect(TerminalBackground.parseCOLORFGBG("0;default;15") == .light)
        #expect(TerminalBackground.parseCOLORFGBG("7;8") == .dark)
        #expect(TerminalBackground.parseCOLORFGBG("0;7") == .light)
        for bad in [nil, "", "15", "15;", "15;default", "15;16", "15;-1", "a;b"] {
            #expect(TerminalBackground.parseCOLORFGBG(bad) == nil, "\(bad ?? "nil")")
        }
    }

    @Test("auto picks default on dark, light on light, and says how it knew")
    func autoChoice() throws {
        let light = try Theme.choose(
            option: nil, environment: [:], configured: nil, searchPaths: [], detectBackground: { (.light, .osc11) })
        #expect(light.theme.name == "light")
        #expect(light.explanation == "light (auto: light background, reported by the terminal (OSC 11))")
        let dark = try Theme.choose(
            option: "auto", environment: [:], configured: nil, searchPaths: [], detectBackground: { (.dark, .colorfgbg) })
        #expect(dark.theme.name == "default" && dark.explanation == "default (auto: dark background, from COLORFGBG)")
        let named = try Theme.choose(
            option: "colorblind", environment: [:], configured: nil, searchPaths: [],
            detectBackground: { Issue.record("detection must not run for a named theme"); return (.dark, .assumed) })
        #expect(named.explanation == "colorblind")
    }

    @Test("without a terminal to ask, COLORFGBG decides, else dark is assumed")
    func detectWithoutTerminal() {
        // `swift test` may run with or without a controlling terminal; only judge the fallback when there is none.
        guard TerminalBackground.queryTerminal(timeout: .milliseconds(1)) == nil else { return }
        #expect(TerminalBackground.detect(environment: ["COLORFGBG": "0;15"]) == (.light, .colorfgbg))
        #expect(TerminalBackground.detect(environment: [:]) == (.dark, .assumed))
    }
}

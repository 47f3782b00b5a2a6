import Foundation
import Testing

@testable import TerminalUI

@Suite("Themes")
struct ThemeTests {
    /// The repository's themes/ directory.
    static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes")

    @Test("the shipped themes are the five promised, in cycling order")
    func builtInNames() {
        #expect(Theme.builtInNames == ["default", "light", "high-contrast", "colorblind", "monochrome"])
        #expect(Theme.builtInName(after: "default") == "light")
        #expect(Theme.builtInName(after: "monochrome") == "default")
        #expect(Theme.builtInName(after: "no-such") == "default")
    }

    @Test("every shipped theme file loads on its own and sets every role itself", arguments: Theme.builtInNames)
    func shippedFileIsComplete(name: String) throws {
        let path = Self.themesDirectory.appendingPathComponent(name + ".toml").path
        let theme = try Theme.load(name: path, searchPaths: [])
        #expect(theme.name == name)
        #expect(!theme.summary.isEmpty)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let document = try ThemeParser.parse(text, origin: path)
        #expect(Set(document.roles.keys) == Set(StyleRole.allCases))
        for role in StyleRole.allCases {
            #expect(document.roles[role]?.foreground != nil, "\(name): \(role) has no fg")
            #expect(document.roles[role]?.background != nil, "\(name): \(role) has no bg")
        }
    }

    @Test("the built-in copies equal the files in themes/ (run themes/embed-builtin-themes.sh)", arguments: Theme.builtInNames)
    func builtInCopyMatchesFile(name: String) throws {
        let file = try String(contentsOfFile: Self.themesDirectory.appendingPathComponent(name + ".toml").path, encoding: .utf8)
        #expect(BuiltInThemes.text(of: name).map { $0 + "\n" } == file)
        #expect(try Theme.builtIn(named: name).origin == "built-in:\(name)")
    }

    @Test("roles that carry meaning differ from normal text in monochrome", arguments: Theme.builtInNames)
    func monochromeDistinguishesRoles(name: String) throws {
        let theme = try Theme.builtIn(named: name)
        for role: StyleRole in [.selection, .header, .statusBar, .error, .inputFocused, .buttonFocused] {
            #expect(!theme.style(for: role).monochrome.isEmpty, "\(name): \(role)")
        }
        #expect(theme.style(for: .selection).monochrome != theme.style(for: .selectionInactive).monochrome)
    }

    @Test("the colour-blind theme never tells error from success by hue alone")
    func colorblindErrorAndSuccessDifferInAttributes() throws {
        let theme = try Theme.builtIn(named: "colorblind")
        #expect(theme.style(for: .error).attributes != theme.style(for: .success).attributes)
    }

    @Test("a theme inherits unset roles and fields from default, or from the theme it names")
    func inheritance() throws {
        let base = try Theme.builtIn(named: "default")
        let child = try Theme.parse(
            """
            [roles.selection]
            bg = "magenta"
            """, origin: "child.toml")
        #expect(child.name == "child")
        #expect(child.style(for: .selection).background == .indexed(5))
        #expect(child.style(for: .selection).foreground == base.style(for: .selection).foreground)
        #expect(child.style(for: .header) == base.style(for: .header))

        let light = try Theme.builtIn(named: "light")
        let grandchild = try Theme.parse(
            """
            [meta]
            inherits = "light"
            [roles]
            error = { fg = "#ff0000" }
            """, origin: "mine.toml")
        #expect(grandchild.style(for: .selection) == light.style(for: .selection))
        #expect(grandchild.style(for: .error).foreground == .rgb(red: 255, green: 0, blue: 0))
        #expect(grandchild.style(for: .error).attributes == light.style(for: .error).attributes)
    }

    @Test("lookup: a file path, a name in a search path before the built-ins, then built-ins")
    func lookup() throws {
        try withTemporaryDirectory { directory in
            let file = directory + "/light.toml"
            try "[meta]\nname = \"my light\"\n".write(toFile: file, atomically: true, encoding: .utf8)
            #expect(try Theme.load(name: "light", searchPaths: [directory]).name == "my light")
            #expect(try Theme.load(name: "light", searchPaths: ["/nonexistent"]).origin == "built-in:light")
            #expect(try Theme.load(name: file, searchPaths: []).origin == file)
            let error = #expect(throws: ThemeError.self) { try Theme.load(name: "nope", searchPaths: [directory]) }
            #expect(error?.description.contains("no theme named 'nope'") == true)
            #expect(error?.description.contains(directory) == true)
            #expect(throws: ThemeError.self) { try Theme.load(name: "../etc", searchPaths: []) }
            #expect(throws: ThemeError.self) { try Theme.load(name: "a b", searchPaths: []) }
        }
    }

    @Test("choice order: --theme, then SFTPIDP_THEME, then the config, then auto")
    func choice() throws {
        func chosen(_ option: String?, _ env: String?, _ config: String?) throws -> String {
            try Theme.choose(
                option: option, environment: env.map { ["SFTPIDP_THEME": $0] } ?? [:], configured: config,
                searchPaths: [], detectBackground: { (.dark, .assumed) }
            ).theme.name
        }
        #expect(try chosen("light", "monochrome", "colorblind") == "light")
        #expect(try chosen(nil, "monochrome", "colorblind") == "monochrome")
        #expect(try chosen(nil, "", "colorblind") == "colorblind")
        #expect(try chosen(nil, nil, nil) == "default")
        #expect(Theme.defaultSearchPaths(environment: ["HOME": "/home/a"]) == ["/home/a/.config/sftpidp/themes"])
        #expect(Theme.defaultSearchPaths(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == ["/x/sftpidp/themes"])
    }

    @Test("an inheritance cycle is an error naming the files")
    func cycle() throws {
        try withTemporaryDirectory { directory in
            try "[meta]\ninherits = \"b\"\n".write(toFile: directory + "/a.toml", atomically: true, encoding: .utf8)
            try "[meta]\ninherits = \"a\"\n".write(toFile: directory + "/b.toml", atomically: true, encoding: .utf8)
            let error = #expect(throws: ThemeError.self) { try Theme.load(name: "a", searchPaths: [directory]) }
            #expect(error?.message.contains("cycle") == true)
        }
    }

    @Test(
        "a broken theme names the file, the line and the rule",
        arguments: [
            ("[roles]\nnormal = { fg = \"purpel\" }\n", 2, "\"purpel\" is not a colour: fg must be a colour name"),
            ("[meta]\nname = \"x\"\n\n[roles.header]\nfg = \"red\"\nbg = 300\n", 6, "300 is out of range: bg must be"),
            ("[roles.header]\nfg = true\n", 2, "fg must be a colour name"),
            ("[roles.selection]\nattributes = [\"blink\"]\n", 2, "unknown attribute \"blink\": attributes must be a list of: bold"),
            ("[roles.selection]\nmono = 3\n", 2, "mono must be a list of"),
            ("[roles]\nselektion = { fg = \"red\" }\n", 2, "unknown role 'selektion'; roles are: normal"),
            ("[roles.header]\nfgg = \"red\"\n", 2, "unknown key 'fgg' in role 'header'; allowed: fg, bg"),
            ("[colours]\na = 1\n", 1, "unknown section 'colours'"),
            ("[meta]\ninherits = \"nope\"\n", 2, "meta.inherits: no theme named 'nope'"),
            ("[meta]\nname = 3\n", 2, "meta.name: must be a string"),
            ("roles = 5\n", 1, "roles: must be a table"),
            ("[roles.header]\nfg = \"red\n", 2, "not valid TOML"),
        ])
    func brokenTheme(text: String, line: Int, message: String) {
        let error = #expect(throws: ThemeError.self) { try Theme.parse(text, origin: "/tmp/broken.toml") }
        #expect(error?.file == "/tmp/broken.toml")
        #expect(error?.line == line)
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
        #expect(error?.description.hasPrefix("theme /tmp/broken.toml:\(line)") == true)
    }

    @Test("an unreadable or non-UTF-8 file is a clear error")
    func unreadable() throws {
        try withTemporaryDirectory { directory in
            let missing = #expect(throws: ThemeError.self) { try Theme.load(name: directory + "/none.toml", searchPaths: []) }
            #expect(missing?.description.contains("cannot read the theme file") == true)
            let binary = directory + "/bin.toml"
            try Data([0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: binary))
            let notText = #expect(throws: ThemeError.self) { try Theme.load(name: binary, searchPaths: []) }
            #expect(notText?.message == "a theme file must be UTF-8 text")
        }
    }
}

/// Runs `body` with a fresh temporary directory, removed afterwards.
func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("terminalui-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    try body(url.path)
}

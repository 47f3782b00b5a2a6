#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A complete mapping from every `StyleRole` to colours and attributes, loaded from TOML.
///
/// Theme files live in `themes/` (see `themes/README.md`); the shipped ones are also built into the
/// module so that the binary works anywhere. A theme sets some or all roles; the rest come from the
/// theme it `inherits` (the built-in `default` when not said).
public struct Theme: Sendable, Hashable {
    /// The theme's name (`[meta] name`, else the file name).
    public let name: String
    /// One line saying what the theme is for.
    public let summary: String
    /// Where it was loaded from: a file path or `built-in:NAME`.
    public let origin: String
    private let styles: [StyleRole: RoleStyle]

    /// How `role` looks in this theme.
    public func style(for role: StyleRole) -> RoleStyle {
        // Every theme is complete: `resolve` fails unless each role has a style.
        styles[role] ?? RoleStyle(foreground: .terminalDefault, background: .terminalDefault)
    }

    /// The shipped themes, in the order the live-cycle key goes through them.
    public static let builtInNames = BuiltInThemes.all.map(\.name)

    /// The built-in theme that follows `name` when cycling (wraps around; the first for unknown names).
    public static func builtInName(after name: String) -> String {
        let names = builtInNames
        guard let index = names.firstIndex(of: name) else { return names.first ?? name }
        return names[(index + 1) % names.count]
    }

    /// A built-in theme by name.
    public static func builtIn(named name: String) throws -> Theme {
        try ThemeLoader(searchPaths: []).load(reference: name)
    }

    /// A theme by name or path. A value with a `/` or ending in `.toml` is a file; otherwise
    /// `NAME.toml` is looked for in each of `searchPaths`, then among the built-in themes.
    public static func load(name: String, searchPaths: [String]) throws -> Theme {
        try ThemeLoader(searchPaths: searchPaths).load(reference: name)
    }

    /// Theme text read from `origin` (used for error messages and for `inherits` lookups).
    public static func parse(_ text: String, origin: String, searchPaths: [String] = []) throws -> Theme {
        try ThemeLoader(searchPaths: searchPaths).resolve(ThemeParser.parse(text, origin: origin), visited: [])
    }

    /// The theme the user chose: `--theme` (option), else `SFTPIDP_THEME`, else the config file's
    /// value, else `auto`: the built-in theme for the terminal's background, found by `detectBackground`
    /// (called only for `auto`).
    public static func choose(
        option: String?, environment: [String: String], configured: String?, searchPaths: [String],
        detectBackground: () -> (background: TerminalBackground, source: TerminalBackground.Source)
    ) throws -> ThemeChoice {
        let candidates = [option, environment["SFTPIDP_THEME"], configured]
        let reference = candidates.compactMap { $0 }.first { !$0.isEmpty } ?? ThemeChoice.auto
        guard reference == ThemeChoice.auto else {
            let theme = try load(name: reference, searchPaths: searchPaths)
            return ThemeChoice(theme: theme, explanation: theme.name)
        }
        let (background, source) = detectBackground()
        let theme = try load(name: background.autoThemeName, searchPaths: searchPaths)
        return ThemeChoice(theme: theme, explanation: "\(theme.name) (auto: \(background) background, \(source.rawValue))")
    }

    /// Where user themes are looked for: `$XDG_CONFIG_HOME/sftpidp/themes` (or `~/.config/sftpidp/themes`).
    public static func defaultSearchPaths(environment: [String: String]) -> [String] {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
            return [config + "/sftpidp/themes"]
        }
        if let home = environment["HOME"], !home.isEmpty {
            return [home + "/.config/sftpidp/themes"]
        }
        return []
    }

    init(name: String, summary: String, origin: String, styles: [StyleRole: RoleStyle]) {
        self.name = name
        self.summary = summary
        self.origin = origin
        self.styles = styles
    }
}

/// Finds theme files, reads them and applies inheritance.
struct ThemeLoader {
    var searchPaths: [String]

    /// Loads a theme by name or path.
    func load(reference: String, visited: [String] = []) throws -> Theme {
        let source = try locate(reference)
        guard !visited.contains(source.origin) else {
            throw ThemeError(
                file: source.origin,
                message: "themes inherit from each other in a cycle: "
                    + (visited + [source.origin]).joined(separator: " -> "))
        }
        return try resolve(ThemeParser.parse(source.text, origin: source.origin), visited: visited)
    }

    /// A parsed document made complete from its parent (`inherits`, else the built-in default).
    func resolve(_ document: ThemeDocument, visited: [String]) throws -> Theme {
        let name = document.name ?? Self.fileStem(document.origin)
        let isRoot = document.origin == BuiltInThemes.origin(of: BuiltInThemes.rootName)
        var styles: [StyleRole: RoleStyle] = [:]
        if isRoot && document.inherits == nil {
            for role in StyleRole.allCases {
                switch (document.roles[role] ?? .init()).complete() {
                case .success(let style): styles[role] = style
                case .failure(let missing):
                    throw ThemeError(
                        file: document.origin, line: TOMLLineLocator.line(of: ["roles", role.rawValue], in: document.text),
                        message: "roles.\(role.rawValue): the base theme must set \(missing.key) for every role")
                }
            }
        } else {
            let parentReference = document.inherits ?? BuiltInThemes.rootName
            let parent: Theme
            do {
                parent = try parentReference == BuiltInThemes.rootName && document.inherits == nil
                    ? Theme.builtIn(named: BuiltInThemes.rootName)
                    : load(reference: parentReference, visited: visited + [document.origin])
            } catch let error as ThemeError where error.file == parentReference && error.message.hasPrefix("no theme named") {
                throw ThemeError(
                    file: document.origin, line: TOMLLineLocator.line(of: ["meta", "inherits"], in: document.text),
                    message: "meta.inherits: \(error.message)")
            }
            for role in StyleRole.allCases {
                let inherited = parent.style(for: role)
                styles[role] = document.roles[role]?.merged(over: inherited) ?? inherited
            }
        }
        return Theme(name: name, summary: document.description ?? "", origin: document.origin, styles: styles)
    }

    /// The text of a theme: a file, a file in a search path, or a built-in theme.
    func locate(_ reference: String) throws -> (origin: String, text: String) {
        if reference.contains("/") || reference.hasSuffix(".toml") {
            return (reference, try Self.read(file: reference))
        }
        guard Self.isValidName(reference) else {
            throw ThemeError(
                file: reference,
                message: "a theme name may only hold a-z, 0-9, '-' and '_' (or give a path to a .toml file)")
        }
        for directory in searchPaths {
            let path = directory + "/" + reference + ".toml"
            if access(path, F_OK) == 0 { return (path, try Self.read(file: path)) }
        }
        if let text = BuiltInThemes.text(of: reference) { return (BuiltInThemes.origin(of: reference), text) }
        throw ThemeError(
            file: reference,
            message: "no theme named '\(reference)' in \(searchPaths.isEmpty ? "(no search path)" : searchPaths.joined(separator: ", ")) or built in ("
                + Theme.builtInNames.joined(separator: ", ") + ")")
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_"
        }
    }

    static func fileStem(_ origin: String) -> String {
        let last = origin.split(separator: "/").last.map(String.init) ?? origin
        let withoutPrefix = last.hasPrefix("built-in:") ? String(last.dropFirst("built-in:".count)) : last
        return withoutPrefix.hasSuffix(".toml") ? String(withoutPrefix.dropLast(5)) : withoutPrefix
    }

    /// Reads a whole UTF-8 file, with a clear error when it cannot.
    static func read(file path: String) throws -> String {
        guard let handle = fopen(path, "rb") else {
            throw ThemeError(file: path, message: "cannot read the theme file: \(String(cString: strerror(errno)))")
        }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count {
                if ferror(handle) != 0 {
                    throw ThemeError(file: path, message: "cannot read the theme file: read error")
                }
                break
            }
            if bytes.count > 1 << 20 { throw ThemeError(file: path, message: "a theme file must be under 1 MiB") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ThemeError(file: path, message: "a theme file must be UTF-8 text")
        }
        return text
    }
}

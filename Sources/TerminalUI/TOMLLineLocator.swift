/// Finds the line where a TOML key path is set, to point errors at it.
///
/// Not a parser (TOMLKit parses): it follows `[table]` headers and `key =` / `a.b =` lines, which is
/// how theme files are written. A path set inside an inline table (`selection = { fg = "x" }`) is
/// found at the line of the inline table's key.
enum TOMLLineLocator {
    /// The 1-based line setting `path` (or the closest enclosing key or table header), nil if none.
    static func line(of path: [String], in text: String) -> Int? {
        var table: [String] = []
        var best: (line: Int, depth: Int)?
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters()
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let found: [String]
            if line.hasPrefix("[") {
                let header = line.drop(while: { $0 == "[" }).prefix(while: { $0 != "]" })
                table = keyComponents(String(header))
                found = table
            } else if let equals = line.firstIndex(of: "=") {
                found = table + keyComponents(String(line[..<equals]))
            } else {
                continue
            }
            if found == path { return offset + 1 }
            if found.count < path.count, Array(path.prefix(found.count)) == found,
                found.count > (best?.depth ?? 0)
            {
                best = (offset + 1, found.count)
            }
        }
        return best?.line
    }

    /// `a."b c".d` -> ["a", "b c", "d"].
    static func keyComponents(_ key: String) -> [String] {
        var components: [String] = []
        var current = ""
        var quote: Character?
        for character in key {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                components.append(current.trimmingCharacters())
                current = ""
            } else {
                current.append(character)
            }
        }
        components.append(current.trimmingCharacters())
        return components
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    fileprivate func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    }
}

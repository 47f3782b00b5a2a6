/// The AWS shared `config` / `credentials` file format: `[section]` headers, `key = value` lines, `#`/`;` comments,
/// and nested blocks (a key with an empty value followed by indented `key = value` lines, as in `services` sections).
public struct INIFile: Sendable, Hashable {
    /// A value: plain text, or a nested block of keys.
    public enum Value: Sendable, Hashable {
        case text(String)
        case nested([String: String])

        public var text: String? {
            if case .text(let text) = self { return text }
            return nil
        }
    }

    /// Section name (as written between the brackets, trimmed) to its keys.
    private(set) var sections: [String: [String: Value]] = [:]

    public init(parsing contents: String, path: String) throws(AWSConfigurationError) {
        var section: String?
        var nestedKey: String?
        // "\r\n" is one Character in Swift, so this splits on LF and CRLF alike.
        for (index, line) in contents.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingSpacesAndTabs()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let lineNumber = index + 1
            let indented = line.first.map { $0 == " " || $0 == "\t" } ?? false
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
                    throw .malformedFile(path: path, line: lineNumber, rule: "a section header must look like [name]")
                }
                let name = trimmed.dropFirst().dropLast().trimmingSpacesAndTabs()
                section = name
                nestedKey = nil
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let current = section else {
                throw .malformedFile(path: path, line: lineNumber, rule: "a setting must come after a [section] header")
            }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw .malformedFile(path: path, line: lineNumber, rule: "a setting must look like key = value")
            }
            let key = trimmed[..<equals].trimmingSpacesAndTabs()
            let value = trimmed[trimmed.index(after: equals)...].trimmingSpacesAndTabs()
            guard !key.isEmpty else {
                throw .malformedFile(path: path, line: lineNumber, rule: "a setting needs a key before =")
            }
            if indented, let parent = nestedKey, case .nested(var block)? = sections[current]?[parent] {
                block[key] = value
                sections[current]?[parent] = .nested(block)
            } else if value.isEmpty {
                sections[current]?[key] = .nested([:])
                nestedKey = key
            } else {
                sections[current]?[key] = .text(value)
                nestedKey = nil
            }
        }
    }

    /// The keys of `section`, or `nil` when the file has no such section.
    public func section(_ name: String) -> [String: Value]? { sections[name] }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs, the white space the AWS CLI's configuration files allow
    /// around names and values (IdentityModel's `trimmingWhitespace` takes every Unicode space). Public for the
    /// fuzz target that checks the parser against it.
    public func trimmingSpacesAndTabs() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

import Foundation
import TOMLKit

/// Settings from the optional config file `$XDG_CONFIG_HOME/sftpidp/config.toml` (or `SFTPIDP_CONFIG`).
///
/// Command-line options win over environment variables, which win over this file.
struct ConfigFile {
    /// The keys the file may hold, each a string.
    static let knownKeys: Set<String> = ["store", "naming-scheme", "server-id", "theme", "profile", "region", "endpoint-url", "argon2", "recovery-window-days", "listing-cache"]

    private(set) var values: [String: String] = [:]
    /// `[role-policies]`: for a role ARN, the files holding its policies (`--explain-access` reads them).
    private(set) var rolePolicyFiles: [String: [String]] = [:]

    /// The path of the config file for `environment`.
    static func path(environment: [String: String]) -> String {
        if let explicit = environment["SFTPIDP_CONFIG"], !explicit.isEmpty { return explicit }
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        return configHome + "/sftpidp/config.toml"
    }

    /// Reads the config file when it exists; a file that is not valid TOML, or holds an unknown key or a value
    /// that is neither a string nor a whole number, is an error naming the file, the line and the rule.
    static func load(environment: [String: String]) throws -> ConfigFile {
        let path = path(environment: environment)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return ConfigFile() }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw CLIFailure("\(path):\(error.source.begin.line): \(error.description)")
        }
        var config = ConfigFile()
        for (key, value) in table {
            let line = Self.line(of: key, in: text)
            if key == "role-policies" {
                config.rolePolicyFiles = try rolePolicyFiles(value, path: path, line: line)
                continue
            }
            guard knownKeys.contains(key) else {
                throw CLIFailure("\(path):\(line): unknown setting \"\(key)\" (known: \(knownKeys.sorted().joined(separator: ", ")))")
            }
            // A whole number may be written bare (`recovery-window-days = 30`); every other value is a string.
            guard let string = value.string ?? value.int.map(String.init) else {
                throw CLIFailure("\(path):\(line): \"\(key)\" must be a string\(key == "recovery-window-days" ? " or a whole number" : "")")
            }
            config.values[key] = string
        }
        return config
    }

    subscript(key: String) -> String? { values[key] }

    /// `recovery-window-days`: how long a deleted user can be restored, a whole number of days (bare or as a string).
    func recoveryWindowDays() throws -> Int? {
        guard let text = values["recovery-window-days"] else { return nil }
        guard let days = Int(text) else { throw CLIFailure("recovery-window-days: \"\(text)\" is not a whole number of days (7 to 30)") }
        return days
    }

    /// Reads `[role-policies]`: each key a role ARN, each value a file name or an array of them.
    private static func rolePolicyFiles(_ value: any TOMLValueConvertible, path: String, line: Int) throws -> [String: [String]] {
        guard let table = value.table else {
            throw CLIFailure("\(path):\(line): \"role-policies\" must be a table of role ARN = [\"FILE\", ...]")
        }
        var files: [String: [String]] = [:]
        for (role, entry) in table {
            let names: [String]? = if let single = entry.string {
                [single]
            } else {
                entry.array.flatMap { array in
                    let strings = array.compactMap(\.string)
                    return strings.count == array.count && !strings.isEmpty ? strings : nil
                }
            }
            guard let names else {
                throw CLIFailure("\(path):\(line): role-policies \"\(role)\" must be a file name or a non-empty array of file names")
            }
            files[role] = names
        }
        return files
    }

    private static func line(of key: String, in text: String) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let index = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key) } ?? 0
        return index + 1
    }
}

/// One setting looked up on the command line, then in the environment, then in the config file.
func resolveSetting(_ option: String?, environment: [String: String], variable: String, config: ConfigFile, key: String) -> String? {
    if let option, !option.isEmpty { return option }
    if let value = environment[variable], !value.isEmpty { return value }
    return config[key]
}

import TOMLKit

/// Reads a theme file's TOML into a `ThemeDocument`, checking every key and value.
///
/// Syntax errors carry TOMLKit's line and column; for a wrong value the line of the offending key
/// is found in the source text (`TOMLLineLocator`).
enum ThemeParser {
    static let roleKeys = ["fg", "bg", "attributes", "mono"]
    static let metaKeys = ["name", "description", "inherits"]

    static func parse(_ text: String, origin: String) throws -> ThemeDocument {
        let table: TOMLTable
        try TOMLPreflight.check(text, origin: origin)
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ThemeError(
                file: origin, line: error.source.begin.line, column: error.source.begin.column,
                message: "not valid TOML: \(error.description)")
        }
        let context = Context(origin: origin, text: text)
        var document = ThemeDocument(origin: origin, text: text, roles: [:])
        for key in table.keys {
            guard let value = table[key] else { continue }
            switch key {
            case "meta":
                let meta = try context.table(value, path: ["meta"])
                for metaKey in meta.keys {
                    guard let metaValue = meta[metaKey] else { continue }
                    let path = ["meta", metaKey]
                    switch metaKey {
                    case "name": document.name = try context.string(metaValue, path: path)
                    case "description": document.description = try context.string(metaValue, path: path)
                    case "inherits": document.inherits = try context.string(metaValue, path: path)
                    default:
                        throw context.error(
                            path, "unknown key '\(metaKey)' in [meta]; allowed: \(metaKeys.joined(separator: ", "))")
                    }
                }
            case "roles":
                let roles = try context.table(value, path: ["roles"])
                for roleName in roles.keys {
                    guard let roleValue = roles[roleName] else { continue }
                    guard let role = StyleRole(rawValue: roleName) else {
                        throw context.error(
                            ["roles", roleName],
                            "unknown role '\(roleName)'; roles are: "
                                + StyleRole.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    document.roles[role] = try parseRole(roleValue, name: roleName, context: context)
                }
            default:
                throw context.error([key], "unknown section '\(key)'; a theme has [meta] and [roles.NAME] tables")
            }
        }
        return document
    }

    private static func parseRole(
        _ value: any TOMLValueConvertible, name: String, context: Context
    ) throws -> ThemeDocument.PartialStyle {
        let rolePath = ["roles", name]
        let table = try context.table(value, path: rolePath)
        var style = ThemeDocument.PartialStyle()
        for key in table.keys {
            guard let field = table[key] else { continue }
            let path = rolePath + [key]
            switch key {
            case "fg": style.foreground = try context.color(field, path: path)
            case "bg": style.background = try context.color(field, path: path)
            case "attributes": style.attributes = try context.attributes(field, path: path)
            case "mono": style.monochrome = try context.attributes(field, path: path)
            default:
                throw context.error(
                    path, "unknown key '\(key)' in role '\(name)'; allowed: \(roleKeys.joined(separator: ", "))")
            }
        }
        return style
    }

    /// The file being read, to turn a key path into an error with a line.
    struct Context {
        var origin: String
        var text: String

        func error(_ path: [String], _ message: String) -> ThemeError {
            ThemeError(
                file: origin, line: TOMLLineLocator.line(of: path, in: text),
                message: path.joined(separator: ".") + ": " + message)
        }

        func table(_ value: any TOMLValueConvertible, path: [String]) throws -> TOMLTable {
            guard value.type == .table, let table = value.table else {
                throw error(path, "must be a table, e.g. [\(path.joined(separator: "."))] or {...}")
            }
            return table
        }

        func string(_ value: any TOMLValueConvertible, path: [String]) throws -> String {
            guard value.type == .string, let string = value.string else {
                throw error(path, "must be a string in quotes")
            }
            return string
        }

        func color(_ value: any TOMLValueConvertible, path: [String]) throws -> ThemeColor {
            let key = path.last ?? "colour"
            if value.type == .int, let number = value.int {
                guard let index = UInt8(exactly: number) else {
                    throw error(path, "\(number) is out of range: \(key) must be \(ThemeColor.syntaxRule)")
                }
                return .indexed(index)
            }
            guard value.type == .string, let text = value.string else {
                throw error(path, "\(key) must be \(ThemeColor.syntaxRule)")
            }
            guard let color = ThemeColor(parsing: text) else {
                throw error(path, "\"\(text)\" is not a colour: \(key) must be \(ThemeColor.syntaxRule)")
            }
            return color
        }

        func attributes(_ value: any TOMLValueConvertible, path: [String]) throws -> TextAttributes {
            let key = path.last ?? "attributes"
            let rule = "\(key) must be a list of: " + TextAttributes.named.map(\.name).joined(separator: ", ")
            let names: [String]
            if value.type == .string, let single = value.string {
                names = [single]
            } else if value.type == .array, let array = value.array {
                names = try array.map { element in
                    guard element.type == .string, let name = element.string else { throw error(path, rule) }
                    return name
                }
            } else {
                throw error(path, rule)
            }
            var attributes: TextAttributes = []
            for name in names {
                guard let attribute = TextAttributes(name: name) else {
                    throw error(path, "unknown attribute \"\(name)\": \(rule)")
                }
                attributes.insert(attribute)
            }
            return attributes
        }
    }
}

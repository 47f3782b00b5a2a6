import Foundation

/// Any JSON value, decoded with Foundation's parser and written back without losing what other tools stored.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses JSON text. Throws ``JSONValueError`` with the parser's explanation when the text is not JSON.
    public init(parsing text: String) throws(JSONValueError) {
        do {
            let data = Data(text.utf8)
            // The first character says what the document is: decoding straight to that type skips wrong guesses.
            switch text.utf8.first(where: { !Self.isJSONWhitespace($0) }) {
            case UInt8(ascii: "{"): self = .object(try JSONDecoder().decode([String: JSONValue].self, from: data))
            case UInt8(ascii: "["): self = .array(try JSONDecoder().decode([JSONValue].self, from: data))
            default: self = try JSONDecoder().decode(JSONValue.self, from: data)
            }
        } catch let DecodingError.dataCorrupted(context) {
            throw JSONValueError(reason: Self.parserReason(context))
        } catch {
            throw JSONValueError(reason: "it is not valid JSON")
        }
    }

    /// The value as compact JSON with sorted keys, so that equal values always give the same text.
    public var jsonText: String {
        jsonText(prettyPrinted: false)
    }

    /// The value as JSON with sorted keys; indented over several lines when `prettyPrinted`.
    public func jsonText(prettyPrinted: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a JSONValue cannot fail: every case maps to a JSON value (non-finite doubles become null).
        let data = (try? encoder.encode(self)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// The members, when this is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The number as an integer, when this is an integer or an integral double.
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e18: return Int64(value)
        default: return nil
        }
    }

    /// A short name of the JSON type for messages: "string", "number", "object"...
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Space, tab, line feed and carriage return: the only white space JSON allows between tokens.
    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func parserReason(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError as NSError?,
           let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String {
            return "it is not valid JSON (\(detail))"
        }
        return "it is not valid JSON"
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Every wrong guess throws (and builds an error), so the likeliest types in a secret go first: strings,
        // then objects. The decoder never converts between types, so the order changes no result.
        if container.decodeNil() {
            self = .null
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let object = try? container.decode([String: JSONValue].self) {
            self = .object(object)
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let double = try? container.decode(Double.self) {
            self = .double(double)
        } else {
            self = .array(try container.decode([JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .double(let value) where value.isFinite: try container.encode(value)
        case .double: try container.encodeNil()
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// JSON text that could not be parsed.
public struct JSONValueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the text is not JSON; never contains the text itself.
    public var reason: String
    public var description: String { reason }
}

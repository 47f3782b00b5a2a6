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

    /// Parses JSON text. Throws ``JSONValueError`` when the text is not JSON.
    ///
    /// Foundation's `JSONSerialization` reads the text: for a secret's small object about twice as fast as
    /// `JSONDecoder`, which has to try each type in turn. Numbers read as they always have: an integral number within
    /// `Int64` is an integer (`1e3`, `2.0`), any other a double. A name that occurs twice keeps its last value, as
    /// Python's `json.loads` (the original handlers) reads it.
    public init(parsing text: String) throws(JSONValueError) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            // The parser's own explanation can quote the text (a number it cannot represent), and the text can be a
            // secret: the reason names no part of it.
            throw JSONValueError(reason: "it is not valid JSON")
        }
        self.init(foundationObject: object)
    }

    /// The value of an object `JSONSerialization` made: strings, `[String: Any]`, `[Any]`, `NSNull` and `NSNumber`.
    private init(foundationObject object: Any) {
        switch object {
        case let string as String:
            self = .string(string)
        case let members as [String: Any]:
            // A new dictionary of the members' size: `mapValues` would keep the parser's spare capacity (24 slots
            // for a secret's 6 members), a third more memory for every user a listing holds.
            var object = [String: JSONValue](minimumCapacity: members.count)
            for (name, member) in members { object[name] = JSONValue(foundationObject: member) }
            self = .object(object)
        case let elements as [Any]:
            self = .array(elements.map(JSONValue.init(foundationObject:)))
        case let number as NSNumber:
            self = Self(number: number)
        default:
            self = .null
        }
    }

    private static let booleanType = ObjectIdentifier(type(of: NSNumber(value: true)))

    private init(number: NSNumber) {
        if ObjectIdentifier(type(of: number)) == Self.booleanType {
            self = .bool(number.boolValue)
        } else if let decimal = number as? NSDecimalNumber {
            // Numbers at the edge of Int64 (its minimum) come as decimals: their text says whether they are integers.
            let text = decimal.stringValue
            self = Int64(text).map(JSONValue.integer) ?? Self(double: decimal.doubleValue)
        } else {
            switch UInt8(bitPattern: number.objCType.pointee) {
            case UInt8(ascii: "Q"), UInt8(ascii: "L"):
                let unsigned = number.uint64Value
                self = unsigned <= UInt64(Int64.max) ? .integer(Int64(unsigned)) : .double(number.doubleValue)
            case UInt8(ascii: "d"), UInt8(ascii: "f"):
                self = Self(double: number.doubleValue)
            default:
                self = .integer(number.int64Value)
            }
        }
    }

    /// A whole number that fits in `Int64` is an integer (as `JSONDecoder` read `1e3` and `2.0`), any other a double.
    private init(double: Double) {
        self = double.rounded() == double && abs(double) < 0x1p63 ? .integer(Int64(double)) : .double(double)
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
}

extension JSONValue: Encodable {
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

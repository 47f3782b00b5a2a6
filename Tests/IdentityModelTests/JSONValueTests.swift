import IdentityModel
import Testing

@Suite("JSON values")
struct JSONValueTests {
    @Test("every JSON type is read as itself, however deep", arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("0", .integer(0)),
        ("-42", .integer(-42)),
        ("9223372036854775807", .integer(Int64.max)),
        ("1.5", .double(1.5)),
        ("1e3", .integer(1000)),
        ("\"1\"", .string("1")),
        ("\"true\"", .string("true")),
        ("\"\"", .string("")),
        ("[]", .array([])),
        ("{}", .object([:])),
        (" \n\t[1] ", .array([.integer(1)])),
        ("\r\n {\"a\": 1}", .object(["a": .integer(1)])),
        ("[1, \"1\", true, null, 1.5, [], {}]", .array([.integer(1), .string("1"), .bool(true), .null, .double(1.5), .array([]), .object([:])])),
        ("{\"a\": {\"b\": [false, {\"c\": \"d\"}]}, \"n\": 7}", .object(["a": .object(["b": .array([.bool(false), .object(["c": .string("d")])])]), "n": .integer(7)])),
    ])
    func readsEveryType(text: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: text) == expected)
    }

    @Test("text that is not JSON is refused with the parser's reason")
    func refusesNonJSON() {
        #expect(throws: JSONValueError.self) { try JSONValue(parsing: "{\"a\": }") }
        #expect(throws: JSONValueError.self) { try JSONValue(parsing: "") }
        #expect(throws: JSONValueError.self) { try JSONValue(parsing: "[1,") }
        #expect(throws: JSONValueError.self) { try JSONValue(parsing: "{\"a\": 1} x") }
    }

    @Test("written back as compact JSON with sorted keys")
    func writesSortedCompactJSON() throws {
        let value = try JSONValue(parsing: "{\"b\": [1, 2.5, \"x/y\"], \"a\": null}")
        #expect(value.jsonText == "{\"a\":null,\"b\":[1,2.5,\"x/y\"]}")
    }
}

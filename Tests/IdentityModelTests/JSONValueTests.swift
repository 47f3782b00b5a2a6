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
        ("2.0", .integer(2)),
        ("-0.0", .integer(0)),
        ("-9223372036854775808", .integer(Int64.min)),
        ("9223372036854775808", .double(9223372036854775808)),
        ("12345678901234567890", .double(12345678901234567890)),
        ("-1.25e-3", .double(-0.00125)),
        ("\"\\ud83d\\ude00 \\u0000\"", .string("\u{1F600} \u{0}")),
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

    @Test("the reason never quotes the text, which can be a secret; nesting is bounded")
    func reasonsQuoteNothing() {
        for text in ["1E400", "{\"Password\": 98765E999}", "{\"Password\": \"s3cret\\ud800\"}", "{\"Password\": s3cret}",
                     String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)] {
            #expect {
                try JSONValue(parsing: text)
            } throws: { error in
                let reason = (error as? JSONValueError)?.reason ?? ""
                return reason == "it is not valid JSON" && !reason.contains("98765") && !reason.contains("s3cret")
            }
        }
    }

    @Test("a name given twice keeps its last value, as Python's json.loads reads it")
    func duplicateNamesKeepTheLastValue() throws {
        #expect(try JSONValue(parsing: "{\"Role\": \"a\", \"Role\": \"b\"}") == .object(["Role": .string("b")]))
    }

    @Test("written back as compact JSON with sorted keys")
    func writesSortedCompactJSON() throws {
        let value = try JSONValue(parsing: "{\"b\": [1, 2.5, \"x/y\"], \"a\": null}")
        #expect(value.jsonText == "{\"a\":null,\"b\":[1,2.5,\"x/y\"]}")
    }
}

import IdentityModel
import TerminalUI

/// One run of coloured text.
struct StyledRun: Sendable, Hashable {
    var text: String
    var role: StyleRole
}

/// Pretty-prints JSON as lines of runs in the JSON roles (keys, strings, numbers, literals, punctuation), keys sorted.
func colouredJSONLines(_ value: JSONValue) -> [[StyledRun]] {
    var lines: [[StyledRun]] = [[]]
    appendJSON(value, indent: 0, into: &lines)
    return lines
}

private func appendJSON(_ value: JSONValue, indent: Int, into lines: inout [[StyledRun]]) {
    func add(_ text: String, _ role: StyleRole) { lines[lines.count - 1].append(StyledRun(text: text, role: role)) }
    func newLine(_ level: Int) { lines.append([StyledRun(text: String(repeating: "  ", count: level), role: .normal)]) }
    switch value {
    case .null: add("null", .jsonLiteral)
    case .bool(let flag): add(flag ? "true" : "false", .jsonLiteral)
    case .integer(let number): add(String(number), .jsonNumber)
    case .double(let number): add(JSONValue.double(number).jsonText, .jsonNumber)
    case .string: add(value.jsonText, .jsonString)
    case .array(let items):
        guard !items.isEmpty else { add("[]", .jsonPunctuation); return }
        add("[", .jsonPunctuation)
        for (index, item) in items.enumerated() {
            newLine(indent + 1)
            appendJSON(item, indent: indent + 1, into: &lines)
            if index < items.count - 1 { add(",", .jsonPunctuation) }
        }
        newLine(indent)
        add("]", .jsonPunctuation)
    case .object(let members):
        guard !members.isEmpty else { add("{}", .jsonPunctuation); return }
        add("{", .jsonPunctuation)
        let keys = members.keys.sorted()
        for (index, key) in keys.enumerated() {
            newLine(indent + 1)
            add(JSONValue.string(key).jsonText, .jsonKey)
            add(": ", .jsonPunctuation)
            if let member = members[key] { appendJSON(member, indent: indent + 1, into: &lines) }
            if index < keys.count - 1 { add(",", .jsonPunctuation) }
        }
        newLine(indent)
        add("}", .jsonPunctuation)
    }
}

/// Draws runs on one row, clipped to `width`; returns the column after them.
@discardableResult
func putRuns(_ runs: [StyledRun], row: Int, column: Int, width: Int, into canvas: inout Canvas) -> Int {
    var next = column
    for run in runs where next < column + width {
        next = canvas.put(run.text, row: row, column: next, role: run.role, maxWidth: column + width - next)
    }
    return next
}

/// Lines of runs wrapped to `width` columns, so nothing is cut at the edge: a line breaks after its last space that
/// fits (or mid-word when a word alone is wider), and its continuation rows are indented by `indent` columns.
func wrappedRuns(_ lines: [[StyledRun]], width: Int, indent: Int = 2) -> [[StyledRun]] {
    guard width > indent else { return lines }
    var result: [[StyledRun]] = []
    for line in lines {
        var glyphs: [(character: Character, width: Int, role: StyleRole)] = []
        for run in line {
            TextWidth.forEachGlyph(in: run.text) { glyphs.append(($0.character, $0.width, run.role)) }
        }
        var start = 0
        var isFirst = true
        repeat {
            let available = isFirst ? width : width - indent
            var end = start
            var used = 0
            var lastBreak: Int?
            while end < glyphs.count, used + glyphs[end].width <= available {
                used += glyphs[end].width
                if glyphs[end].character == " " { lastBreak = end + 1 }
                end += 1
            }
            if end < glyphs.count, let lastBreak, lastBreak > start { end = lastBreak }
            end = max(end, min(glyphs.count, start + 1))
            var row: [StyledRun] = isFirst ? [] : [StyledRun(text: String(repeating: " ", count: indent), role: .normal)]
            for glyph in glyphs[start..<end] {
                if let last = row.last, last.role == glyph.role, !(row.count == 1 && !isFirst) {
                    row[row.count - 1].text.append(glyph.character)
                } else {
                    row.append(StyledRun(text: String(glyph.character), role: glyph.role))
                }
            }
            result.append(row)
            start = end
            isFirst = false
        } while start < glyphs.count
    }
    return result
}

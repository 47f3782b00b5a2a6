import Foundation

/// The raw public-key entries stored under one key (`PublicKey`/`PublicKeys`, per protocol or not), in their stored shape.
///
/// Entries are kept verbatim so that rewriting the list after an edit never drops or changes what was there.
struct PublicKeyEntries {
    enum Shape {
        /// One string, keys separated by commas (what the current AWS template reads).
        case commaSeparated
        /// A JSON array of strings.
        case array
    }

    /// The key name they are stored under, e.g. `PublicKey` or `SFTPPublicKeys`.
    var key: String
    var shape: Shape
    var entries: [JSONValue]

    /// Reads the entries at `key`; `nil` (with an issue) when the value is neither a string nor an array.
    init?(key: String, value: JSONValue, issues: inout [FieldError]) {
        self.key = key
        switch value {
        case .string(let text):
            shape = .commaSeparated
            entries = Self.splitKeys(text).map(JSONValue.string)
        case .array(let array):
            shape = .array
            entries = array
        default:
            issues.append(FieldError(field: key, rule: "must be a string (keys separated by commas) or an array of strings, not a JSON \(value.typeName)"))
            return nil
        }
    }

    /// An empty list to be stored under `key` as a comma-separated string.
    init(newAt key: String) {
        self.key = key
        shape = .commaSeparated
        entries = []
    }

    /// Each entry parsed; entries that are not keys are reported in `issues` and skipped.
    func parsedKeys(issues: inout [FieldError]) -> [(index: Int, key: SSHPublicKey)] {
        var keys: [(index: Int, key: SSHPublicKey)] = []
        keys.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            // Named only when there is something to report (this runs for every user listed).
            func field() -> String { "\(key)[\(index + 1)]" }
            guard case .string(let line) = entry else {
                issues.append(FieldError(field: field(), rule: "must be a string, not a JSON \(entry.typeName)"))
                continue
            }
            do {
                keys.append((index, try StoredKeyCache.shared.key(parsing: line)))
            } catch {
                issues.append(FieldError(field: field(), rule: error.reason))
            }
        }
        return keys
    }

    /// The value to store, or `nil` when there are no entries left (the key is then removed).
    var storedValue: JSONValue? {
        if entries.isEmpty { return nil }
        switch shape {
        case .array:
            return .array(entries)
        case .commaSeparated:
            return .string(entries.compactMap(\.stringValue).joined(separator: ","))
        }
    }

    /// The line to store for a new key: commas in its comment become spaces in the comma-separated shape,
    /// so readers that split on commas (the AWS template) still see one key.
    func storedLine(for newKey: SSHPublicKey) -> String {
        guard shape == .commaSeparated, let comment = newKey.comment, comment.contains(",") else { return newKey.openSSHLine }
        return newKey.lineWithoutComment + " " + comment.replacingOccurrences(of: ",", with: " ")
    }

    /// Splits on commas and line breaks; a piece that does not start with a key type continues the previous
    /// key's comment (a comment may contain a comma), so `ssh-rsa AAA... a, b` stays one key.
    static func splitKeys(_ text: String) -> [String] {
        var keys: [String] = []
        var lastSeparatorWasComma = false
        func take(_ piece: Substring) {
            let trimmed = piece.trimmingWhitespace
            if trimmed.isEmpty { return }
            // The first word, when a space or tab follows it, is a key type.
            let firstWord = trimmed.utf8.prefix { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
            let startsWithType = firstWord.count < trimmed.utf8.count && SSHPublicKey.acceptedAlgorithms.contains { $0.utf8.elementsEqual(firstWord) }
            if !startsWithType, lastSeparatorWasComma, let previous = keys.last, continuesComment(trimmed, of: previous) {
                keys[keys.count - 1] = previous + "," + piece.trimmingCharacters(in: .newlines)
            } else {
                keys.append(trimmed)
            }
        }
        // Sliced at separators rather than rebuilt, and walked scalar by scalar (a Character step costs a grapheme
        // break): this runs for every user listed. CR LF is two breaks around an empty piece, which take() skips.
        let scalars = text.unicodeScalars
        var pieceStart = scalars.startIndex
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            if scalar == "," || scalar.isLineBreak {
                take(text[pieceStart..<index])
                lastSeparatorWasComma = scalar == ","
                pieceStart = next
            }
            index = next
        }
        take(text[pieceStart...])
        return keys
    }

    /// A piece continues the previous key's comment only when that key already has a comment and the piece
    /// holds nothing that looks like key data (a long base64 word), so damaged keys are still reported.
    private static func continuesComment(_ piece: String, of previous: String) -> Bool {
        let previousFields = previous.split(whereSeparator: { $0 == " " || $0 == "\t" })
        let looksLikeKeyData = piece.split(whereSeparator: { $0 == " " || $0 == "\t" }).contains { $0.count >= 40 }
        return previousFields.count >= 3 && !looksLikeKeyData
    }
}

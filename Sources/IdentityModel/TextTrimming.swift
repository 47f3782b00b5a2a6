extension StringProtocol {
    /// The text without leading and trailing white space (spaces, tabs, line breaks and other Unicode white space).
    ///
    /// Pure Swift on purpose: Foundation's `trimmingCharacters(in:)` goes through NSString on Linux, and in the
    /// key-authentication path it cost more than decrypting the secret.
    public var trimmingWhitespace: String {
        trimming { $0.isWhitespace }
    }

    /// The text without leading and trailing white space other than line breaks: what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` removes, without its NSString bridge (listing 100,000 users spent
    /// 5% of its time there, trimming network lists).
    public var trimmingSpaces: String {
        trimming { $0.isWhitespace && !$0.isNewline }
    }

    /// Whether the text holds a line break (LF, VT, FF, CR, NEL, U+2028, U+2029), looked for scalar by scalar:
    /// a key parser's check on every login, where walking Characters costs a grapheme break per step.
    var containsLineBreak: Bool {
        unicodeScalars.contains(where: \.isLineBreak)
    }

    private func trimming(_ isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(self[first...last])
    }

    /// Whether the UTF-8 bytes of `text` occur in this string: a plain byte search, where Foundation's `contains`
    /// bridges through NSString on Linux and the generic search is slower still. Used by the key parser and by the
    /// console's filter, which runs it over every user name on each keystroke.
    public func includes(_ text: String) -> Bool {
        var haystack = String(self)
        var needle = text
        return haystack.withUTF8 { bytes in
            needle.withUTF8 { pattern in
                guard let first = pattern.first else { return true }
                guard pattern.count <= bytes.count else { return false }
                for start in 0...(bytes.count - pattern.count) where bytes[start] == first {
                    if bytes[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
                }
                return false
            }
        }
    }
}

extension Unicode.Scalar {
    /// LF, VT, FF, CR, NEL, U+2028 or U+2029: the scalars that make a Character a newline.
    var isLineBreak: Bool {
        switch value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }
}

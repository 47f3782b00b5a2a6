extension StringProtocol {
    /// The text without leading and trailing white space (spaces, tabs, line breaks and other Unicode white space).
    ///
    /// Pure Swift on purpose: Foundation's `trimmingCharacters(in:)` goes through NSString on Linux, and in the
    /// key-authentication path it cost more than decrypting the secret.
    var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
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

/// Recognises bracketed paste (`ESC [200~ text ESC [201~`) in the characters that follow an Escape,
/// so that pasted text (a key line, say) arrives as one `.paste` event instead of key commands.
enum BracketedPaste {
    static let startMarker = Array("[200~".unicodeScalars.map(\.value))
    static let endMarker = Array("\u{1B}[201~".unicodeScalars.map(\.value))
    /// Longer pastes are cut here (the rest is read and dropped, never taken as keys).
    static let maxScalars = 1 << 20

    /// Called after an Escape. Reads the start marker; if what follows is not one, gives back what
    /// it read (`unread`, in reading order) and returns nil. Otherwise returns the pasted text up to
    /// the end marker (or until `nextInPaste` times out), filtered by ``TextInputFilter/pasted(_:)``:
    /// line breaks as LF, no control, bidi or other format character (escape sequences inside the
    /// paste lose their ESC and control bytes and stay visible as plain text).
    ///
    /// - Parameters:
    ///   - nextImmediate: the next character if one is already waiting, else nil (no waiting).
    ///   - nextInPaste: the next character, waiting a little; nil when none came.
    static func read(
        nextImmediate: () -> UInt32?, nextInPaste: () -> UInt32?, unread: ([UInt32]) -> Void
    ) -> String? {
        var consumed: [UInt32] = []
        for expected in startMarker {
            guard let code = nextImmediate() else {
                unread(consumed)
                return nil
            }
            consumed.append(code)
            guard code == expected else {
                unread(consumed)
                return nil
            }
        }
        var pasted: [UInt32] = []
        var matched = 0
        func keep(_ code: UInt32) {
            if pasted.count < maxScalars { pasted.append(code) }
        }
        while let code = nextInPaste() {
            if code == endMarker[matched] {
                matched += 1
                if matched == endMarker.count { break }
                continue
            }
            for earlier in endMarker[0..<matched] { keep(earlier) }
            matched = code == endMarker[0] ? 1 : 0
            if matched == 0 { keep(code) }
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: pasted.compactMap(Unicode.Scalar.init))
        return TextInputFilter.pasted(String(text))
    }
}

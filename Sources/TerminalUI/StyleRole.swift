/// Semantic roles that themes colour; the console draws in roles, never in colours.
public enum StyleRole: String, Sendable, Hashable, CaseIterable {
    case normal, dim, header, headerAccent, statusBar, statusKey, listRow, listRowAlt, selection,
        selectionInactive, border, title, label, value, input, inputFocused, placeholder,
        error, warning, success, info, jsonKey, jsonString, jsonNumber, jsonLiteral, jsonPunctuation,
        dialog, dialogBorder, button, buttonFocused, badge, match
}

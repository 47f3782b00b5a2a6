import TerminalUI

/// Every key of the console, by screen.
let helpSections: [(title: String, keys: [(String, String)])] = [
    ("User list", [
        ("↑ ↓  j k", "move the selection"), ("PgUp PgDn  Space", "move a page"), ("Home End  g G", "first / last user"),
        ("/", "filter by name as you type (Enter keeps it, Esc clears it)"), ("Enter  →  l", "open the user's details"),
        ("e", "edit role, home, policy, networks, POSIX profile, status, comment"), ("p", "set, generate or clear the password"),
        ("K", "public keys: add (paste or file path), remove"), ("n  o", "onboard a new user (guided wizard)"),
        ("d  Delete", "delete the user (type the name to confirm; restorable)"), ("h", "history: versions, changed fields, roll back"),
        ("D", "show or hide deleted users"), ("R", "restore the selected deleted user"), ("t", "test a login against the identity provider"),
        ("a", "access: what the user can do in each directory, and why not (role policies from files or IAM)"),
        ("r  Ctrl-R", "reload from the store"), ("T", "next colour theme"), ("?  F1", "this help"), ("q  Ctrl-C", "quit (asks when an edit is unsaved)"),
    ]),
    ("Forms and dialogs", [
        ("Tab  ↓ / Shift-Tab  ↑", "next / previous field"), ("Enter", "save or run (on the last field) / next field"),
        ("Ctrl-S  F2", "save from any field"), ("Space", "toggle a choice field"), ("Esc", "cancel (asks when there are changes); also cancels a slow operation"),
        ("Ctrl-A Ctrl-E Ctrl-U Ctrl-K Ctrl-W", "start / end / clear before / clear after / delete word"),
        ("Ctrl-N  Ctrl-D", "add / remove a logical home row (editor)"),
    ]),
    ("Read-only mode (--read-only)", [("", "edit, password, delete, restore, new user and roll back are hidden and refused")]),
]

/// The help's lines: the colour theme in use (with how `auto` chose it), then every key.
func helpLines(_ state: ConsoleState) -> [(String, String, StyleRole)] {
    let theme = state.themeIndex == 0 ? state.context.themeExplanation ?? state.themeName : state.themeName
    var lines: [(String, String, StyleRole)] = [("Colour theme", "", .title), ("now", theme, .value), ("", "", .normal)]
    for section in helpSections {
        lines.append((section.title, "", .title))
        for (key, action) in section.keys { lines.append((key, action, .value)) }
        lines.append(("", "", .normal))
    }
    return lines
}

func helpLineCount() -> Int { helpSections.reduce(3) { $0 + $1.keys.count + 2 } }

func handleHelpKey(_ key: Key, scroll: Int, state: inout ConsoleState) -> [Effect] {
    switch key {
    case .up, .character("k"): state.replaceTop(.help(scroll: max(0, scroll - 1)))
    case .down, .character("j"): state.replaceTop(.help(scroll: min(helpLineCount(), scroll + 1)))
    case .pageDown, .character(" "): state.replaceTop(.help(scroll: min(helpLineCount(), scroll + 10)))
    case .pageUp: state.replaceTop(.help(scroll: max(0, scroll - 10)))
    default: state.popModal()
    }
    return []
}

func renderHelp(scroll: Int, state: ConsoleState, into canvas: inout Canvas) {
    let frame = renderScreenFrame(title: "Keys", state: state, into: &canvas)
    let lines = helpLines(state)
    let keyWidth = 34
    for (offset, line) in lines.dropFirst(scroll).prefix(frame.height).enumerated() {
        let row = frame.top + offset
        if line.2 == .title {
            canvas.put(line.0, row: row, column: frame.left, role: .title)
        } else {
            canvas.put(line.0, row: row, column: frame.left + 2, role: .statusKey, maxWidth: keyWidth)
            canvas.put(line.1, row: row, column: frame.left + 2 + keyWidth, role: .value, maxWidth: frame.width - keyWidth - 2)
        }
    }
    renderKeyBar([("↑↓", "scroll"), ("any key", "close")], state: state, into: &canvas)
}

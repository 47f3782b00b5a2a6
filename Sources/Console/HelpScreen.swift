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
        ("Ctrl-S  F2", "save from any field"), ("Space", "toggle a choice field"), ("Esc", "cancel (asks when there are changes); cancels a slow read, never a sent save"),
        ("Ctrl-A Ctrl-E Ctrl-U Ctrl-K Ctrl-W", "start / end / clear before / clear after / delete word"),
        ("Ctrl-N  Ctrl-D", "add / remove a logical home row (editor)"),
    ]),
    ("Test login (t)", [
        ("Enter  Ctrl-S", "ask, from any field (server id and source IP are checked first)"),
        ("Tab  ↓ / Shift-Tab  ↑", "next / previous field; the focus stops at the first and last"),
        ("PgUp PgDn", "scroll the answer (marked stale once a field changes)"),
    ]),
    ("Shortened values", [
        ("Enter", "list: the user's details, every value whole"), ("?", "header: this help shows the store's full path"),
        ("w", "conflict screen: values whole / shortened in the middle"),
    ]),
    ("Read-only mode (--read-only)", [("", "edit, password, delete, restore, new user and roll back are hidden and refused")]),
]

/// The columns of the help's key column; each action starts after it.
private let helpKeyWidth = 34

/// The columns left for an action: the screen frame's width (see `renderScreenFrame`), less the indent and the keys.
private func helpActionWidth(_ state: ConsoleState) -> Int {
    max(10, (state.size.columns - 4) - 2 - helpKeyWidth)
}

/// The help's lines: the colour theme in use (with how `auto` chose it), then every key. An action longer than its
/// column continues on the lines below, under itself, so nothing is cut at 80 columns.
func helpLines(_ state: ConsoleState) -> [(String, String, StyleRole)] {
    let actionWidth = helpActionWidth(state)
    func keyLines(_ key: String, _ action: String) -> [(String, String, StyleRole)] {
        wrapped(action, width: actionWidth).enumerated().map { index, part in (index == 0 ? key : "", part, .value) }
    }
    let theme = state.themeIndex == 0 ? state.context.themeExplanation ?? state.themeName : state.themeName
    var lines: [(String, String, StyleRole)] = [("Colour theme", "", .title)] + keyLines("now", theme) + [("", "", .normal)]
    // The header may shorten the store's path; here it is whole, wrapped under its title.
    lines.append(("Store", "", .title))
    lines += wrapped(state.context.storeName, width: max(10, state.size.columns - 8)).map { ("", $0, .dim) }
    lines.append(("", "", .normal))
    for section in helpSections {
        lines.append((section.title, "", .title))
        for (key, action) in section.keys { lines += keyLines(key, action) }
        lines.append(("", "", .normal))
    }
    return lines
}

func helpLineCount(_ state: ConsoleState) -> Int { helpLines(state).count }

func handleHelpKey(_ key: Key, scroll: Int, state: inout ConsoleState) -> [Effect] {
    switch key {
    case .up, .character("k"): state.replaceTop(.help(scroll: max(0, scroll - 1)))
    case .down, .character("j"): state.replaceTop(.help(scroll: min(helpLineCount(state), scroll + 1)))
    case .pageDown, .character(" "): state.replaceTop(.help(scroll: min(helpLineCount(state), scroll + 10)))
    case .pageUp: state.replaceTop(.help(scroll: max(0, scroll - 10)))
    default: state.popModal()
    }
    return []
}

func renderHelp(scroll: Int, state: ConsoleState, into canvas: inout Canvas) {
    let frame = renderScreenFrame(title: "Keys", state: state, into: &canvas)
    let lines = helpLines(state)
    for (offset, line) in lines.dropFirst(scroll).prefix(frame.height).enumerated() {
        let row = frame.top + offset
        if line.2 == .title {
            canvas.put(line.0, row: row, column: frame.left, role: .title)
        } else if line.2 == .dim {  // a line of text (the store's path), not a key and its action
            canvas.put(line.1, row: row, column: frame.left + 2, role: .value, maxWidth: frame.width - 2)
        } else {
            canvas.put(line.0, row: row, column: frame.left + 2, role: .statusKey, maxWidth: helpKeyWidth)
            canvas.put(line.1, row: row, column: frame.left + 2 + helpKeyWidth, role: .value, maxWidth: helpActionWidth(state))
        }
    }
    renderKeyBar([("↑↓", "scroll"), ("any key", "close")], state: state, into: &canvas)
}

/// The help screen, scrolled by `scroll` lines.
struct HelpScreen: ConsoleScreen {
    var scroll: Int

    func handleKey(_ key: Key, state: inout ConsoleState) -> [Effect] { handleHelpKey(key, scroll: scroll, state: &state) }
    mutating func paste(_ text: String) {}
    func render(state: ConsoleState, into canvas: inout Canvas) { renderHelp(scroll: scroll, state: state, into: &canvas) }
    var unsavedForm: UnsavedForm? { nil }
    var modal: Modal { .help(scroll: scroll) }
}

import Foundation
import IdentityModel
import SecretStore
import TerminalUI
import UserManagement

/// Someone saved the user while it was being edited: both versions side by side, field by field, and a choice.
///
/// Keep mine writes my whole version over theirs; take theirs drops my edit; merge re-applies only the fields
/// I changed onto theirs. Esc goes back to the form (now based on their version). Nothing is lost silently.
struct ConflictState: Sendable, Hashable {
    var editor: EditorState
    /// The editor screen this conflict came from: it closes with the conflict, or takes the edit back.
    var editorScreen: ScreenID?
    var mine: UserSecret
    var theirs: SecretValue
    var theirsSecret: UserSecret
    /// Whether values are wrapped whole (`w`) instead of shortened in the middle to one line.
    var showsFullValues = false

    /// Keys I changed, relative to the version I started from.
    var myChanges: [String] { mine.changedKeys(comparedTo: editor.baseUser.secret) }
    /// Keys they changed, relative to the same version.
    var theirChanges: [String] { theirsSecret.changedKeys(comparedTo: editor.baseUser.secret) }

    /// Their version with my changed fields applied on top.
    var merged: UserSecret {
        var result = theirsSecret
        for key in myChanges { result[key] = mine[key] }
        return result
    }
}

/// The save of `editor` (open as `screen`) found `theirs` current: the conflict screen shows both versions over it.
func openConflict(theirs: SecretValue, editor: EditorState, screen: ScreenID?, state: inout ConsoleState) {
    var editor = editor
    guard case .success(let mine) = editor.editedUser().map(\.user) else {
        state.show("Someone else changed \(editor.username) meanwhile; reloaded their version.", .error)
        return
    }
    guard let theirsSecret = try? UserSecret(secretString: theirs.string) else {
        state.show("Someone else saved a version that is not a JSON object; your edit is kept. Press Ctrl-S to overwrite it.", .error)
        editor.base = theirs
        state.replaceScreen(screen, with: .editor(editor))
        return
    }
    state.push(.conflict(ConflictState(editor: editor, editorScreen: screen, mine: mine.secret, theirs: theirs, theirsSecret: theirsSecret)))
    state.show("Conflict: \(editor.username) was changed by someone else while you edited", .warning)
}

func handleConflictKey(_ key: Key, conflict: ConflictState, state: inout ConsoleState) -> [Effect] {
    if state.operations.values.contains(where: { $0.purpose == .resolveConflict }) { return [] }
    switch key {
    case .character("m"):
        return resolve(with: conflict.mine, action: "console.edit.keep-mine", conflict: conflict, state: &state)
    case .character("a"):
        return resolve(with: conflict.merged, action: "console.edit.merge", conflict: conflict, state: &state)
    case .character("w"):
        var toggled = conflict
        toggled.showsFullValues.toggle()
        state.replaceTop(.conflict(toggled))
    case .character("t"):
        state.popModal()
        state.closeScreen(conflict.editorScreen)
        state.show("Kept their version; your edit was dropped", .info)
    case .escape, .character("e"):
        var editor = conflict.editor
        editor.base = conflict.theirs
        editor.baseUser = SFTPUser(secret: conflict.theirsSecret)
        state.popModal()
        state.replaceScreen(conflict.editorScreen, with: .editor(editor))
        state.show("Back to your edit, now based on their version: saving applies your form onto it", .info)
    default:
        break
    }
    return []
}

private func resolve(with secret: UserSecret, action: String, conflict: ConflictState, state: inout ConsoleState) -> [Effect] {
    let changed = secret.changedKeys(comparedTo: conflict.theirsSecret)
    guard !changed.isEmpty else {
        state.popModal()
        state.closeScreen(conflict.editorScreen)
        state.show("Nothing to write: their version already has your changes", .info)
        return []
    }
    let username = conflict.editor.username
    let id = state.startOperation(.resolveConflict, label: "Saving \(username)", subject: username)
    return [.updateUser(id, username: username, base: conflict.theirs, edits: [.copyValues(keys: changed, from: secret)], action: action)]
}

func renderConflict(_ conflict: ConflictState, state: ConsoleState, into canvas: inout Canvas) {
    let frame = renderScreenFrame(title: "Conflict: \(conflict.editor.username) changed meanwhile", state: state, into: &canvas)
    let intro = "Someone saved \(conflict.editor.username) (version \(conflict.theirs.versionID.prefix(8)), \(formatDate(conflict.theirs.version.createdAt))) while you edited it."
    let introLines = wrapped(intro, width: frame.width).prefix(2)
    for (offset, line) in introLines.enumerated() {
        canvas.put(line, row: frame.top + offset, column: frame.left, role: .warning, maxWidth: frame.width)
    }
    let keyWidth = 22
    let valueWidth = (frame.width - keyWidth - 3) / 3
    let header = frame.top + introLines.count + 1
    for (index, title) in ["FIELD", "BEFORE", "MINE", "THEIRS"].enumerated() {
        let column = index == 0 ? frame.left : frame.left + keyWidth + 1 + (index - 1) * (valueWidth + 1)
        canvas.put(title, row: header, column: column, role: .label)
    }
    let keys = Array(Set(conflict.myChanges).union(conflict.theirChanges)).sorted()
    let mine = Set(conflict.myChanges)
    let theirs = Set(conflict.theirChanges)
    let choicesRow = frame.top + frame.height - 3
    var row = header + 1
    var shortened = false
    for key in keys where row < choicesRow - 1 {
        let clash = mine.contains(key) && theirs.contains(key) && conflict.mine[key] != conflict.theirsSecret[key]
        let keyLines = conflict.showsFullValues ? wrapped(key, width: keyWidth) : [TextWidth.truncateMiddle(key, toColumns: keyWidth)]
        shortened = shortened || displayWidth(key) > keyWidth
        for (offset, line) in keyLines.enumerated() where row + offset < choicesRow - 1 {
            canvas.put(line, row: row + offset, column: frame.left, role: clash ? .error : .value, maxWidth: keyWidth)
        }
        let versions = [conflict.editor.baseUser.secret, conflict.mine, conflict.theirsSecret]
        var rowsUsed = keyLines.count
        for (index, version) in versions.enumerated() {
            let changedHere = (index == 1 && mine.contains(key)) || (index == 2 && theirs.contains(key))
            let value = SecretRedaction.displayValue(of: key, in: version)
            // Shortened in the middle: the ends (a home's user folder, a role's name) are what tell versions apart.
            let lines = conflict.showsFullValues ? wrapped(value, width: valueWidth) : [TextWidth.truncateMiddle(value, toColumns: valueWidth)]
            shortened = shortened || displayWidth(value) > valueWidth
            for (offset, line) in lines.enumerated() where row + offset < choicesRow - 1 {
                canvas.put(line, row: row + offset, column: frame.left + keyWidth + 1 + index * (valueWidth + 1), role: changedHere ? .match : .dim, maxWidth: valueWidth)
            }
            rowsUsed = max(rowsUsed, lines.count)
        }
        row += rowsUsed
    }
    let choices = [("m", "keep mine"), ("t", "take theirs"), ("a", "merge: my changed fields onto theirs"), ("Esc", "back to my edit")]
    var column = frame.left
    for (key, action) in choices {
        column = canvas.put(" \(key) ", row: choicesRow, column: column, role: .buttonFocused)
        column = canvas.put(" \(action)   ", row: choicesRow, column: column, role: .normal)
    }
    let valuesHint = conflict.showsFullValues ? "  w: one line per field." : shortened ? "  w: full values." : ""
    canvas.put("Fields in red were changed on both sides." + valuesHint, row: choicesRow + 1, column: frame.left, role: .dim, maxWidth: frame.width)
    renderStatusLine(state, into: &canvas)
    renderKeyBar(choices, state: state, into: &canvas)
}

extension ConflictState: ConsoleScreen {
    func handleKey(_ key: Key, state: inout ConsoleState) -> [Effect] { handleConflictKey(key, conflict: self, state: &state) }
    /// The resolution's answer: saved closes this screen and its editor; changed again shows their newest version.
    func handle(_ result: ConsoleEvent, of operation: Operation, state: inout ConsoleState) -> [Effect] {
        switch result {
        case .written:
            editSaved(closing: [editorScreen, operation.origin], username: editor.username, state: &state)
        case .writeConflict(_, let theirs?):
            guard let theirsSecret = try? UserSecret(secretString: theirs.string) else {
                state.show("Someone else saved a version that is not a JSON object; Esc goes back to your edit.", .error)
                return []
            }
            var conflict = self
            conflict.theirs = theirs
            conflict.theirsSecret = theirsSecret
            state.replaceScreen(operation.origin, with: .conflict(conflict))
            state.show("Conflict: \(editor.username) was changed again by someone else; their newest version is shown", .warning)
        case .writeConflict(_, nil):
            state.show("Someone else changed this user meanwhile, and their version could not be read. Press m or a to retry.", .error)
        case .failed(_, let message):
            state.showFailure(of: operation, message)
        default:
            break
        }
        return []
    }
    mutating func paste(_ text: String) {}
    func render(state: ConsoleState, into canvas: inout Canvas) { renderConflict(self, state: state, into: &canvas) }
    var unsavedForm: UnsavedForm? { UnsavedForm(user: editor.username, description: "conflict resolution of \(editor.username)") }
    var modal: Modal { .conflict(self) }
}

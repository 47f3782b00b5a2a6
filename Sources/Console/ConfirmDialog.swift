import TerminalUI

/// A yes/no question, or for dangerous actions one that needs the user name typed.
struct ConfirmState: Sendable, Hashable {
    /// What happens on yes.
    enum Action: Sendable, Hashable {
        case quit
        case deleteUser(username: String)
        case removeKey(fingerprint: String)
        case clearPassword
        case discardEdit
        case rollback(versionID: String)
    }

    var action: Action
    var title: String
    var question: String
    /// When set, the user must type exactly this (the user name) to confirm.
    var typedConfirmation: String?
    var typed = TextField()
}

func handleConfirmKey(_ key: Key, confirm: ConfirmState, state: inout ConsoleState) -> [Effect] {
    var confirm = confirm
    if let expected = confirm.typedConfirmation {
        switch key {
        case .escape:
            state.popModal()
        case .enter:
            guard confirm.typed.text == expected else {
                state.show("Type \(expected) exactly to confirm, or Esc to cancel", .warning)
                return []
            }
            state.popModal()
            return confirmed(confirm.action, state: &state)
        default:
            _ = confirm.typed.handle(key)
            state.replaceTop(.confirm(confirm))
        }
        return []
    }
    switch key {
    case .character("y"), .character("Y"):
        state.popModal()
        return confirmed(confirm.action, state: &state)
    case .character("n"), .character("N"), .escape:
        state.popModal()
    default:
        break
    }
    return []
}

private func confirmed(_ action: ConfirmState.Action, state: inout ConsoleState) -> [Effect] {
    switch action {
    case .quit:
        state.shouldQuit = true
        return []
    case .deleteUser(let username):
        let id = state.startOperation(.delete, label: "Deleting \(username)", subject: username)
        return [.deleteUser(id, username: username)]
    case .removeKey(let fingerprint):
        return removeKey(fingerprint: fingerprint, state: &state)
    case .clearPassword:
        return clearPassword(state: &state)
    case .discardEdit:
        state.popModal()
        return []
    case .rollback(let versionID):
        return rollBack(to: versionID, state: &state)
    }
}

func renderConfirm(_ confirm: ConfirmState, state: ConsoleState, into canvas: inout Canvas) {
    let lines = wrapped(confirm.question, width: 56)
    let height = lines.count + (confirm.typedConfirmation == nil ? 4 : 6)
    let frame = renderDialogFrame(title: confirm.title, width: 62, height: height, size: state.size, into: &canvas)
    for (offset, line) in lines.enumerated() {
        canvas.put(line, row: frame.top + offset, column: frame.left, role: .dialog, maxWidth: frame.width)
    }
    let row = frame.top + lines.count + 1
    if let expected = confirm.typedConfirmation {
        canvas.put("Type \(expected) to confirm:", row: row, column: frame.left, role: .warning, maxWidth: frame.width)
        confirm.typed.render(into: &canvas, row: row + 1, column: frame.left, width: frame.width, focused: true)
        canvas.put("Enter confirms · Esc cancels", row: row + 2, column: frame.left, role: .dim)
    } else {
        canvas.put(" y  yes ", row: row, column: frame.left, role: .buttonFocused)
        canvas.put(" n  no ", row: row, column: frame.left + 10, role: .button)
    }
}

extension ConfirmState: ConsoleScreen {
    func handleKey(_ key: Key, state: inout ConsoleState) -> [Effect] { handleConfirmKey(key, confirm: self, state: &state) }
    /// Only a question that wants the user name typed takes pasted text.
    mutating func paste(_ text: String) {
        if typedConfirmation != nil { typed.insert(text) }
    }
    func render(state: ConsoleState, into canvas: inout Canvas) { renderConfirm(self, state: state, into: &canvas) }
    var unsavedForm: UnsavedForm? { nil }
    var modal: Modal { .confirm(self) }
}

/// A screen or dialog drawn over the user list; the top one of the stack gets the keys.
enum Modal: Sendable {
    case help(scroll: Int)
    case editor(EditorState)
    case password(PasswordDialogState)
    case keys(KeysEditorState)
    case testLogin(TestLoginState)
    case wizard(WizardState)
    case history(HistoryState)
    case confirm(ConfirmState)
    case conflict(ConflictState)

    /// True when closing this would lose typed changes.
    var hasUnsavedChanges: Bool {
        switch self {
        case .editor(let editor): editor.isDirty
        case .wizard(let wizard): wizard.hasProgress
        case .conflict: true
        default: false
        }
    }
}

extension ConsoleState {
    mutating func push(_ modal: Modal) {
        modals.append(modal)
    }

    mutating func replaceTop(_ modal: Modal) {
        if modals.isEmpty { modals.append(modal) } else { modals[modals.count - 1] = modal }
    }

    mutating func popModal() {
        if !modals.isEmpty { modals.removeLast() }
    }
}

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

/// Identifies one open screen for as long as it stays open; a screen opened later never reuses it.
struct ScreenID: Sendable, Hashable {
    let rawValue: Int
}

/// One entry of the screen stack: a screen's state with its identity.
struct OpenScreen: Sendable {
    let id: ScreenID
    var modal: Modal
}


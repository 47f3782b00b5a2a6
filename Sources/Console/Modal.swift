/// The registry of screens drawn over the user list: one case per ``ConsoleScreen``; the top one of the stack gets
/// the keys.
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

    /// The screen itself, through which keys, pastes and drawing reach it.
    var screen: any ConsoleScreen {
        switch self {
        case .help(let scroll): HelpScreen(scroll: scroll)
        case .editor(let editor): editor
        case .password(let dialog): dialog
        case .keys(let keys): keys
        case .testLogin(let panel): panel
        case .wizard(let wizard): wizard
        case .history(let history): history
        case .confirm(let confirm): confirm
        case .conflict(let conflict): conflict
        }
    }

    /// True when closing this would lose typed changes.
    var hasUnsavedChanges: Bool { screen.unsavedForm != nil }

    /// Gives pasted text to the screen.
    mutating func paste(_ text: String) {
        var screen = self.screen
        screen.paste(text)
        self = screen.modal
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


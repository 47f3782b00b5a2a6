import Foundation
import IdentityModel
import SecretStore
import TerminalUI
import UserManagement

/// Set (typed twice, masked), generate (shown once) or clear a user's password. Hashing runs off the UI loop.
struct PasswordDialogState: Sendable, Hashable {
    enum Step: Sendable, Hashable {
        /// Choose: s set, g generate, c clear.
        case choose
        /// Typing the new password twice.
        case typing
        /// Hashing and saving.
        case saving
        /// The generated password, shown this once.
        case showGenerated(SecretText)
        case done
    }

    var username: String
    var base: SecretValue
    var user: SFTPUser
    var step: Step = .choose
    var form = Form([
        .text("password", "New password", masked: true),
        .text("repeat", "Repeat it", masked: true),
    ])
    /// The generated password waiting for its save to finish; dropped once the dialog closes.
    var pendingGenerated: SecretText?

    mutating func paste(_ text: String) {
        if step == .typing { form.paste(text) }
    }
}

func openPasswordDialog(for record: UserRecord, state: inout ConsoleState) {
    guard let value = record.value, let secret = record.secret else {
        state.show("\(record.username) cannot be changed here: \(record.problem ?? "not loaded yet")", .warning)
        return
    }
    state.push(.password(PasswordDialogState(username: record.username, base: value, user: SFTPUser(secret: secret))))
}

func handlePasswordKey(_ key: Key, dialog: PasswordDialogState, state: inout ConsoleState) -> [Effect] {
    var dialog = dialog
    switch dialog.step {
    case .choose:
        switch key {
        case .character("s"):
            dialog.step = .typing
        case .character("g"):
            dialog.step = .saving
            state.replaceTop(.password(dialog))
            let id = state.startOperation(.generatePassword, label: "Generating and hashing a password")
            return [.generatePassword(id, cost: state.context.argon2)]
        case .character("c"):
            guard SecretKey.passwordVariants.contains(where: { dialog.user.secret[$0] != nil }) else {
                state.show("\(dialog.username) has no password to clear", .info)
                return []
            }
            state.push(.confirm(ConfirmState(action: .clearPassword, title: "Clear password", question: "Remove \(dialog.username)'s password? They can then log in only with a public key.")))
            return []
        case .escape, .character("q"):
            state.popModal()
            return []
        default:
            return []
        }
    case .typing:
        switch dialog.form.handle(key) {
        case .cancel:
            state.popModal()
            return []
        case .submit:
            dialog.form.clearErrors()
            let password = dialog.form["password"]
            if let error = passwordError(password) {
                dialog.form.setError("password", error)
            } else if password != dialog.form["repeat"] {
                dialog.form.setError("repeat", "the two passwords differ; type the same one twice")
                dialog.form.set("repeat", "")
                dialog.form.focus(on: "repeat")
            } else {
                dialog.step = .saving
                dialog.form.set("password", "")
                dialog.form.set("repeat", "")
                state.replaceTop(.password(dialog))
                let id = state.startOperation(.hashPassword, label: "Hashing the password (argon2id)")
                return [.hashPassword(id, SecretText(password), cost: state.context.argon2)]
            }
        default:
            break
        }
    case .saving:
        return []
    case .showGenerated, .done:
        if key == .enter || key == .escape || key == .character("q") {
            state.popModal()
        }
        return []
    }
    state.replaceTop(.password(dialog))
    return []
}

extension PasswordDialogState {
    /// A hash is ready: store it in one new version, replacing every password key the user had (plain, hashed, per protocol).
    func save(hash: String, generated: SecretText?, continuing operation: Operation, state: inout ConsoleState) -> [Effect] {
        var dialog = self
        dialog.pendingGenerated = generated
        state.replaceScreen(operation.origin, with: .password(dialog))
        let id = state.startOperation(.savePassword, label: "Saving the password of \(username)", subject: username, continuing: operation)
        return [.updateUser(id, username: username, base: base, edits: [.setPassword(hash: hash)], action: "console.password")]
    }

    /// The save landed: a generated password is shown once, else the dialog closes.
    func saved(_ operation: Operation, state: inout ConsoleState) {
        guard let generated = pendingGenerated else {
            state.closeScreen(operation.origin)
            state.show("Password of \(username) saved as an argon2id hash", .success)
            return
        }
        var dialog = self
        dialog.step = .showGenerated(generated)
        dialog.pendingGenerated = nil
        state.replaceScreen(operation.origin, with: .password(dialog))
        state.show("Password saved as an argon2id hash", .success)
    }

    /// The work did not finish, or another version was saved meanwhile (then `rebased` on it): back to the choice.
    func backToChoice(rebasedOn stored: (value: SecretValue, user: SFTPUser)? = nil, _ operation: Operation, state: inout ConsoleState) {
        var dialog = self
        if let stored {
            dialog.base = stored.value
            dialog.user = stored.user
        }
        dialog.step = .choose
        dialog.pendingGenerated = nil
        state.replaceScreen(operation.origin, with: .password(dialog))
    }
}

func clearPassword(state: inout ConsoleState) -> [Effect] {
    guard case .password(var dialog)? = state.topModal else { return [] }
    dialog.step = .saving
    state.replaceTop(.password(dialog))
    let id = state.startOperation(.savePassword, label: "Clearing the password of \(dialog.username)", subject: dialog.username)
    return [.updateUser(id, username: dialog.username, base: dialog.base, edits: [.clearPassword], action: "console.password")]
}

/// Why a typed password cannot be used, by the rule `--password-stdin` follows too; nil when it can.
func passwordError(_ password: String) -> String? {
    do {
        try EditInput.password(password)
        return nil
    } catch {
        return error.description
    }
}

func renderPasswordDialog(_ dialog: PasswordDialogState, state: ConsoleState, into canvas: inout Canvas) {
    let frame = renderDialogFrame(title: "Password of \(dialog.username)", width: 72, height: 14, size: state.size, into: &canvas)
    let current = dialog.user.storedPassword().map { "Current: \($0.kindLabel)" } ?? "Current: no password (key authentication only)"
    canvas.put(current, row: frame.top, column: frame.left, role: .dim, maxWidth: frame.width)
    let row = frame.top + 2
    switch dialog.step {
    case .choose:
        let options = [("s", "set a password (typed twice, hidden)"), ("g", "generate a strong password (shown once)"), ("c", "clear the password"), ("Esc", "back")]
        for (offset, option) in options.enumerated() {
            let next = canvas.put(" \(option.0) ", row: row + offset, column: frame.left, role: .buttonFocused)
            canvas.put(" " + option.1, row: row + offset, column: next, role: .dialog, maxWidth: frame.width - 6)
        }
    case .typing:
        dialog.form.render(into: &canvas, top: row, left: frame.left, width: frame.width, height: 5)
        canvas.put("Enter on the second field saves · Esc cancels", row: row + 6, column: frame.left, role: .dim, maxWidth: frame.width)
    case .saving:
        canvas.put("\(spinner(state)) Hashing with argon2id and saving…", row: row, column: frame.left, role: .info, maxWidth: frame.width)
    case .showGenerated(let password):
        canvas.put("New password (shown only now, never again):", row: row, column: frame.left, role: .dialog)
        canvas.put("  \(password.value)  ", row: row + 2, column: frame.left + 2, role: .badge, maxWidth: frame.width - 2)
        let note = wrapped("Pass it on safely: by phone, or a password manager share; not in the same e-mail as the user name. It is stored only as an argon2id hash.", width: frame.width)
        for (offset, line) in note.enumerated() {
            canvas.put(line, row: row + 4 + offset, column: frame.left, role: .warning, maxWidth: frame.width)
        }
        canvas.put("Enter closes", row: frame.top + frame.height - 1, column: frame.left, role: .dim)
    case .done:
        break
    }
}

extension PasswordDialogState: ConsoleScreen {
    func handleKey(_ key: Key, state: inout ConsoleState) -> [Effect] { handlePasswordKey(key, dialog: self, state: &state) }
    func handle(_ result: ConsoleEvent, of operation: Operation, state: inout ConsoleState) -> [Effect] {
        switch result {
        case .passwordHashed(_, let hash):
            return save(hash: hash, generated: nil, continuing: operation, state: &state)
        case .passwordGenerated(_, let password, let hash):
            return save(hash: hash, generated: password, continuing: operation, state: &state)
        case .written:
            saved(operation, state: &state)
        case .writeConflict:
            state.showChangedMeanwhile()
            backToChoice(rebasedOn: state.storedVersion(of: username), operation, state: &state)
        case .failed(_, let message):
            backToChoice(operation, state: &state)
            state.showFailure(of: operation, message)
        case .cancelled:
            backToChoice(operation, state: &state)
        default:
            break
        }
        return []
    }
    func render(state: ConsoleState, into canvas: inout Canvas) { renderPasswordDialog(self, state: state, into: &canvas) }
    var unsavedForm: UnsavedForm? { nil }
    var modal: Modal { .password(self) }
}

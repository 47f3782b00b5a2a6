import Foundation
import IdentityModel
import SecretStore
import TerminalUI
import UserManagement

/// A user's public keys: list with fingerprints, add by pasting a key line or giving a file path, remove with confirmation.
///
/// Each add or remove writes one new version at once.
struct KeysEditorState: Sendable, Hashable {
    var username: String
    var base: SecretValue
    var user: SFTPUser
    var selection = 0
    /// True while the add field has the focus.
    var isAdding = false
    var input = TextField()
    var error: String?

    var keys: [UserPublicKey] { user.publicKeys() }
}

func openKeysEditor(for record: UserRecord, state: inout ConsoleState) {
    guard let value = record.value, let secret = record.secret else {
        state.show("\(record.username) cannot be changed here: \(record.problem ?? "not loaded yet")", .warning)
        return
    }
    state.push(.keys(KeysEditorState(username: record.username, base: value, user: SFTPUser(secret: secret))))
}

func handleKeysEditorKey(_ key: Key, editor: KeysEditorState, state: inout ConsoleState) -> [Effect] {
    var editor = editor
    if state.operations.values.contains(where: { $0.purpose == .saveKeys || $0.purpose == .readKeyFile }) { return [] }
    if editor.isAdding {
        switch key {
        case .escape:
            editor.isAdding = false
            editor.input.text = ""
            editor.error = nil
        case .enter:
            let text = editor.input.text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return [] }
            if looksLikePath(text) {
                state.replaceTop(.keys(editor))
                let id = state.startOperation(.readKeyFile, label: "Reading \(text)")
                return [.readKeyFile(id, path: text)]
            }
            state.replaceTop(.keys(editor))
            return addKeys(from: text, continuing: nil, state: &state)
        default:
            if editor.input.handle(key) { editor.error = nil }
        }
        state.replaceTop(.keys(editor))
        return []
    }
    switch key {
    case .up, .character("k"): editor.selection = max(0, editor.selection - 1)
    case .down, .character("j"): editor.selection = min(max(0, editor.keys.count - 1), editor.selection + 1)
    case .character("a"), .insert:
        guard !state.refuseWriteIfReadOnly() else { return [] }
        editor.isAdding = true
        editor.error = nil
    case .character("d"), .delete:
        guard !state.refuseWriteIfReadOnly() else { return [] }
        let keys = editor.keys
        guard keys.indices.contains(editor.selection) else { return [] }
        let key = keys[editor.selection].key
        state.push(.confirm(ConfirmState(action: .removeKey(fingerprint: key.fingerprint), title: "Remove key", question: "Remove the \(key.keyTypeLabel) key \(key.fingerprint)\(key.comment.map { " (\($0))" } ?? "") from \(editor.username)?")))
        return []
    case .escape, .character("q"):
        state.popModal()
        return []
    default:
        break
    }
    state.replaceTop(.keys(editor))
    return []
}

/// True when the text is a file path rather than a key line: `~/…`, `/…`, `./…` or ending in `.pub`.
func looksLikePath(_ text: String) -> Bool {
    !text.contains(" ") && (text.hasPrefix("~") || text.hasPrefix("/") || text.hasPrefix("./") || text.hasPrefix("../") || text.hasSuffix(".pub"))
}


/// A key file could not be read: the screen that asked shows why.
func keyTextFailed(_ message: String, operation: Operation, state: inout ConsoleState) {
    switch state.screen(operation.origin) {
    case .keys(var editor)?:
        editor.error = message
        state.replaceScreen(operation.origin, with: .keys(editor))
    case .wizard(var wizard)?:
        wizard.keyError = message
        state.replaceScreen(operation.origin, with: .wizard(wizard))
    default:
        state.show("\(operation.label) failed: \(message)", .error)
    }
}

/// Key lines arrived, pasted on the screen on top or read from a file by `previous`: the keys editor that asked
/// adds each one and writes once.
func addKeys(from text: String, continuing previous: Operation?, state: inout ConsoleState) -> [Effect] {
    let screen = state.screenAsking(continuing: previous)
    if case .wizard? = state.screen(screen) {
        wizardKeysArrived(text, screen: screen, state: &state)
        return []
    }
    guard case .keys(var editor)? = state.screen(screen) else { return [] }
    let edits: [UserEdit]
    do {
        edits = [.addKeys(try EditInput.publicKeys(text))]
        _ = try edits.applied(to: editor.user)
    } catch {
        editor.error = (error as? UserEditError)?.description ?? "\(error)"
        state.replaceScreen(screen, with: .keys(editor))
        return []
    }
    editor.isAdding = false
    editor.input.text = ""
    editor.error = nil
    state.replaceScreen(screen, with: .keys(editor))
    let id = state.startOperation(.saveKeys, label: "Adding keys to \(editor.username)", subject: editor.username, continuing: previous)
    return [.updateUser(id, username: editor.username, base: editor.base, edits: edits, action: "console.keys.add")]
}

func removeKey(fingerprint: String, state: inout ConsoleState) -> [Effect] {
    guard case .keys(let editor)? = state.topModal else { return [] }
    let id = state.startOperation(.saveKeys, label: "Removing a key from \(editor.username)", subject: editor.username)
    return [.updateUser(id, username: editor.username, base: editor.base, edits: [.removeKey(fingerprint: fingerprint)], action: "console.keys.remove")]
}

/// A key change landed: its keys editor, when still open, shows the new version.
func keysSaved(value: SecretValue, operation: Operation, state: inout ConsoleState) {
    guard case .keys(var editor)? = state.screen(operation.origin), let secret = try? UserSecret(secretString: value.string) else {
        state.show("Keys of \(operation.subject ?? "the user") saved", .success)
        return
    }
    editor.base = value
    editor.user = SFTPUser(secret: secret)
    editor.selection = min(editor.selection, max(0, editor.keys.count - 1))
    state.replaceScreen(operation.origin, with: .keys(editor))
    state.show("Keys of \(editor.username) saved", .success)
}

func renderKeysEditor(_ editor: KeysEditorState, state: ConsoleState, into canvas: inout Canvas) {
    let frame = renderScreenFrame(title: "Public keys of \(editor.username)", state: state, into: &canvas)
    let keys = editor.keys
    var row = frame.top
    if keys.isEmpty {
        canvas.put("No public keys: this user can only log in with a password.", row: row, column: frame.left, role: .dim, maxWidth: frame.width)
        row += 1
    }
    for (index, userKey) in keys.enumerated() where row < frame.top + frame.height - 5 {
        let selected = index == editor.selection && !editor.isAdding
        let role: StyleRole = selected ? .selection : .listRow
        canvas.fill(row: row, column: frame.left, width: frame.width, role: role)
        var text = "\(userKey.key.keyTypeLabel.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(userKey.key.bits).padding(toLength: 5, withPad: " ", startingAt: 0)) \(userKey.key.fingerprint)"
        if let comment = userKey.key.comment { text += "  \(comment)" }
        if let expiresAt = userKey.expiresAt { text += userKey.isExpired(at: state.now) ? "  EXPIRED" : "  expires \(formatDate(expiresAt))" }
        canvas.put(text, row: row, column: frame.left + 1, role: role, maxWidth: frame.width - 2)
        row += 1
    }
    let inputRow = frame.top + frame.height - 4
    if editor.isAdding {
        canvas.put("Paste a key line (ssh-ed25519 AAAA… comment) or a .pub file path (~/.ssh/id_ed25519.pub):", row: inputRow, column: frame.left, role: .label, maxWidth: frame.width)
        editor.input.render(into: &canvas, row: inputRow + 1, column: frame.left, width: frame.width, focused: true, placeholder: "~/.ssh/id_ed25519.pub")
    }
    if let error = editor.error {
        canvas.put("✗ \(error)", row: inputRow + 2, column: frame.left, role: .error, maxWidth: frame.width)
    }
    renderStatusLine(state, into: &canvas)
    let keysBar: [(String, String)] = editor.isAdding ? [("Enter", "add"), ("Esc", "cancel")]
        : state.context.readOnly ? [("↑↓", "move"), ("Esc", "back")]
        : [("↑↓", "move"), ("a", "add key"), ("d", "remove"), ("Esc", "back")]
    renderKeyBar(keysBar, state: state, into: &canvas)
}

extension KeysEditorState: ConsoleScreen {
    func handleKey(_ key: Key, state: inout ConsoleState) -> [Effect] { handleKeysEditorKey(key, editor: self, state: &state) }
    mutating func paste(_ text: String) { input.insert(text) }
    func render(state: ConsoleState, into canvas: inout Canvas) { renderKeysEditor(self, state: state, into: &canvas) }
    var unsavedForm: UnsavedForm? { nil }
    var modal: Modal { .keys(self) }
}

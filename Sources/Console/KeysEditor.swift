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


/// Key lines arrived, pasted on the keys editor on top or read from a file by `previous`: the keys editor that asked
/// adds each one and writes once.
func addKeys(from text: String, continuing previous: Operation?, state: inout ConsoleState) -> [Effect] {
    let screen = state.screenAsking(continuing: previous)
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

extension KeysEditorState {
    /// Shows `value` (a key change landed, or another version was saved meanwhile) as the version keys change from.
    func rebased(on stored: (value: SecretValue, user: SFTPUser)?, _ operation: Operation, state: inout ConsoleState) {
        guard let stored else { return }
        var editor = self
        editor.base = stored.value
        editor.user = stored.user
        editor.selection = min(editor.selection, max(0, editor.keys.count - 1))
        state.replaceScreen(operation.origin, with: .keys(editor))
    }
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
    func handle(_ result: ConsoleEvent, of operation: Operation, state: inout ConsoleState) -> [Effect] {
        switch result {
        case .keyFileRead(_, let text):
            return addKeys(from: text, continuing: operation, state: &state)
        case .written:
            rebased(on: state.storedVersion(of: username), operation, state: &state)
            state.show("Keys of \(username) saved", .success)
        case .writeConflict:
            state.showChangedMeanwhile()
            rebased(on: state.storedVersion(of: username), operation, state: &state)
        case .failed(_, let message) where operation.purpose == .readKeyFile:
            var editor = self
            editor.error = message
            state.replaceScreen(operation.origin, with: .keys(editor))
        case .failed(_, let message):
            state.showFailure(of: operation, message)
        default:
            break
        }
        return []
    }
    mutating func paste(_ text: String) { input.insert(text) }
    func render(state: ConsoleState, into canvas: inout Canvas) { renderKeysEditor(self, state: state, into: &canvas) }
    var unsavedForm: UnsavedForm? { nil }
    var modal: Modal { .keys(self) }
}

import Foundation
import IdentityModel
import SecretStore
import TerminalUI
import UserManagement

/// The editing form of one user: role, home (path or logical rows), policy, networks, POSIX profile, status, expiry, comment.
///
/// Saving validates with the model's rules, then writes one new version replacing the version the form was opened on.
struct EditorState: Sendable, Hashable {
    var username: String
    /// The version being edited: the write names it, so a concurrent change becomes a conflict.
    var base: SecretValue
    var baseUser: SFTPUser
    var form: Form
    let initialForm: Form
    /// Values of home fields hidden by the PATH/LOGICAL switch, so switching back loses nothing.
    var stash: [String: String] = [:]
    /// Errors that belong to no field of the form.
    var generalErrors: [String] = []

    init(username: String, base: SecretValue, user: SFTPUser) {
        self.username = username
        self.base = base
        baseUser = user
        form = EditorState.form(for: user)
        initialForm = form
    }

    var isDirty: Bool { form != initialForm }

    static func form(for user: SFTPUser) -> Form {
        var fields: [FormField] = [.text("role", "Role ARN", user.role() ?? "", hint: "arn:aws:iam::123456789012:role/name")]
        fields += Form.homeFields(for: user.home(), pathHint: pathHint)
        fields.append(.text("policy", "Policy", user.policy() ?? "", hint: "optional scope-down policy JSON"))
        fields.append(.text("networks", "Networks", user.acceptedNetworks().map(\.description).joined(separator: ", "), hint: "any address; or e.g. 203.0.113.0/24, 2001:db8::/32"))
        let posix = user.posixProfile()
        fields.append(.text("uid", "POSIX uid", posix.map { String($0.uid) } ?? "", hint: "optional, for EFS"))
        fields.append(.text("gid", "POSIX gid", posix.map { String($0.gid) } ?? ""))
        fields.append(.text("gids", "Secondary gids", posix.map { $0.secondaryGids.map(String.init).joined(separator: ", ") } ?? "", hint: "comma-separated, at most 16"))
        fields.append(.choice("status", "Status", options: ["active", "disabled"], selected: user.isDisabled ? 1 : 0, hint: "a disabled user is denied every login"))
        fields.append(.text("expires", "Expires", user.expiresAt.map { ISODate.format($0) } ?? "", hint: "never; or 2026-12-31 / 2026-12-31T18:00:00Z"))
        fields.append(.text("comment", "Comment", user.comment ?? "", hint: "a note for administrators"))
        return Form(fields)
    }

    static let pathHint = "/bucket/prefix (empty: bucket root)"

    /// The form as edits, each field read by ``EditInput`` (the reading the CLI's options use); the errors of
    /// fields that cannot be read, each on its field.
    func formEdits() -> (edits: [UserEdit], errors: [(String, String)]) {
        var edits: [UserEdit] = [
            .setRole(form["role"].trimmingCharacters(in: .whitespaces)),
            .setHome(form.homeDirectory),
            .setPolicy(form["policy"].trimmingCharacters(in: .whitespaces)),
        ]
        var errors: [(String, String)] = []
        do { edits.append(.setNetworks(try EditInput.networks(form["networks"]))) } catch { errors.append(("networks", error.description)) }
        do {
            edits.append(.setPosixProfile(try EditInput.posixProfile(uid: form["uid"], gid: form["gid"], secondaryGids: form["gids"])))
        } catch {
            errors.append(("uid", error.description))
        }
        edits.append(.setDisabled(form["status"] == "disabled"))
        do { edits.append(.setExpiry(try EditInput.expiry(form["expires"]))) } catch { errors.append(("expires", error.description)) }
        edits.append(.setComment(form["comment"].trimmingCharacters(in: .whitespaces)))
        return (edits, errors)
    }

    /// The edits and the user they make, or the errors that stop saving (each on its field): the fields that
    /// cannot be read, and every rule the rest breaks.
    func editedUser() -> Result<(user: SFTPUser, edits: [UserEdit]), EditorErrors> {
        var (edits, errors) = formEdits()
        do {
            let user = try edits.applied(to: baseUser)
            if errors.isEmpty { return .success((user, edits)) }
        } catch {
            errors += error.errors.map { (Self.formID(forField: $0.field), $0.description) }
        }
        return .failure(EditorErrors(fieldErrors: errors))
    }

    /// The form field that shows a model error about `field` (a secret key name), or "" for none.
    static func formID(forField field: String) -> String {
        if let id = Form.homeFieldID(forErrorField: field) { return id }
        return switch field {
        case SecretKey.role: "role"
        case SecretKey.policy: "policy"
        case SecretKey.acceptedIpNetwork: "networks"
        case SecretKey.posixProfile: "uid"
        case SecretKey.expiresAt: "expires"
        case SecretKey.disabled: "status"
        case SecretKey.comment: "comment"
        default: ""
        }
    }
}

/// Form errors: (form field id, message); an empty id means the error belongs to no field.
struct EditorErrors: Error, Sendable, Hashable {
    var fieldErrors: [(String, String)]

    static func == (lhs: EditorErrors, rhs: EditorErrors) -> Bool {
        lhs.fieldErrors.map { "\($0.0)\u{0}\($0.1)" } == rhs.fieldErrors.map { "\($0.0)\u{0}\($0.1)" }
    }

    func hash(into hasher: inout Hasher) {
        for (id, message) in fieldErrors { hasher.combine(id); hasher.combine(message) }
    }
}

func openEditor(for record: UserRecord, state: inout ConsoleState) {
    guard let value = record.value, let secret = record.secret else {
        state.show("\(record.username) cannot be edited here: \(record.problem ?? "not loaded yet")", .warning)
        return
    }
    state.push(.editor(EditorState(username: record.username, base: value, user: SFTPUser(secret: secret))))
}

func handleEditorKey(_ key: Key, editor: EditorState, state: inout ConsoleState) -> [Effect] {
    var editor = editor
    if state.operations.values.contains(where: { $0.purpose == .saveEdit }) {
        return []
    }
    switch key {
    case .control("n"), .function(3):
        editor.form.addHomeMappingRow()
        state.replaceTop(.editor(editor))
        return []
    case .control("d") where editor.form.isOnHomeMappingRow:
        editor.form.removeHomeMappingRow()
        state.replaceTop(.editor(editor))
        return []
    default:
        break
    }
    switch editor.form.handle(key) {
    case .cancel:
        if editor.isDirty {
            state.push(.confirm(ConfirmState(action: .discardEdit, title: "Discard changes", question: "Discard your changes to \(editor.username)?")))
        } else {
            state.popModal()
        }
        return []
    case .submit:
        return saveEditor(&editor, state: &state)
    case .edited, .moved, .ignored:
        editor.form.syncHomeFields(stash: &editor.stash, pathHint: EditorState.pathHint)
        state.replaceTop(.editor(editor))
        return []
    }
}

private func saveEditor(_ editor: inout EditorState, state: inout ConsoleState) -> [Effect] {
    editor.form.clearErrors()
    editor.generalErrors = []
    switch editor.editedUser() {
    case .failure(let errors):
        for (id, message) in errors.fieldErrors {
            if !id.isEmpty, editor.form.fields.contains(where: { $0.id == id }) {
                editor.form.setError(id, message)
            } else {
                editor.generalErrors.append(message)
            }
        }
        if let first = errors.fieldErrors.first(where: { !$0.0.isEmpty }) { editor.form.focus(on: first.0) }
        state.replaceTop(.editor(editor))
        state.show("Not saved: \(errors.fieldErrors.count) \(errors.fieldErrors.count == 1 ? "problem" : "problems") to fix", .error)
        return []
    case .success(let edited):
        guard edited.user != editor.baseUser else {
            state.popModal()
            state.show("No changes to save", .info)
            return []
        }
        state.replaceTop(.editor(editor))
        let id = state.startOperation(.saveEdit, label: "Saving \(editor.username)", subject: editor.username)
        return [.updateUser(id, username: editor.username, base: editor.base, edits: edited.edits, action: "console.edit")]
    }
}

/// An edit was saved: the screens it was made on close, and the status line says so.
func editSaved(closing screens: [ScreenID?], username: String, state: inout ConsoleState) {
    for screen in screens { state.closeScreen(screen) }
    state.show("Saved \(username) (new version)", .success)
}

func renderEditor(_ editor: EditorState, state: ConsoleState, into canvas: inout Canvas) {
    let frame = renderScreenFrame(title: "Edit \(editor.username)", state: state, into: &canvas)
    var top = frame.top
    for message in editor.generalErrors.prefix(3) {
        canvas.put("✗ \(message)", row: top, column: frame.left, role: .error, maxWidth: frame.width)
        top += 1
    }
    let formHeight = frame.height - (top - frame.top)
    var form = editor.form
    let rowsPerField = 1
    let visibleFields = max(1, formHeight / (rowsPerField + 1) * 2 - 1)
    if form.fields.count > visibleFields, form.focus >= visibleFields / 2 {
        let drop = min(form.focus - visibleFields / 2, form.fields.count - visibleFields)
        form.fields.removeFirst(max(0, drop))
        form.focus -= max(0, drop)
    }
    form.render(into: &canvas, top: top, left: frame.left, width: frame.width, height: formHeight)
    renderStatusLine(state, into: &canvas)
    var keys: [(String, String)] = [("Tab/↑↓", "field"), ("Ctrl-S", "save"), ("Esc", "cancel")]
    if editor.form.isLogicalHome { keys += [("Ctrl-N", "add row"), ("Ctrl-D", "remove row")] }
    if editor.isDirty { keys.append(("●", "unsaved")) }
    renderKeyBar(keys, state: state, into: &canvas)
}

extension EditorState: ConsoleScreen {
    func handleKey(_ key: Key, state: inout ConsoleState) -> [Effect] { handleEditorKey(key, editor: self, state: &state) }
    /// The save's answer: saved closes the form; a conflict opens the conflict screen over it.
    func handle(_ result: ConsoleEvent, of operation: Operation, state: inout ConsoleState) -> [Effect] {
        switch result {
        case .written:
            editSaved(closing: [operation.origin], username: username, state: &state)
        case .writeConflict(_, let theirs?):
            openConflict(theirs: theirs, editor: self, screen: operation.origin, state: &state)
        case .writeConflict(_, nil):
            state.show("Someone else changed this user meanwhile, and their version could not be read. Your edit is kept; press Enter to retry.", .error)
        case .failed(_, let message):
            state.showFailure(of: operation, message)
        default:
            break
        }
        return []
    }
    mutating func paste(_ text: String) { form.paste(text) }
    func render(state: ConsoleState, into canvas: inout Canvas) { renderEditor(self, state: state, into: &canvas) }
    var unsavedForm: UnsavedForm? { isDirty ? UnsavedForm(user: username, description: "edit of \(username)") : nil }
    var modal: Modal { .editor(self) }
}

import Foundation
import SecretStore
import TerminalUI
import UserManagement

/// The versions of one user, newest first, with the fields each changed; roll back to one, or restore a deleted user.
struct HistoryState: Sendable, Hashable {
    var username: String
    var secretName: String
    var deletedAt: Date?
    var entries: [UserVersion] = []
    var isLoading = true
    var selection = 0

    var currentVersionID: String? { entries.first { $0.version.isCurrent }?.version.versionID }
}

func openHistory(state: inout ConsoleState) -> [Effect] {
    guard let record = state.list.selectedRecord else { return [] }
    state.push(.history(HistoryState(username: record.username, secretName: record.secretName, deletedAt: record.deletedAt)))
    if record.deletedAt != nil { return [] }
    let id = state.startOperation(.history, label: "Reading the history of \(record.username)", subject: record.username)
    return [.loadHistory(id, username: record.username)]
}

func handleHistoryKey(_ key: Key, history: HistoryState, state: inout ConsoleState) -> [Effect] {
    var history = history
    switch key {
    case .up, .character("k"): history.selection = max(0, history.selection - 1)
    case .down, .character("j"): history.selection = min(max(0, history.entries.count - 1), history.selection + 1)
    case .character("R") where history.deletedAt != nil:
        guard !state.refuseWriteIfReadOnly() else { return [] }
        state.popModal()
        let id = state.startOperation(.restore, label: "Restoring \(history.username)", subject: history.username)
        return [.restoreUser(id, username: history.username)]
    case .enter, .character("r"):
        guard !state.refuseWriteIfReadOnly(), history.entries.indices.contains(history.selection) else { return [] }
        let entry = history.entries[history.selection]
        guard !entry.version.isCurrent else {
            state.show("That version is already the current one", .info)
            return []
        }
        state.push(.confirm(ConfirmState(action: .rollback(versionID: entry.version.versionID), title: "Roll back", question: "Make the version of \(formatDate(entry.version.createdAt)) current again for \(history.username)? This writes a new current version; the present one stays in the history.")))
        return []
    case .escape, .character("q"), .character("h"):
        state.popModal()
        return []
    default:
        break
    }
    state.replaceTop(.history(history))
    return []
}

func rollBack(to versionID: String, state: inout ConsoleState) -> [Effect] {
    guard case .history(let history)? = state.topModal, let current = history.currentVersionID else { return [] }
    let id = state.startOperation(.rollback, label: "Rolling back \(history.username)", subject: history.username)
    return [.rollBack(id, username: history.username, versionID: versionID, replacing: current)]
}

func userDeleted(_ username: String, removalDate: Date, state: inout ConsoleState) -> [Effect] {
    guard let record = state.list.record(named: username) else { return [] }
    if state.showDeleted {
        let now = state.now
        state.list.updateRecord(named: record.username) {
            $0.deletedAt = now
            $0.summary = UserSummary(deleted: now)
        }
    } else {
        state.list.remove(named: record.username)
    }
    state.detailScroll = nil
    state.show("Deleted \(record.username). Restorable until \(formatDate(removalDate)): D shows deleted users, R restores.", .success)
    return []
}

func userRestored(_ value: SecretValue?, state: inout ConsoleState) -> [Effect] {
    guard let value, let username = state.context.naming.username(fromSecretName: value.name, serverID: state.context.serverID) else {
        state.show("Restored", .success)
        return startListing(&state)
    }
    var record = state.list.record(named: username) ?? UserRecord(username: username, secretName: value.name)
    record.deletedAt = nil
    record.apply(value, now: state.now)
    state.list.update(record)
    state.list.select(username: username)
    state.show("Restored \(username): they can log in again", .success)
    return []
}

func renderHistory(_ history: HistoryState, state: ConsoleState, into canvas: inout Canvas) {
    let frame = renderScreenFrame(title: "History of \(history.username)", state: state, into: &canvas)
    if let deletedAt = history.deletedAt {
        canvas.put("\(history.username) was deleted \(formatDate(deletedAt)).", row: frame.top, column: frame.left, role: .warning)
        canvas.put(state.context.readOnly ? "Read-only mode: restoring is disabled." : "Press R to restore the user with all its versions.", row: frame.top + 2, column: frame.left, role: .value)
        renderKeyBar(state.context.readOnly ? [("Esc", "back")] : [("R", "restore"), ("Esc", "back")], state: state, into: &canvas)
        return
    }
    if history.isLoading {
        canvas.put("\(spinner(state)) reading versions…", row: frame.top, column: frame.left, role: .info)
    }
    let titles = ["VERSION", "WRITTEN", "STAGE", "CHANGED FIELDS"]
    let columns = [frame.left, frame.left + 11, frame.left + 33, frame.left + 47]
    for (title, column) in zip(titles, columns) { canvas.put(title, row: frame.top + 1, column: column, role: .label) }
    for (index, entry) in history.entries.prefix(frame.height - 3).enumerated() {
        let row = frame.top + 2 + index
        let role: StyleRole = index == history.selection ? .selection : .listRow
        canvas.fill(row: row, column: frame.left, width: frame.width, role: role)
        canvas.put(String(entry.version.versionID.prefix(10)), row: row, column: columns[0], role: role)
        canvas.put(formatDate(entry.version.createdAt), row: row, column: columns[1], role: role)
        canvas.put(entry.version.isCurrent ? "current" : (entry.version.stages.first.map { $0 == SecretVersionInfo.previousStage ? "previous" : $0 } ?? ""), row: row, column: columns[2], role: role)
        let changed = switch entry.changedKeys {
        case nil: "(not readable)"
        case let keys? where keys.isEmpty: "(no field changed)"
        case let keys?: (index == history.entries.count - 1 ? "created: " : "") + keys.joined(separator: ", ")
        }
        canvas.put(changed, row: row, column: columns[3], role: role, maxWidth: frame.width - (columns[3] - frame.left))
    }
    renderStatusLine(state, into: &canvas)
    renderKeyBar(state.context.readOnly ? [("↑↓", "move"), ("Esc", "back")] : [("↑↓", "move"), ("r", "roll back to this version"), ("Esc", "back")], state: state, into: &canvas)
}

extension HistoryState: ConsoleScreen {
    func handleKey(_ key: Key, state: inout ConsoleState) -> [Effect] { handleHistoryKey(key, history: self, state: &state) }
    /// The versions read fill the screen; a rollback, written or overtaken by another version, closes it.
    func handle(_ result: ConsoleEvent, of operation: Operation, state: inout ConsoleState) -> [Effect] {
        var history = self
        switch result {
        case .historyLoaded(_, let entries):
            history.entries = entries
        case .written:
            state.closeScreen(operation.origin)
            state.show("Rolled back \(username): that version is current again", .success)
            return []
        case .writeConflict:
            state.closeScreen(operation.origin)
            state.showChangedMeanwhile()
            return []
        case .failed(_, let message):
            state.showFailure(of: operation, message)
        default:
            break
        }
        // A read that ended without versions stops the spinner too.
        history.isLoading = false
        state.replaceScreen(operation.origin, with: .history(history))
        return []
    }
    mutating func paste(_ text: String) {}
    func render(state: ConsoleState, into canvas: inout Canvas) { renderHistory(self, state: state, into: &canvas) }
    var unsavedForm: UnsavedForm? { nil }
    var modal: Modal { .history(self) }
}

import Foundation
import IdentityModel
import SecretStore
import TerminalUI

/// The console's state machine: applies one event to the state and returns the work to start.
///
/// Pure apart from the state it is given: no store call, no terminal call, no clock read (time comes in `.tick`).
public func reduce(state: inout ConsoleState, event: ConsoleEvent) -> [Effect] {
    let effects = reduceEvent(state: &state, event: event)
    let reads = readSelectedSummary(&state)
    return effects + reads + resumePendingUserAction(&state)
}

private func reduceEvent(state: inout ConsoleState, event: ConsoleEvent) -> [Effect] {
    switch event {
    case .started:
        return startListing(&state)
    case .tick(let date):
        state.now = date
        return []
    case .resize(let size):
        state.size = size
        return []
    case .key(let key):
        return handleKey(key, state: &state)
    case .paste(let text):
        return handlePaste(text, state: &state)
    default:
        return handleResult(event, state: &state)
    }
}

/// The smallest size the console draws at; below it, a notice that still answers `q`.
let minimumSize = TerminalSize(rows: 24, columns: 80)

extension ConsoleState {
    var isTooSmall: Bool { !size.isAtLeast(minimumSize) }
}

private func handleKey(_ key: Key, state: inout ConsoleState) -> [Effect] {
    if key == .control("c") {
        return requestQuit(&state)
    }
    if state.isTooSmall {
        if key == .character("q") || key == .character("Q") { state.shouldQuit = true }
        return []
    }
    if key == .escape, let operation = state.foregroundOperation, operation.isWrite {
        state.show("\(operation.label): the write was sent and cannot be taken back; waiting for the store's answer", .warning)
        return []
    }
    if key == .escape, let operation = state.foregroundOperation {
        let effects = handleResult(.cancelled(operation.id), state: &state)
        state.show("Cancelled: \(operation.label)", .warning)
        return [.cancel(operation.id)] + effects
    }
    if let modal = state.topModal {
        return modal.screen.handleKey(key, state: &state)
    }
    if state.list.isFilterFocused {
        return handleFilterKey(key, state: &state)
    }
    if state.detailScroll != nil {
        return handleDetailKey(key, state: &state)
    }
    return handleListKey(key, state: &state)
}

private func handlePaste(_ text: String, state: inout ConsoleState) -> [Effect] {
    if state.topModal != nil {
        state.updateTopModal { $0.paste(text) }
        return []
    }
    if state.list.isFilterFocused {
        state.list.filter.insert(text)
        state.list.refilter()
    }
    return []
}

/// `q` / Ctrl-C: quits at once unless an edit would be lost or a write is in flight; then asks.
func requestQuit(_ state: inout ConsoleState) -> [Effect] {
    let writing = state.operations.values.contains(where: \.isWrite)
    if state.hasUnsavedEdit || writing {
        if case .confirm(let confirm)? = state.topModal, confirm.action == .quit { return [] }
        let question = writing ? "A save is still running. Quit anyway?" : "You have unsaved changes. Quit and lose them?"
        state.push(.confirm(ConfirmState(action: .quit, title: "Quit sftpidp", question: question)))
        return []
    }
    state.shouldQuit = true
    return []
}

/// The first page of users; the next pages and the values follow as results come in.
func startListing(_ state: inout ConsoleState) -> [Effect] {
    let prefix: String
    do {
        prefix = try state.context.naming.prefix(serverID: state.context.serverID)
    } catch {
        state.show("\(error)", .error)
        return []
    }
    state.list.removeAll()
    state.isListing = true
    state.pendingFetches = 0
    state.unfetched = []
    state.listingCacheEntries = [:]
    for (id, operation) in state.operations where operation.isBackground {
        _ = state.finishOperation(id)
    }
    let id = state.startOperation(.listing, label: "Loading users")
    return [.listUsers(id, prefix: prefix, nextToken: nil, includeDeleted: state.showDeleted)]
}

extension ConsoleState {

    /// The user name of the selected user, if any.
    var selectedUsername: String? { list.selectedRecord?.username }

    /// True when writes are refused; shows why.
    mutating func refuseWriteIfReadOnly() -> Bool {
        guard context.readOnly else { return false }
        show("Read-only mode: changes are disabled (started with --read-only)", .warning)
        return true
    }
}

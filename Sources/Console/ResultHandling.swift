import Foundation
import IdentityModel
import SecretStore
import UserManagement

/// How many values one batch read asks for.
let fetchBatchSize = 100

/// Routes an effect's result, by its operation id, to the list or to the screen that started it (when that screen
/// was closed meanwhile, to the status line); results of cancelled work are dropped.
func handleResult(_ event: ConsoleEvent, state: inout ConsoleState) -> [Effect] {
    switch event {
    case .usersListed(let id, let page):
        guard state.finishOperation(id) != nil else { return [] }
        return usersListed(page, state: &state)
    case .usersFetched(let id, let users):
        guard state.finishOperation(id) != nil else { return [] }
        state.pendingFetches = max(0, state.pendingFetches - users.count)
        for user in users.values {
            state.list.updateRecord(named: user.username) { $0.apply(user) }
        }
        if !state.isListing, state.pendingFetches == 0, state.message == nil {
            state.show("\(state.list.records.count) user\(state.list.records.count == 1 ? "" : "s") loaded", .info)
        }
        return []
    case .written(let id, let value):
        guard let operation = state.finishOperation(id) else { return [] }
        applyWritten(value, state: &state)
        return writeFinished(operation, value: value, state: &state)
    case .writeConflict(let id, let theirs):
        guard let operation = state.finishOperation(id) else { return [] }
        return writeConflicted(operation, theirs: theirs, state: &state)
    case .deleted(let id, let removalDate):
        guard let operation = state.finishOperation(id) else { return [] }
        return userDeleted(operation.subject ?? "", removalDate: removalDate, state: &state)
    case .restored(let id, let value):
        guard state.finishOperation(id) != nil else { return [] }
        return userRestored(value, state: &state)
    case .historyLoaded(let id, let entries):
        guard let operation = state.finishOperation(id) else { return [] }
        historyLoaded(entries, operation: operation, state: &state)
        return []
    case .passwordHashed(let id, let hash):
        guard let operation = state.finishOperation(id) else { return [] }
        return passwordHashed(operation, hash: hash, generated: nil, state: &state)
    case .passwordGenerated(let id, let password, let hash):
        guard let operation = state.finishOperation(id) else { return [] }
        return passwordHashed(operation, hash: hash, generated: password, state: &state)
    case .keyFileRead(let id, let text):
        guard let operation = state.finishOperation(id) else { return [] }
        return addKeys(from: text, continuing: operation, state: &state)
    case .loginDecided(let id, let outcome):
        guard let operation = state.finishOperation(id) else { return [] }
        return loginDecided(outcome, operation: operation, state: &state)
    case .accessExplained(let id, let report):
        guard state.finishOperation(id) != nil else { return [] }
        accessExplained(report, id: id, state: &state)
        return []
    case .failed(let id, let message):
        guard let operation = state.finishOperation(id) else { return [] }
        return operationFailed(operation, message: message, state: &state)
    case .started, .key, .paste, .resize, .tick:
        return []
    }
}

private func usersListed(_ page: SecretPage, state: inout ConsoleState) -> [Effect] {
    let records = page.secrets.compactMap { summary -> UserRecord? in
        guard let username = state.context.naming.username(fromSecretName: summary.name, serverID: state.context.serverID) else { return nil }
        if summary.deletedAt != nil && !state.showDeleted { return nil }
        return UserRecord(username: username, secretName: summary.name, lastChangedAt: summary.lastChangedAt, deletedAt: summary.deletedAt)
    }
    state.list.add(records)
    var effects: [Effect] = []
    let live = records.filter { $0.deletedAt == nil }
    for record in records where record.deletedAt != nil {
        state.list.updateRecord(named: record.username) { $0.summary = UserSummary(deleted: record.deletedAt) }
    }
    for start in stride(from: 0, to: live.count, by: fetchBatchSize) {
        let batch = live[start..<min(live.count, start + fetchBatchSize)].map(\.secretName)
        let id = state.startOperation(.fetching, label: "Reading users")
        state.pendingFetches += batch.count
        effects.append(.fetchUsers(id, names: batch))
    }
    if let token = page.nextToken {
        let prefix = (try? state.context.naming.prefix(serverID: state.context.serverID)) ?? ""
        let id = state.startOperation(.listing, label: "Loading users")
        effects.append(.listUsers(id, prefix: prefix, nextToken: token, includeDeleted: state.showDeleted))
    } else {
        state.isListing = false
    }
    return effects
}

/// Puts a freshly written value into its list record.
private func applyWritten(_ value: SecretValue, state: inout ConsoleState) {
    guard let username = state.context.naming.username(fromSecretName: value.name, serverID: state.context.serverID) else { return }
    var record = state.list.record(named: username) ?? UserRecord(username: username, secretName: value.name)
    record.deletedAt = nil
    record.apply(value, now: state.now)
    state.list.update(record)
}

private func writeFinished(_ operation: Operation, value: SecretValue, state: inout ConsoleState) -> [Effect] {
    switch operation.purpose {
    case .saveEdit, .resolveConflict:
        if case .conflict(let conflict)? = state.screen(operation.origin) { state.closeScreen(conflict.editorScreen) }
        state.closeScreen(operation.origin)
        state.show("Saved \(operation.subject ?? "the user") (new version)", .success)
    case .savePassword:
        passwordSaved(operation, state: &state)
    case .saveKeys:
        keysSaved(value: value, operation: operation, state: &state)
    case .createUser:
        return wizardUserCreated(value: value, operation: operation, state: &state)
    case .rollback:
        state.closeScreen(operation.origin)
        state.show("Rolled back \(operation.subject ?? "the user"): that version is current again", .success)
    default:
        break
    }
    return []
}

private func writeConflicted(_ operation: Operation, theirs: SecretValue?, state: inout ConsoleState) -> [Effect] {
    switch operation.purpose {
    case .saveEdit, .resolveConflict:
        guard let theirs else {
            state.show("Someone else changed this user meanwhile, and their version could not be read. Your edit is kept; press Enter to retry.", .error)
            return []
        }
        if let username = state.context.naming.username(fromSecretName: theirs.name, serverID: state.context.serverID) {
            let now = state.now
            state.list.updateRecord(named: username) { $0.apply(theirs, now: now) }
        }
        openConflict(theirs: theirs, operation: operation, state: &state)
    case .createUser:
        state.show("A user with this name was created meanwhile by someone else; choose another name.", .error)
        wizardCreateFailed(operation, state: &state)
    default:
        if let theirs, let username = state.context.naming.username(fromSecretName: theirs.name, serverID: state.context.serverID) {
            let now = state.now
            state.list.updateRecord(named: username) { $0.apply(theirs, now: now) }
        }
        state.show("Someone else changed this user meanwhile; reloaded their version. Please repeat your change.", .error)
        reopenAfterConflict(operation, state: &state)
    }
    return []
}

private func operationFailed(_ operation: Operation, message: String, state: inout ConsoleState) -> [Effect] {
    switch operation.purpose {
    case .listing:
        state.isListing = false
        state.show("Could not list users: \(message) (press r to retry)", .error)
    case .fetching:
        state.pendingFetches = 0
        state.show("Could not read some users: \(message) (press r to retry)", .error)
    case .testLogin:
        testLoginFailed(message, operation: operation, state: &state)
    case .explainAccess:
        accessExplanationFailed(message, id: operation.id, state: &state)
    case .readKeyFile:
        keyTextFailed(message, operation: operation, state: &state)
    case .createUser:
        wizardCreateFailed(operation, state: &state)
        state.show("\(operation.label) failed: \(message)", .error)
    default:
        cancelledOperation(operation, state: &state)
        state.show("\(operation.label) failed: \(message)", .error)
    }
    return []
}

/// A cancelled operation: the screen that waited for it goes back to editing, nothing is lost.
func cancelledOperation(_ operation: Operation, state: inout ConsoleState) {
    switch operation.purpose {
    case .testLogin:
        testLoginFailed("cancelled", operation: operation, state: &state)
    case .explainAccess:
        accessExplanationFailed("cancelled", id: operation.id, state: &state)
    case .createUser, .hashPassword, .generatePassword, .savePassword:
        if case .password(var dialog)? = state.screen(operation.origin) {
            dialog.step = .choose
            dialog.pendingGenerated = nil
            state.replaceScreen(operation.origin, with: .password(dialog))
        } else {
            wizardCreateFailed(operation, state: &state)
        }
    default:
        break
    }
}

/// Another version was saved while a password or key change was written: the dialog now shows that version.
private func reopenAfterConflict(_ operation: Operation, state: inout ConsoleState) {
    switch state.screen(operation.origin) {
    case .password(var dialog)?:
        if let record = state.list.record(named: dialog.username), let value = record.value, let secret = record.secret {
            dialog.base = value
            dialog.user = SFTPUser(secret: secret)
        }
        dialog.step = .choose
        dialog.pendingGenerated = nil
        state.replaceScreen(operation.origin, with: .password(dialog))
    case .keys(var editor)?:
        if let record = state.list.record(named: editor.username), let value = record.value, let secret = record.secret {
            editor.base = value
            editor.user = SFTPUser(secret: secret)
        }
        state.replaceScreen(operation.origin, with: .keys(editor))
    case .history?:
        state.closeScreen(operation.origin)
    default:
        break
    }
}

extension UserSummary {
    /// A user scheduled for deletion, shown only in the deleted-users view.
    init(deleted: Date?) {
        self.init(authentication: "", role: "", home: "deleted \(deleted.map(formatDate) ?? "")", flags: [.deleted], problem: nil)
    }
}

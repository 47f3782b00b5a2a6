import Foundation
import IdentityModel
import SecretStore
import UserManagement

/// How many values one batch read asks for.
let fetchBatchSize = 100

/// Routes an effect's result by its operation id: list results, deletes, restores and access explanations to the
/// list and the state they change; everything else to the screen that started the work (its ``ConsoleScreen/handle(_:of:state:)``),
/// or to the status line when that screen was closed meanwhile. Results of cancelled work are dropped.
func handleResult(_ event: ConsoleEvent, state: inout ConsoleState) -> [Effect] {
    guard let id = event.operationID, let operation = state.finishOperation(id) else { return [] }
    switch event {
    case .usersListed(_, let page):
        return usersListed(page, state: &state)
    case .usersFetched(_, let users):
        usersFetched(users, state: &state)
        return []
    case .deleted(_, let removalDate):
        return userDeleted(operation.subject ?? "", removalDate: removalDate, state: &state)
    case .restored(_, let value):
        return userRestored(value, state: &state)
    case .accessExplained(_, let report):
        accessExplained(report, id: id, state: &state)
        return []
    case .written(_, let value):
        applyStored(value, state: &state)
    case .writeConflict(_, let theirs?):
        applyStored(theirs, state: &state)
    default:
        break
    }
    if operation.isBackground, let message = event.failure {
        listingFailed(operation, message: message, state: &state)
        return []
    }
    if operation.purpose == .explainAccess, let message = event.failure {
        accessExplanationFailed(message, id: id, state: &state)
        return []
    }
    guard let screen = state.screen(operation.origin)?.screen else {
        reportWithoutScreen(event, of: operation, state: &state)
        return []
    }
    return screen.handle(event, of: operation, state: &state)
}

/// A result whose screen is gone (or that no screen asked for): the status line says how the work ended.
func reportWithoutScreen(_ event: ConsoleEvent, of operation: Operation, state: inout ConsoleState) {
    let user = operation.subject ?? "the user"
    switch event {
    case .written:
        switch operation.purpose {
        case .saveEdit, .resolveConflict: state.show("Saved \(user) (new version)", .success)
        case .savePassword: state.show("Password of \(user) saved", .success)
        case .saveKeys: state.show("Keys of \(user) saved", .success)
        case .createUser: state.show("Created \(user)", .success)
        case .rollback: state.show("Rolled back \(user): that version is current again", .success)
        case .delete, .restore, .listing, .fetching, .history, .hashPassword, .generatePassword, .readKeyFile, .testLogin, .explainAccess: break
        }
    case .writeConflict:
        state.showChangedMeanwhile()
    case .failed(_, let message) where operation.purpose != .testLogin:
        state.showFailure(of: operation, message)
    default:
        break
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

/// Puts a value the store now holds (written, or theirs after a conflict) into its list record.
private func applyStored(_ value: SecretValue, state: inout ConsoleState) {
    guard let username = state.context.naming.username(fromSecretName: value.name, serverID: state.context.serverID) else { return }
    var record = state.list.record(named: username) ?? UserRecord(username: username, secretName: value.name)
    record.deletedAt = nil
    record.apply(value, now: state.now)
    state.list.update(record)
}

private func usersFetched(_ users: [String: FetchedUser], state: inout ConsoleState) {
    state.pendingFetches = max(0, state.pendingFetches - users.count)
    for user in users.values {
        state.list.updateRecord(named: user.username) { $0.apply(user) }
    }
    if !state.isListing, state.pendingFetches == 0, state.message == nil {
        state.show("\(state.list.records.count) user\(state.list.records.count == 1 ? "" : "s") loaded", .info)
    }
}

/// Listing or reading users failed: the status line says so, and `r` retries.
private func listingFailed(_ operation: Operation, message: String, state: inout ConsoleState) {
    if operation.purpose == .listing {
        state.isListing = false
        state.show("Could not list users: \(message) (press r to retry)", .error)
    } else {
        state.pendingFetches = 0
        state.show("Could not read some users: \(message) (press r to retry)", .error)
    }
}

extension ConsoleState {
    /// Says on the status line that `operation` failed, and why.
    mutating func showFailure(of operation: Operation, _ message: String) {
        show("\(operation.label) failed: \(message)", .error)
    }

    /// The current version of `username` as the list holds it, with its user: what a dialog rebases on after a conflict.
    func storedVersion(of username: String) -> (value: SecretValue, user: SFTPUser)? {
        guard let record = list.record(named: username), let value = record.value, let secret = record.secret else { return nil }
        return (value, SFTPUser(secret: secret))
    }

    /// Says on the status line that another version was saved meanwhile and the change must be made again.
    mutating func showChangedMeanwhile() {
        show("Someone else changed this user meanwhile; reloaded their version. Please repeat your change.", .error)
    }
}

extension UserSummary {
    /// A user scheduled for deletion, shown only in the deleted-users view.
    init(deleted: Date?) {
        self.init(authentication: "", role: "", home: "deleted \(deleted.map(formatDate) ?? "")", flags: [.deleted], problem: nil)
    }
}

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
    case .usersListed(_, let page, let cached):
        return usersListed(page, cached: cached, state: &state)
    case .usersFetched(_, let users):
        return usersFetched(users, of: operation, state: &state)
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

private func usersListed(_ page: SecretPage, cached: [String: FetchedUser], state: inout ConsoleState) -> [Effect] {
    // Each record comes with what is known of it (deleted, or summarised by the listing cache), so that a page of
    // new users is added in one pass; users already listed (a reload) are updated in place.
    var fresh: [UserRecord] = []
    var known: [UserRecord] = []
    for summary in page.secrets {
        guard let username = state.context.naming.username(fromSecretName: summary.name, serverID: state.context.serverID) else { continue }
        if summary.deletedAt != nil && !state.showDeleted { continue }
        var record = UserRecord(username: username, secretName: summary.name, lastChangedAt: summary.lastChangedAt, deletedAt: summary.deletedAt)
        if record.deletedAt != nil {
            record.summary = UserSummary(deleted: record.deletedAt)
        } else if let summarised = cached[record.secretName] {
            record.apply(summarised)
        } else {
            state.unfetched.append(record.secretName)
        }
        if state.list.contains(named: username) { known.append(record) } else { fresh.append(record) }
    }
    state.list.add(fresh)
    for record in known {
        if record.deletedAt != nil {
            state.list.updateRecord(named: record.username) { $0.summary = record.summary }
        } else if let summarised = cached[record.secretName] {
            state.list.updateRecord(named: record.username) { $0.apply(summarised) }
        }
    }
    var effects: [Effect] = []
    let isLastPage = page.nextToken == nil
    while state.unfetched.count >= fetchBatchSize || (isLastPage && !state.unfetched.isEmpty) {
        let batch = Array(state.unfetched.prefix(fetchBatchSize))
        state.unfetched.removeFirst(batch.count)
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
        effects += finishLoading(&state)
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

/// A batch read of the listing, or the read of one selected user the listing cache had summarised (`subject`).
private func usersFetched(_ users: [String: FetchedUser], of operation: Operation, state: inout ConsoleState) -> [Effect] {
    if operation.subject == nil { state.pendingFetches = max(0, state.pendingFetches - users.count) }
    let selected = state.list.selectedRecord?.username
    for (secretName, user) in users {
        let keepsValue = operation.subject != nil || user.username == selected
            || state.list.position(named: user.username).map { $0 < UserListState.heldValueLimit } ?? true
        state.list.updateRecord(named: user.username) { $0.apply(keepsValue ? user : user.withoutValue) }
        if let entry = user.cacheEntry { state.listingCacheEntries?[secretName] = entry }
    }
    return operation.subject == nil ? finishLoading(&state) : []
}

/// When the listing and all its reads are done: says how many users loaded, and updates the listing cache once
/// (keeping what was read, forgetting users no longer listed).
private func finishLoading(_ state: inout ConsoleState) -> [Effect] {
    guard !state.isListing, state.pendingFetches == 0, let entries = state.listingCacheEntries else { return [] }
    state.listingCacheEntries = nil
    let count = state.list.records.count
    if state.message == nil, count > 0 {
        state.show("\(count) user\(count == 1 ? "" : "s") loaded", .info)
    }
    return [.updateListingCache(entries: entries, listed: state.list.liveSecretNames)]
}

/// The selected user is known only from the listing cache: reads its value now, before anything is shown or
/// edited from it. Runs after every event, so a selection moved by any key, a filter or a reload is covered.
func readSelectedSummary(_ state: inout ConsoleState) -> [Effect] {
    guard let record = state.list.selectedRecord, record.load == .summarised else { return [] }
    state.list.updateRecord(named: record.username) { $0.load = .pending }
    let id = state.startOperation(.fetching, label: "Reading \(record.username)", subject: record.username)
    return [.fetchUsers(id, names: [record.secretName])]
}

/// Listing or reading users failed: the status line says so, and `r` retries.
private func listingFailed(_ operation: Operation, message: String, state: inout ConsoleState) {
    if operation.purpose == .fetching, let username = operation.subject {
        state.list.updateRecord(named: username) { $0.load = .failed(message); $0.problem = message }
        state.show("Could not read \(username): \(message) (press r to retry)", .error)
    } else if operation.purpose == .listing {
        state.isListing = false
        state.listingCacheEntries = nil
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

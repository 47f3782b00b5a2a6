import AccessAnalysis
import Foundation
import IdentityModel
import IdentityProvider
import SecretStore
import Synchronization
import UserManagement

/// Events produced off the UI loop, waiting for the loop to pick them up.
final class EventInbox: Sendable {
    private let events = Mutex<[ConsoleEvent]>([])

    func post(_ event: ConsoleEvent) {
        events.withLock { $0.append(event) }
    }

    var hasPending: Bool {
        events.withLock { !$0.isEmpty }
    }

    func drain() -> [ConsoleEvent] {
        events.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }
}

/// Runs effects as Swift tasks against the store and the handler; each posts one result event to the inbox.
final class EffectRunner: Sendable {
    let directory: UserDirectory
    let handler: IdentityProviderHandler
    /// Where the role's policies are read for access explanations.
    let rolePolicies: any RolePolicySource
    let inbox: EventInbox
    /// Users' overviews kept between starts: listed users found in it at their listed version are not read.
    let listingCache: (any UserOverviewCache)?
    private let tasks = Mutex<[OperationID: Task<Void, Never>]>([:])
    /// The listing cache's last write, waited for when the console quits.
    private let cacheWrite = Mutex<Task<Void, Never>?>(nil)
    private let listingReadAhead = ListingReadAhead()
    var store: any SecretStore { directory.store }

    init(directory: UserDirectory, handler: IdentityProviderHandler, rolePolicies: any RolePolicySource = RolePolicySources([]),
         listingCache: (any UserOverviewCache)? = nil, inbox: EventInbox) {
        self.directory = directory
        self.handler = handler
        self.rolePolicies = rolePolicies
        self.listingCache = listingCache
        self.inbox = inbox
    }

    var isIdle: Bool { tasks.withLock { $0.isEmpty } }

    /// Starts the effects that need work; `applyTheme` is for the loop and ignored here.
    func run(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .cancel(let id):
                let task = tasks.withLock { $0.removeValue(forKey: id) }
                task?.cancel()
            case .applyTheme:
                break
            case .updateListingCache:
                // Off the loop; quitting waits for it (finishCacheWrite).
                cacheWrite.withLock { $0 = Task { [self] in _ = await perform(effect) } }
            default:
                start(effect)
            }
        }
    }

    private func start(_ effect: Effect) {
        guard let id = effect.operationID else { return }
        // Created under the lock, so the task's own removal (which takes the lock) always comes after the insertion.
        tasks.withLock { tasks in
            tasks[id] = Task { [self] in
                let event = await perform(effect)
                self.tasks.withLock { _ = $0.removeValue(forKey: id) }
                if let event, !Task.isCancelled { inbox.post(event) }
            }
        }
    }

    /// Does the work of one effect and returns its result event; nil for effects that are not work (cancel, theme)
    /// and for the listing cache's update, which has no result.
    func perform(_ effect: Effect) async -> ConsoleEvent? {
        if case .updateListingCache(let entries, let listed) = effect {
            if let listingCache, let prefix = try? directory.naming.prefix(serverID: directory.serverID) {
                listingCache.update(entries, prefix: prefix, listed: listed)
            }
            return nil
        }
        guard let id = effect.operationID, !effect.isControl else { return nil }
        do {
            switch effect {
            case .listUsers(_, let prefix, let token, let includeDeleted):
                let chunk = try await listingChunk(prefix: prefix, nextToken: token, includeDeleted: includeDeleted)
                return .usersListed(id, chunk.page, cached: chunk.cached)
            case .fetchUsers(_, let names):
                let values = try await store.getSecrets(names: names)
                return .usersFetched(id, FetchedUser.all(values, naming: directory.naming, serverID: directory.serverID, now: Date(), caching: listingCache != nil))
            case .createUser(_, let username, let edits, let action):
                let result = try await directory.create(username, edits: edits, action: action)
                return .written(id, try await written(result, username: username, base: nil))
            case .updateUser(_, let username, let base, let edits, let action):
                do {
                    let result = try await directory.update(StoredUser(username: username, value: base), edits: edits, action: action)
                    return .written(id, try await written(result, username: username, base: base))
                } catch let error as SecretStoreError where error.isConflict {
                    return .writeConflict(id, theirs: try? await store.getSecret(name: base.name, version: .current))
                }
            case .rollBack(_, let username, let versionID, let replacing):
                let name = try directory.secretName(of: username)
                do {
                    try await directory.rollback(username, to: versionID, replacing: replacing, action: "console.rollback")
                    await handler.cache.invalidate(name: name)
                    return .written(id, try await store.getSecret(name: name, version: .current))
                } catch let error as SecretStoreError where error.isConflict {
                    return .writeConflict(id, theirs: try? await store.getSecret(name: name, version: .current))
                }
            case .deleteUser(_, let username):
                let date = try await directory.delete(username, action: "console.delete")
                await handler.cache.invalidate(name: try directory.secretName(of: username))
                return .deleted(id, removalDate: date)
            case .restoreUser(_, let username):
                try await directory.restore(username, action: "console.restore")
                await handler.cache.invalidate(name: try directory.secretName(of: username))
                return .restored(id, try? await directory.load(username).value)
            case .loadHistory(_, let username):
                return .historyLoaded(id, try await directory.history(username))
            case .hashPassword(_, let password, let cost):
                return .passwordHashed(id, hash: try PasswordHasher.hash(password.value, parameters: cost))
            case .generatePassword(_, let cost):
                let password = try PasswordGenerator.generate()
                return .passwordGenerated(id, password: SecretText(password), hash: try PasswordHasher.hash(password, parameters: cost))
            case .readKeyFile(_, let path):
                return .keyFileRead(id, try EditInput.keyFileText(path))
            case .testLogin(_, let request):
                return .loginDecided(id, await handler.decide(request))
            case .explainAccess(_, let answer, let username):
                return .accessExplained(id, await AccessExplainer.report(answer: answer, userName: username, source: rolePolicies))
            case .cancel, .applyTheme, .updateListingCache:
                return nil
            }
        } catch let error as SecretStoreError {
            return .failed(id, error.message)
        } catch let error as UserEditError {
            return .failed(id, error.description)
        } catch let error as FieldError {
            return .failed(id, error.description)
        } catch is CancellationError {
            return .failed(id, "cancelled")
        } catch {
            return .failed(id, "\(error)")
        }
    }
}

extension EffectRunner {
    /// Blocks until the listing cache's last write is done, so that quitting right after loading keeps it. Called
    /// from the console's own thread (never from the concurrency pool, which the write runs on).
    func finishCacheWrite() {
        guard let write = cacheWrite.withLock({ $0 }) else { return }
        let done = DispatchSemaphore(value: 0)
        Task {
            await write.value
            done.signal()
        }
        done.wait()
    }

    /// A chunk of the listing (``listingPages(prefix:nextToken:includeDeleted:)``) with the users the listing cache
    /// summarised in it: the one read ahead when there is one, and the next one is then read ahead.
    func listingChunk(prefix: String, nextToken: String?, includeDeleted: Bool) async throws -> ListingReadAhead.Chunk {
        let chunk: ListingReadAhead.Chunk
        if let nextToken,
           let readAhead = try await listingReadAhead.take(.init(prefix: prefix, nextToken: nextToken, includeDeleted: includeDeleted)) {
            chunk = readAhead
        } else {
            chunk = try await readChunk(prefix: prefix, nextToken: nextToken, includeDeleted: includeDeleted)
        }
        if let following = chunk.page.nextToken {
            listingReadAhead.start(.init(prefix: prefix, nextToken: following, includeDeleted: includeDeleted)) { [self] in
                try await readChunk(prefix: prefix, nextToken: following, includeDeleted: includeDeleted)
            }
        }
        return chunk
    }

    /// Reads a chunk from the store and summarises from the listing cache the users it holds.
    private func readChunk(prefix: String, nextToken: String?, includeDeleted: Bool) async throws -> ListingReadAhead.Chunk {
        let page = try await listingPages(prefix: prefix, nextToken: nextToken, includeDeleted: includeDeleted)
        return ListingReadAhead.Chunk(page: page, cached: cachedUsers(of: page, now: Date()))
    }

    /// The first page of a listing alone (the first screen shows at once); after it, pages read back to back into one
    /// result for up to ``listingPagesPerResult`` pages or ``listingTimePerResult``: each result costs the loop a
    /// wake-up, and a store of 100,000 users unchanged since the listing cache was written lists in 1000 pages.
    func listingPages(prefix: String, nextToken: String?, includeDeleted: Bool) async throws -> SecretPage {
        var page = try await store.listSecrets(prefix: prefix, pageSize: 100, nextToken: nextToken, includeDeleted: includeDeleted)
        guard nextToken != nil else { return page }
        let started = ContinuousClock.now
        var pages = 1
        while let token = page.nextToken, pages < Self.listingPagesPerResult, ContinuousClock.now - started < Self.listingTimePerResult {
            try Task.checkCancellation()
            let next = try await store.listSecrets(prefix: prefix, pageSize: 100, nextToken: token, includeDeleted: includeDeleted)
            page = SecretPage(secrets: page.secrets + next.secrets, nextToken: next.nextToken)
            pages += 1
        }
        return page
    }

    /// The most pages of a listing one result carries, and the longest it waits for more (on AWS a page can take a
    /// few hundred milliseconds; the list should still grow on screen).
    static let listingPagesPerResult = 10
    static let listingTimePerResult: Duration = .milliseconds(100)

    /// The live users of `page` the listing cache holds at exactly their listed version, by secret name.
    func cachedUsers(of page: SecretPage, now: Date) -> [String: FetchedUser] {
        guard let listingCache else { return [:] }
        let live = page.secrets.filter { $0.deletedAt == nil }
        let entries = listingCache.entries(for: Dictionary(live.compactMap { summary in summary.currentVersionID.map { (summary.name, $0) } }) { $1 })
        var cached: [String: FetchedUser] = [:]
        for summary in live {
            guard let entry = entries[summary.name],
                  let username = directory.naming.username(fromSecretName: summary.name, serverID: directory.serverID),
                  entry.username == username else { continue }
            cached[summary.name] = FetchedUser(username: username, cached: entry, now: now)
        }
        return cached
    }

    /// The value a create or update left current, after dropping the handler's cached copy of it.
    func written(_ result: UserEditResult, username: String, base: SecretValue?) async throws -> SecretValue {
        let name = try directory.secretName(of: username)
        await handler.cache.invalidate(name: name)
        if let written = result.written { return written }
        if let base { return base }
        return try await store.getSecret(name: name, version: .current)
    }
}

extension Effect {
    /// Cancel and theme effects steer the loop; they do no work of their own.
    var isControl: Bool {
        switch self {
        case .cancel, .applyTheme: true
        default: false
        }
    }

    /// The operation an effect belongs to.
    var operationID: OperationID? {
        switch self {
        case .listUsers(let id, _, _, _), .fetchUsers(let id, _), .createUser(let id, _, _, _), .updateUser(let id, _, _, _, _),
             .deleteUser(let id, _), .restoreUser(let id, _), .loadHistory(let id, _), .rollBack(let id, _, _, _),
             .hashPassword(let id, _, _), .generatePassword(let id, _), .readKeyFile(let id, _), .testLogin(let id, _), .explainAccess(let id, _, _),
             .cancel(let id):
            id
        case .applyTheme, .updateListingCache:
            nil
        }
    }
}

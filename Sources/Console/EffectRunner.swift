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
    let argon2: Argon2Parameters
    let inbox: EventInbox
    private let tasks = Mutex<[OperationID: Task<Void, Never>]>([:])
    var store: any SecretStore { directory.store }

    init(directory: UserDirectory, handler: IdentityProviderHandler, argon2: Argon2Parameters = .default, inbox: EventInbox) {
        self.directory = directory
        self.handler = handler
        self.argon2 = argon2
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

    /// Does the work of one effect and returns its result event; nil for effects that are not work (cancel, theme).
    func perform(_ effect: Effect) async -> ConsoleEvent? {
        guard let id = effect.operationID, !effect.isControl else { return nil }
        do {
            switch effect {
            case .listUsers(_, let prefix, let token, let includeDeleted):
                return .usersListed(id, try await store.listSecrets(prefix: prefix, pageSize: 100, nextToken: token, includeDeleted: includeDeleted))
            case .fetchUsers(_, let names):
                let values = try await store.getSecrets(names: names)
                return .usersFetched(id, FetchedUser.all(values, naming: directory.naming, serverID: directory.serverID, now: Date()))
            case .createSecret(_, let name, let value, let context):
                let version = try await store.createSecret(name: name, value: value, context: context)
                await handler.cache.invalidate(name: name)
                return .written(id, SecretValue(version: version, string: value))
            case .putSecret(_, let name, let value, let replacing, let context):
                do {
                    let version = try await store.putSecret(name: name, value: value, replacing: replacing, context: context)
                    await handler.cache.invalidate(name: name)
                    return .written(id, SecretValue(version: version, string: value))
                } catch let error as SecretStoreError where error.isConflict {
                    return .writeConflict(id, theirs: try? await store.getSecret(name: name, version: .current))
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
            case .deleteSecret(_, let name, let context):
                let date = try await store.deleteSecret(name: name, recoveryWindowDays: 30, forceWithoutRecovery: false, context: context)
                await handler.cache.invalidate(name: name)
                return .deleted(id, removalDate: date)
            case .restoreSecret(_, let name, let context):
                try await store.restoreSecret(name: name, context: context)
                await handler.cache.invalidate(name: name)
                return .restored(id, try? await store.getSecret(name: name, version: .current))
            case .loadHistory(_, let username):
                return .historyLoaded(id, try await directory.history(username))
            case .hashPassword(_, let password):
                return .passwordHashed(id, hash: try PasswordHasher.hash(password.value, parameters: argon2))
            case .generatePassword:
                let password = try PasswordGenerator.generate()
                return .passwordGenerated(id, password: SecretText(password), hash: try PasswordHasher.hash(password, parameters: argon2))
            case .readKeyFile(_, let path):
                return .keyFileRead(id, try readKeyFile(path))
            case .testLogin(_, let request):
                return .loginDecided(id, await handler.decide(request))
            case .cancel, .applyTheme:
                return nil
            }
        } catch let error as SecretStoreError {
            return .failed(id, error.message)
        } catch let error as KeyFileError {
            return .failed(id, error.message)
        } catch is CancellationError {
            return .failed(id, "cancelled")
        } catch {
            return .failed(id, "\(error)")
        }
    }
}

/// A key file that cannot be read: the message names the path and the reason.
struct KeyFileError: Error {
    var message: String
}

/// Reads a public key file, `~` expanded; refuses private keys and files too large to be a key list.
func readKeyFile(_ path: String, home: String? = ProcessInfo.processInfo.environment["HOME"]) throws -> String {
    var expanded = path
    if path == "~" || path.hasPrefix("~/"), let home {
        expanded = home + path.dropFirst()
    }
    let url = URL(fileURLWithPath: expanded)
    let attributes: [FileAttributeKey: Any]
    do {
        attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    } catch {
        throw KeyFileError(message: "\(path): no such file")
    }
    if let size = (attributes[.size] as? NSNumber)?.intValue, size > 256 * 1024 {
        throw KeyFileError(message: "\(path): \(size) bytes is too large for a public key file")
    }
    guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
        throw KeyFileError(message: "\(path): cannot be read as UTF-8 text")
    }
    if text.contains("PRIVATE KEY") {
        throw KeyFileError(message: "\(path) is a PRIVATE key: give the .pub file, and never share the private key")
    }
    return text
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
        case .listUsers(let id, _, _, _), .fetchUsers(let id, _), .createSecret(let id, _, _, _), .putSecret(let id, _, _, _, _),
             .deleteSecret(let id, _, _), .restoreSecret(let id, _, _), .loadHistory(let id, _), .rollBack(let id, _, _, _),
             .hashPassword(let id, _), .generatePassword(let id), .readKeyFile(let id, _), .testLogin(let id, _), .cancel(let id):
            id
        case .applyTheme:
            nil
        }
    }
}

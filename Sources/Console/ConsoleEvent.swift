import AccessAnalysis
import Foundation
import IdentityProvider
import SecretStore
import TerminalUI
import UserManagement

/// Something that happened: a key, a resize, a clock tick, or the result of an ``Effect``.
public enum ConsoleEvent: Sendable {
    case started
    case key(Key)
    case paste(String)
    case resize(TerminalSize)
    case tick(Date)
    /// A page of the listing, with the users the listing cache summarised at their listed version, by secret name.
    case usersListed(OperationID, SecretPage, cached: [String: FetchedUser] = [:])
    /// A batch of users read and summarised, by secret name.
    case usersFetched(OperationID, [String: FetchedUser])
    /// A create, put or promote finished: the new current value.
    case written(OperationID, SecretValue)
    /// A put found another current version: `theirs` is that version, when it could be read.
    case writeConflict(OperationID, theirs: SecretValue?)
    case deleted(OperationID, removalDate: Date)
    case restored(OperationID, SecretValue?)
    case historyLoaded(OperationID, [UserVersion])
    case passwordHashed(OperationID, hash: String)
    case passwordGenerated(OperationID, password: SecretText, hash: String)
    case keyFileRead(OperationID, String)
    case loginDecided(OperationID, LoginOutcome)
    case accessExplained(OperationID, AccessReport)
    /// Any effect that failed: the message names what failed, never a secret value.
    case failed(OperationID, String)
    /// Esc cancelled the work before its result came (never a write: a sent write is always waited for).
    case cancelled(OperationID)
}

extension ConsoleEvent {
    /// The work this event is the result of; nil for input and clock events.
    var operationID: OperationID? {
        switch self {
        case .usersListed(let id, _, _), .usersFetched(let id, _), .written(let id, _), .writeConflict(let id, _), .deleted(let id, _),
             .restored(let id, _), .historyLoaded(let id, _), .passwordHashed(let id, _), .passwordGenerated(let id, _, _),
             .keyFileRead(let id, _), .loginDecided(let id, _), .accessExplained(let id, _), .failed(let id, _), .cancelled(let id):
            id
        case .started, .key, .paste, .resize, .tick:
            nil
        }
    }

    /// Why the work did not finish (its failure, or `cancelled`); nil for a result.
    var failure: String? {
        switch self {
        case .failed(_, let message): message
        case .cancelled: "cancelled"
        default: nil
        }
    }
}

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
    case usersListed(OperationID, SecretPage)
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
}

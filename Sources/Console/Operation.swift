import Foundation

/// Identifies one piece of work running off the UI loop; its result event carries the same id.
public struct OperationID: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public var description: String { "#\(rawValue)" }
}

/// Work in flight, shown with a spinner and its elapsed time; Esc cancels the newest one.
struct Operation: Sendable, Hashable {
    /// What the work is: whether it writes or runs in the background, and what the status line says when the
    /// screen that asked is gone.
    enum Purpose: Sendable, Hashable {
        case listing
        case fetching
        case saveEdit
        case savePassword
        case saveKeys
        case createUser
        case resolveConflict
        case delete
        case restore
        case history
        case rollback
        case hashPassword
        case generatePassword
        case readKeyFile
        case testLogin
        case explainAccess
    }

    var id: OperationID
    var purpose: Purpose
    var label: String
    var startedAt: Date
    /// The user the work is about, when it is about one.
    var subject: String?
    /// The screen that asked for the work, nil for the user list: its result goes back to that screen while it is
    /// open, else to the status line.
    var origin: ScreenID?
    /// Background work (listing, fetching) does not block the screen and is not cancelled by Esc.
    var isBackground: Bool { purpose == .listing || purpose == .fetching }

    /// A write sent to the store: the store may commit it at any moment, so it is never cancelled or reported as
    /// cancelled; the screen waits for its answer.
    var isWrite: Bool {
        switch purpose {
        case .saveEdit, .savePassword, .saveKeys, .createUser, .resolveConflict, .delete, .restore, .rollback: true
        case .listing, .fetching, .history, .hashPassword, .generatePassword, .readKeyFile, .testLogin, .explainAccess: false
        }
    }
}

/// A password or other secret text: its description never shows the value.
public struct SecretText: Sendable, Hashable, CustomStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "(secret, \(value.count) characters)" }
}

/// A failure of a secret store, with a message for people that never contains a secret value.
public struct SecretStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, in a form callers can branch on.
    public enum Kind: Sendable, Hashable {
        /// No such secret, or no such version of it.
        case notFound
        /// A secret with that name exists already (possibly scheduled for deletion).
        case alreadyExists
        /// The current version is not the one the write meant to replace.
        case conflict(expectedVersionID: String, actualVersionID: String)
        /// The secret is scheduled for deletion; restore it first.
        case markedForDeletion
        /// The request itself is invalid (bad name, value too large, bad recovery window, ...).
        case invalidRequest
        /// The caller is not allowed to do this, or the credentials are missing or wrong.
        case accessDenied
        /// The store could not be reached or answered with a server error; retrying later may work.
        case unavailable
        /// The stored data cannot be read: wrong key, corrupt file, tampered ciphertext.
        case corrupt
    }

    public var kind: Kind
    /// The secret the failure is about, when there is one.
    public var secretName: String?
    /// A one-sentence explanation naming what failed and why.
    public var message: String

    public init(_ kind: Kind, secretName: String? = nil, message: String) {
        self.kind = kind
        self.secretName = secretName
        self.message = message
    }

    public var description: String { message }

    /// True for ``Kind/conflict``.
    public var isConflict: Bool {
        if case .conflict = kind { return true }
        return false
    }
}

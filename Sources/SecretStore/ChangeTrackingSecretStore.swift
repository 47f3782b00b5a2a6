/// A store that can tell, far more cheaply than a read, whether anything in it may have changed since an
/// earlier moment: what was read from it can then be kept and reused for as long as its token stays the same.
///
/// The identity provider keeps each user's parsed secret under the token it read before the secret, so an
/// edit made anywhere (this process, the CLI, the console, another writer of the same store) is seen by the
/// very next login. Stores that cannot promise this (the AWS store) do not conform.
public protocol ChangeTrackingSecretStore: SecretStore {
    /// A token that differs from every earlier one whenever any secret of the store may have changed since,
    /// whoever changed it. Read it BEFORE reading what it is to guard: an equal token later then means that
    /// nothing was committed in between. A token may also change when nothing did (that only costs a read).
    func changeToken() throws -> SecretStoreChangeToken
}

/// An opaque moment in a store's history, compared for equality only.
public struct SecretStoreChangeToken: Sendable, Hashable {
    /// The store's own counter; meaningful only to the store that made it.
    public let counter: Int64

    public init(counter: Int64) {
        self.counter = counter
    }
}

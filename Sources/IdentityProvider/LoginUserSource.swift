import IdentityModel
import SecretStore
import Synchronization

/// Where logins get their users.
///
/// Over a ``ChangeTrackingSecretStore`` (the embedded store) each user is read, parsed and prepared once per
/// secret version and protocol, and kept under the store's change token read BEFORE the secret: a login whose
/// token is still the same uses what was kept without reading the store; any write anywhere changes the token,
/// and the next login reads the secret again (reusing the parsed user when its text is unchanged). So an edit
/// by any process is seen by the very next login, and a changed row always goes through the store's checks.
///
/// Other stores are read through the ``SecretCache`` (its time-to-live, zero by default) and every login
/// prepares its user afresh.
final class LoginUserSource: Sendable {
    private struct Key: Hashable {
        var name: String
        var transferProtocol: TransferProtocol
    }

    private struct Entry: Sendable {
        /// The store's token read before the secret.
        var token: SecretStoreChangeToken
        /// The secret text the lookup was made from; `nil` when there was none.
        var secretString: String?
        var lookup: UserLookup
    }

    let secrets: SecretCache
    private let tracking: (any ChangeTrackingSecretStore)?
    private let capacity: Int
    private let entries = Mutex<[Key: Entry]>([:])

    /// Users of `secrets`' store; kept per version when that store tracks changes, at most `capacity` of them.
    init(secrets: SecretCache, capacity: Int) {
        self.secrets = secrets
        self.tracking = secrets.store as? any ChangeTrackingSecretStore
        self.capacity = max(1, capacity)
    }

    /// Whether users are kept between logins (the store tracks changes).
    var keepsUsers: Bool { tracking != nil }

    /// How many users (per protocol) are kept now.
    var count: Int { entries.withLock { $0.count } }

    /// The user stored as `name`, prepared for `transferProtocol`. Store failures are thrown and never kept.
    func lookup(name: String, transferProtocol: TransferProtocol) async throws -> UserLookup {
        guard let tracking else {
            return Self.prepare(try await secrets.lookup(name: name), name: name, transferProtocol: transferProtocol)
        }
        let key = Key(name: name, transferProtocol: transferProtocol)
        let token = try tracking.changeToken()
        let kept = entries.withLock { $0[key] }
        if let kept, kept.token == token {
            return kept.lookup
        }
        let read = try await SecretCache.read(name, from: tracking)
        let secretString: String? = if case .found(let text) = read { text } else { nil }
        let lookup: UserLookup
        if let kept, let secretString, kept.secretString == secretString {
            lookup = kept.lookup
        } else {
            lookup = Self.prepare(read, name: name, transferProtocol: transferProtocol)
        }
        entries.withLock { entries in
            if entries[key] == nil, entries.count >= capacity {
                entries.removeAll(keepingCapacity: true)
            }
            entries[key] = Entry(token: token, secretString: secretString, lookup: lookup)
        }
        return lookup
    }

    /// Forgets every kept user.
    func removeAll() {
        entries.withLock { $0.removeAll() }
    }

    private static func prepare(_ read: SecretCache.Lookup, name: String, transferProtocol: TransferProtocol) -> UserLookup {
        switch read {
        case .found(let text):
            do throws(UserSecretError) {
                let secret = try UserSecret(secretString: text)
                return .found(PreparedLogin(user: SFTPUser(secret: secret), secretName: name, transferProtocol: transferProtocol))
            } catch {
                return .unreadable(error.reason)
            }
        case .notFound:
            return .notFound
        case .refusedName(let why):
            return .refusedName(why)
        }
    }
}

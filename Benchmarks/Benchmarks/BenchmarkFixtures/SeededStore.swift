import EmbeddedStore
import Foundation
import SecretStore

/// An embedded store in a temporary directory holding `userCount` user secrets of realistic size, and a
/// cursor that walks the users in a scattered order. Used by one benchmark at a time.
public final class SeededStore {
    public let directory: String
    public let store: EmbeddedSecretStore
    public let userCount: Int
    /// The current version id of each user, kept up to date by ``putNext()``.
    private var currentVersions: [String] = []
    private var cursor = 0

    public init(userCount: Int) async throws {
        self.userCount = userCount
        directory = NSTemporaryDirectory() + "sftpidp-bench-" + UUID().uuidString
        store = try EmbeddedSecretStore.open(databasePath: directory + "/secrets.db", keyPath: directory + "/master.key", createIfMissing: true)
        let context = WriteContext(action: "benchmark.seed", actor: "benchmark")
        for start in stride(from: 0, to: userCount, by: 5_000) {
            let batch = (start..<min(start + 5_000, userCount)).map { (name: Self.name(of: $0), value: Self.secretJSON(user: $0)) }
            currentVersions += try await store.createSecrets(batch, context: context).map(\.versionID)
        }
    }

    /// The next user to touch: a stride through all users that is coprime to the count, so reads hit the whole file.
    private func nextUser() -> Int {
        cursor = (cursor + 7_919) % userCount
        return cursor
    }

    /// Reads the current value of the next user.
    public func getNext() async throws -> SecretValue {
        try await store.getSecret(name: Self.name(of: nextUser()), version: .current)
    }

    /// Writes a new current version of the next user.
    public func putNext() async throws -> SecretVersionInfo {
        let user = nextUser()
        let info = try await store.putSecret(name: Self.name(of: user), value: Self.secretJSON(user: user, revision: cursor),
                                             replacing: currentVersions[user], context: Self.putContext)
        currentVersions[user] = info.versionID
        return info
    }

    private static let putContext = WriteContext(action: "benchmark.put", actor: "benchmark", changedFields: ["PasswordHash"])

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    public static func name(of user: Int) -> String {
        String(format: "SFTP/user%06d", user)
    }

    /// A user secret as the CLI writes it: role, home mapping, an argon2id hash and one ssh key (about 500 bytes).
    public static func secretJSON(user: Int, revision: Int = 0) -> String {
        """
        {"Role":"arn:aws:iam::123456789012:role/sftp-user","HomeDirectoryType":"LOGICAL",\
        "HomeDirectoryDetails":"[{\\"Entry\\":\\"/\\",\\"Target\\":\\"/bucket/user\(user)\\"}]",\
        "PasswordHash":"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$\(revision)q9oCk2yGHEd0VJFuWBb6LP2g5VWFcIu7v0GVL0Ms3A",\
        "PublicKey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user\(user)@example.com",\
        "AcceptedIpNetwork":"10.0.0.0/8,192.168.0.0/16"}
        """
    }
}

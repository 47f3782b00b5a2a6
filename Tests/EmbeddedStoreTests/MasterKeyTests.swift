import EmbeddedStore
import Foundation
import PeerTesting
import SecretStore
import Testing

@Suite("Master key")
struct MasterKeyTests {
    @Test("a new store creates its key 0600 and its directories 0700, and the store file 0600")
    func createdPrivate() async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        _ = try await store.createSecret(name: "SFTP/a", value: "v", context: testContext)
        #expect(try temporary.mode(of: temporary.keyPath) == 0o600)
        #expect(try temporary.mode(of: temporary.directory + "/config") == 0o700)
        #expect(try temporary.mode(of: temporary.directory + "/data") == 0o700)
        #expect(try temporary.mode(of: temporary.databasePath) == 0o600)
        #expect(try temporary.mode(of: temporary.databasePath + "-wal") == 0o600)
        let keyText = try String(contentsOfFile: temporary.keyPath, encoding: .utf8)
        #expect(Data(base64Encoded: keyText.trimmingCharacters(in: .newlines))?.count == 32)
    }

    @Test("a key that group or others can read is refused, with the chmod fix", arguments: [0o640, 0o604, 0o644, 0o660])
    func readableKeyRefused(mode: Int) async throws {
        let temporary = try TemporaryStore()
        try temporary.open().close()
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: temporary.keyPath)
        let error = #expect(throws: SecretStoreError.self) { try temporary.open() }
        #expect(error?.kind == .accessDenied)
        #expect(error?.message.contains("chmod 600 \(temporary.keyPath)") == true, "message: \(error?.message ?? "")")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary.keyPath)
        _ = try temporary.open()
    }

    @Test("a symlink to a valid key file is refused, not followed, and no key is made in its place")
    func symlinkRefused() async throws {
        let temporary = try TemporaryStore()
        try temporary.open().close()
        let realKey = temporary.directory + "/real.key"
        try FileManager.default.moveItem(atPath: temporary.keyPath, toPath: realKey)
        try FileManager.default.createSymbolicLink(atPath: temporary.keyPath, withDestinationPath: realKey)
        let error = #expect(throws: SecretStoreError.self) { try temporary.open() }
        #expect(error?.kind == .accessDenied)
        #expect(error?.message.contains("the master key file \(temporary.keyPath) is a symbolic link") == true, "message: \(error?.message ?? "")")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: temporary.keyPath) == realKey)
    }

    @Test("a dangling symlink where a new store's key would go is refused, not written through")
    func danglingSymlinkRefused() throws {
        let temporary = try TemporaryStore()
        let target = temporary.directory + "/elsewhere.key"
        try FileManager.default.createDirectory(atPath: temporary.directory + "/config", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: temporary.keyPath, withDestinationPath: target)
        let error = #expect(throws: SecretStoreError.self) { try temporary.open() }
        #expect(error?.message.contains("is a symbolic link") == true, "message: \(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: target), "a key was written through the symlink")
        #expect(!FileManager.default.fileExists(atPath: temporary.databasePath))
    }

    @Test("a FIFO or a directory in place of the key file is refused without blocking", arguments: ["fifo", "directory"])
    func notARegularFile(kind: String) throws {
        let temporary = try TemporaryStore()
        try temporary.open().close()
        try FileManager.default.removeItem(atPath: temporary.keyPath)
        if kind == "fifo" {
            #expect(mkfifo(temporary.keyPath, 0o600) == 0)
        } else {
            #expect(mkdir(temporary.keyPath, 0o700) == 0)
        }
        let error = #expect(throws: SecretStoreError.self) { try temporary.open() }
        #expect(error?.kind == .accessDenied)
        let expected = kind == "fifo" ? "is not a regular file (it is a FIFO)" : "is not a regular file (it is a directory)"
        #expect(error?.message.contains("the master key file \(temporary.keyPath) \(expected)") == true, "message: \(error?.message ?? "")")
    }

    @Test("a key file owned by another user is refused, with the chown fix", .needsRoot("needs root to chown"))
    func otherOwnerRefused() throws {
        try PeerRequirements.requireRoot("needs root to chown")
        let temporary = try TemporaryStore()
        try temporary.open().close()
        let nobody: uid_t = 65_534
        #expect(chown(temporary.keyPath, nobody, gid_t(nobody)) == 0)
        let error = #expect(throws: SecretStoreError.self) { try temporary.open() }
        #expect(error?.kind == .accessDenied)
        #expect(error?.message.contains("the master key file \(temporary.keyPath) is owned by uid 65534, not by the user running sftpidp (uid 0)") == true,
                "message: \(error?.message ?? "")")
        #expect(chown(temporary.keyPath, 0, 0) == 0)
        _ = try temporary.open()
    }

    @Test("a key file larger than any key file is refused without reading it all")
    func hugeKeyFile() throws {
        let temporary = try TemporaryStore()
        try FileManager.default.createDirectory(atPath: temporary.directory + "/config", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: temporary.keyPath, contents: Data(repeating: 0x41, count: 1 << 20), attributes: [.posixPermissions: 0o600]))
        let error = #expect(throws: SecretStoreError.self) { try temporary.open() }
        #expect(error?.kind == .corrupt)
        #expect(error?.message.contains("is larger than 4096 bytes") == true, "message: \(error?.message ?? "")")
    }

    @Test("a key file that holds no 256-bit key is refused clearly", arguments: ["", "not base64 at all!\n", "c2hvcnQ=\n", String(repeating: "A", count: 88)])
    func garbageKey(content: String) throws {
        let temporary = try TemporaryStore()
        try FileManager.default.createDirectory(atPath: temporary.directory + "/config", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: temporary.keyPath, contents: Data(content.utf8), attributes: [.posixPermissions: 0o600]))
        let error = #expect(throws: SecretStoreError.self) { try temporary.open() }
        #expect(error?.kind == .corrupt)
        #expect(error?.message.contains("does not hold a 256-bit key") == true, "message: \(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: temporary.databasePath), "a store was created with an unusable key")
    }

    @Test("a store opened with another key fails clearly and nothing is written")
    func wrongKey() async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        _ = try await store.createSecret(name: "SFTP/a", value: "v", context: testContext)
        try store.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: temporary.databasePath))
        let walBefore = FileManager.default.contents(atPath: temporary.databasePath + "-wal")
        let otherKey = temporary.directory + "/other.key"
        let keyLine = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString() + "\n"
        #expect(FileManager.default.createFile(atPath: otherKey, contents: Data(keyLine.utf8), attributes: [.posixPermissions: 0o600]))
        let error = #expect(throws: SecretStoreError.self) {
            try EmbeddedSecretStore.open(databasePath: temporary.databasePath, keyPath: otherKey, createIfMissing: true)
        }
        #expect(error?.kind == .corrupt)
        #expect(error?.message.contains("the master key at \(otherKey) does not decrypt this store") == true, "message: \(error?.message ?? "")")
        #expect(try Data(contentsOf: URL(fileURLWithPath: temporary.databasePath)) == before, "the store file changed during a refused open")
        let walAfter = FileManager.default.contents(atPath: temporary.databasePath + "-wal")
        #expect((walAfter ?? Data()) == (walBefore ?? Data()), "the -wal file changed during a refused open: \(walBefore?.count ?? -1) -> \(walAfter?.count ?? -1) bytes")
        let reopened = try temporary.open()
        #expect(try await reopened.getSecret(name: "SFTP/a", version: .current).string == "v")
    }

    @Test("an existing store whose key file is missing is not given a new key")
    func missingKeyForExistingStore() async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        _ = try await store.createSecret(name: "SFTP/a", value: "v", context: testContext)
        try store.close()
        try FileManager.default.removeItem(atPath: temporary.keyPath)
        let error = #expect(throws: SecretStoreError.self) { try temporary.open() }
        #expect(error?.message.contains("master key file \(temporary.keyPath) does not") == true, "message: \(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: temporary.keyPath), "a new key was made for an existing store")
    }

    @Test("opening a missing store without createIfMissing says how to create one and creates nothing")
    func missingStore() throws {
        let temporary = try TemporaryStore()
        let error = #expect(throws: SecretStoreError.self) {
            try EmbeddedSecretStore.open(databasePath: temporary.databasePath, keyPath: temporary.keyPath, createIfMissing: false)
        }
        #expect(error?.kind == .notFound)
        #expect(error?.message.contains("sftpidp store init") == true)
        #expect(!FileManager.default.fileExists(atPath: temporary.keyPath))
        #expect(!FileManager.default.fileExists(atPath: temporary.databasePath))
    }

    @Test("two stores created at once on the same paths share one key")
    func concurrentCreation() async throws {
        let temporary = try TemporaryStore()
        let stores = try await withThrowingTaskGroup(of: EmbeddedSecretStore.self) { group in
            for _ in 0..<4 {
                group.addTask { try temporary.open() }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        _ = try await stores[0].createSecret(name: "SFTP/shared", value: "one key", context: testContext)
        for store in stores {
            #expect(try await store.getSecret(name: "SFTP/shared", version: .current).string == "one key")
        }
    }
}

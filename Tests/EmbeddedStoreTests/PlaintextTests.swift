import EmbeddedStore
import Foundation
import SecretStore
import Testing

@Suite("Nothing in the clear")
struct PlaintextTests {
    /// Recognisable strings as a user secret would hold them: a legacy password, a password hash, a key comment.
    let markers = ["Plain-Passw0rd-MARKER-7731", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$HASHMARKER", "PRIVATE-COMMENT-MARKER-4410"]

    var secretJSON: String {
        #"{"Password":"\#(markers[0])","PasswordHash":"\#(markers[1])","PublicKey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl \#(markers[2])"}"#
    }

    @Test("no secret value can be found in the raw file bytes, the -wal file or a sqlite3 dump")
    func noPlaintext() async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        let first = try await store.createSecret(name: "SFTP/marked", value: secretJSON, context: WriteContext(action: "users.create", actor: "admin", changedFields: ["Password", "PasswordHash"]))
        _ = try await store.putSecret(name: "SFTP/marked", value: secretJSON + " ", replacing: first.versionID, context: testContext)
        // While open, the new pages sit in the -wal file.
        let live = try temporary.rawBytes()
        #expect(FileManager.default.fileExists(atPath: temporary.databasePath + "-wal"))
        #expect(live.contains("SFTP/marked"), "the probe must see the name, or it is not reading the data")
        for marker in markers {
            #expect(!live.contains(marker), "a secret value appears in the raw store bytes")
            #expect(!live.contains(String(marker.prefix(12))), "part of a secret value appears in the raw store bytes")
        }
        try store.close()
        let dump = try SQLiteShell.run(temporary.databasePath, ".dump")
        #expect(dump.contains("SFTP/marked") && dump.contains("INSERT INTO audit"))
        for marker in markers {
            #expect(!dump.contains(marker), "a secret value appears in the sqlite3 dump")
        }
        let closed = try temporary.rawBytes()
        for marker in markers {
            #expect(!closed.contains(marker), "a secret value appears in the checkpointed store file")
        }
    }

    @Test("errors and audit entries never carry the value")
    func errorsWithoutValues() async throws {
        let temporary = try TemporaryStore()
        let store = try temporary.open()
        let info = try await store.createSecret(name: "SFTP/quiet", value: secretJSON, context: testContext)
        let conflict = await #expect(throws: SecretStoreError.self) {
            try await store.putSecret(name: "SFTP/quiet", value: secretJSON, replacing: "stale", context: testContext)
        }
        let tooBig = await #expect(throws: SecretStoreError.self) {
            try await store.putSecret(name: "SFTP/quiet", value: secretJSON + String(repeating: " ", count: 70_000), replacing: info.versionID, context: testContext)
        }
        let audit = try await store.auditTrail(secretName: nil, limit: 10)
        let texts = [String(describing: conflict), String(describing: tooBig), String(describing: audit)]
        for text in texts {
            for marker in markers {
                #expect(!text.contains(marker))
            }
        }
    }
}

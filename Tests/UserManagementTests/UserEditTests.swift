import Foundation
import IdentityModel
import SecretStore
import SecretStoreTesting
import TerminalText
import Testing
@testable import UserManagement

@Suite struct UserEditTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
    static let hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"

    static func user(_ members: [String: String]) -> SFTPUser {
        SFTPUser(secret: UserSecret(members: members.merging(["Role": role]) { old, _ in old }.mapValues(JSONValue.string)))
    }

    @Test func aNewPasswordReplacesEveryPasswordKey() throws {
        let user = Self.user(["Password": "a", "SFTPPassword": "b", "FTPSPasswordHash": "c", "FTPPassword": "d"])
        let edited = try [UserEdit.setPassword(hash: Self.hash)].applied(to: user)
        #expect(edited.secret.members.keys.filter(SecretKey.isPasswordVariant) == ["PasswordHash"])
        for transferProtocol in [nil] + TransferProtocol.allCases {
            #expect(edited.storedPassword(for: transferProtocol) == .hash(Self.hash))
        }
        let cleared = try [UserEdit.clearPassword].applied(to: user)
        #expect(cleared.secret.members.keys.filter(SecretKey.isPasswordVariant).isEmpty)
    }

    @Test(arguments: ["Password", "PasswordHash", "SFTPPassword", "FTPSPasswordHash"])
    func rawPasswordWritesAreRefused(key: String) throws {
        #expect(throws: FieldError.self) { try EditInput.assignment("\(key)=secret-value") }
        do {
            _ = try [UserEdit.setRawValue(key: key, value: "secret-value")].applied(to: Self.user([:]))
            Issue.record("a raw write of \(key) was accepted")
        } catch {
            #expect(error.description.contains("--password-stdin") && !error.description.contains("secret-value"))
        }
    }

    @Test(arguments: [
        [UserEdit.clearPassword, .setPassword(hash: hash)],
        [.clearPassword, .removeRawKey("SFTPPassword")],
        [.setDisabled(true), .setDisabled(false)],
        [.setRole(role), .setRawValue(key: "Role", value: role)],
        [.replaceKeys([]), .removeKey(fingerprint: "SHA256:x")],
        [.setRawValue(key: "Note", value: "a"), .removeRawKey("Note")],
        [.setHome(.path("/a")), .setRawValue(key: "HomeDirectoryDetails", value: "[]")],
    ])
    func clashingEditsAreAnError(edits: [UserEdit]) {
        #expect(throws: UserEditError.self) { try edits.checkCombination() }
    }

    @Test func addingAndRemovingKeysCombine() throws {
        #expect(throws: Never.self) { try [UserEdit.removeKey(fingerprint: "a"), .removeKey(fingerprint: "b"), .addKeys([])].checkCombination() }
    }

    @Test func expiryHasOneSyntax() throws {
        #expect(try EditInput.expiry("") == nil)
        #expect(try EditInput.expiry(" never ") == nil)
        #expect(try EditInput.expiry("NEVER") == nil)
        #expect(try EditInput.expiry("2026-12-31") == ISODate.parse("2026-12-31"))
        #expect(throws: FieldError.self) { try EditInput.expiry("tomorrow") }
    }

    @Test func posixProfileReadsTheSameInBothForms() throws {
        #expect(try EditInput.posixProfile("1000:100:5,6") == EditInput.posixProfile(uid: "1000", gid: "100", secondaryGids: "5, 6"))
        #expect(try EditInput.posixProfile("") == nil)
        #expect(try EditInput.posixProfile(uid: " ", gid: "", secondaryGids: "") == nil)
        for bad in ["1000", "a:b", "1:2:3:4", "1:2:x"] {
            #expect(throws: FieldError.self) { try EditInput.posixProfile(bad) }
        }
    }

    @Test func tildeIsExpandedInOnePlace() {
        #expect(EditInput.expandingTilde(in: "~/.ssh/id.pub", home: "/home/a") == "/home/a/.ssh/id.pub")
        #expect(EditInput.expandingTilde(in: "~", home: "/home/a") == "/home/a")
        #expect(EditInput.expandingTilde(in: "~bob/x", home: "/home/a") == "~bob/x")
        #expect(EditInput.expandingTilde(in: "/abs/~/x", home: "/home/a") == "/abs/~/x")
    }

    @Test func passwordOnStandardInputIsOneNonEmptyLine() throws {
        #expect(try EditInput.password(standardInput: Data("pw\n".utf8)) == "pw")
        #expect(try EditInput.password(standardInput: Data("pw\r\n".utf8)) == "pw")
        for bad in ["", "\n", "a\nb\n", String(repeating: "x", count: 1025)] {
            #expect(throws: FieldError.self) { try EditInput.password(standardInput: Data(bad.utf8)) }
        }
    }

    @Test func keyFilesAreCappedAndPrivateKeysRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sftpidp-edit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let privateKey = directory.appendingPathComponent("id")
        try "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n".write(to: privateKey, atomically: true, encoding: .utf8)
        let large = directory.appendingPathComponent("big.pub")
        try String(repeating: "#\n", count: EditInput.maximumKeyFileBytes).write(to: large, atomically: true, encoding: .utf8)
        #expect(throws: FieldError.self) { try EditInput.keyFileText(privateKey.path) }
        #expect(throws: FieldError.self) { try EditInput.keyFileText(large.path) }
        #expect(throws: FieldError.self) { try EditInput.keyFileText(directory.appendingPathComponent("none.pub").path) }
    }

    @Test func updateWritesOnlyChangedKeysAndDetectsConflicts() async throws {
        let store = InMemorySecretStore()
        let directory = UserDirectory(store: store, naming: .sftpPrefix, serverID: nil, recoveryWindowDays: 7)
        try await directory.create("jess", edits: [.setRole(Self.role), .setRawValue(key: "CostCentre", value: "42")], action: "test")
        let first = try await directory.load("jess")
        let result = try await directory.update(first, edits: [.setComment("moved"), .setRole(Self.role)], action: "test")
        #expect(result.changedKeys == [SecretKey.comment])
        let unchanged = try await directory.update("jess", edits: [.setComment("moved")], action: "test")
        #expect(unchanged.written == nil)
        await #expect(throws: SecretStoreError.self) { try await directory.update(first, edits: [.setComment("stale")], action: "test") }
        await #expect(throws: UserEditError.self) { try await directory.update("jess", edits: [.setRole(nil)], action: "test") }
        await #expect(throws: UserEditError.self) { try await directory.create("-bad", edits: [.setRole(Self.role)], action: "test") }
        let removal = try await directory.delete("jess", action: "test")
        let days = removal.timeIntervalSinceNow / 86_400
        #expect(days > 6.9 && days <= 7.01, "the recovery window comes from the directory's setting")
    }

    @Test func redactionHidesEverySecretLookingKey() {
        for key in ["Password", "SFTPPassword", "FTPSPasswordHash", "DbCredential", "ApiToken", "PrivateKeyPem", "ClientSecret", "api_key", "SessionCookie"] {
            #expect(SecretRedaction.looksSecret(key), "\(key)")
        }
        for key in ["Note", "CostCentre", "PublicKey", "Role", "HomeDirectory"] {
            #expect(!SecretRedaction.looksSecret(key), "\(key)")
        }
        let secret = UserSecret(members: ["DbCredential": .string("s3cr3t"), "Note": .string("hello")])
        #expect(SecretRedaction.displayValue(of: "DbCredential", in: secret) == SecretRedaction.hidden)
        #expect(SecretRedaction.displayValue(of: "Note", in: secret) == "hello")
    }

    @Test func descriptionListsPerProtocolCredentialsAndHidesSecrets() throws {
        let user = Self.user(["SFTPPassword": "plain-s3cr3t", "ApiToken": "s3cr3t", "Note": "visible"])
        let description = UserDescription(username: "jess", secretName: "SFTP/jess", version: nil, content: .user(user.secret), now: Date(), argon2: .default)
        let text = description.text
        #expect(text.contains("SFTP only") && text.contains("password: legacy plain text"))
        #expect(text.contains("ApiToken = (hidden)") && text.contains("Note = visible"))
        #expect(!text.contains("s3cr3t"))
    }

    @Test("an argon2 hash costlier than the configured cost is flagged with its parameters, never its text")
    func descriptionFlagsHashesCostlierThanConfigured() throws {
        let hash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g"
        let user = Self.user(["PasswordHash": hash])
        func passwordRow(_ argon2: Argon2Parameters) -> UserDescription.Row? {
            UserDescription(username: "jess", secretName: "SFTP/jess", version: nil, content: .user(user.secret), now: Date(), argon2: argon2)
                .rows.first { $0.label == "Password" }
        }
        let flagged = try #require(passwordRow(.default))
        #expect(flagged.value == "argon2id (m=65536,t=3,p=4): costs more than the configured m=19456,t=2,p=1, so logins refuse it; "
            + "set a new password or raise SFTPIDP_ARGON2")
        #expect(flagged.tone == .warning)
        #expect(!flagged.value.contains("c2FsdHNhbHQ"))
        let accepted = try #require(passwordRow(try Argon2Parameters(setting: "m=65536,t=3,p=1")))
        #expect(accepted.value == "argon2id" && accepted.tone == .normal)
    }

    @Test func terminalTextNeutralisesControlsAndBidi() {
        #expect(TerminalText.neutralised("a\u{1B}]0;x\u{07}b") == #"a\u{1B}]0;x\u{7}b"#)
        #expect(TerminalText.neutralised("l1\nl2\tc") == "l1\nl2\tc")
        #expect(TerminalText.neutralised("l1\nl2", keepingLayout: false) == #"l1\u{A}l2"#)
        #expect(TerminalText.neutralised("\u{202E}\u{2066}\u{9B}\u{7F}") == #"\u{202E}\u{2066}\u{9B}\u{7F}"#)
        #expect(TerminalText.neutralised("\u{202E}", escape: .json) == #"\u202E"#)
        #expect(TerminalText.neutralised("héllo 世界") == "héllo 世界")
    }
}

import Foundation
import IdentityModel
import SecretStore
import SecretStoreTesting
import Testing
@testable import UserManagement

@Suite struct UserDirectoryTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"

    func secret(_ members: [String: JSONValue]) -> UserSecret {
        UserSecret(members: members)
    }

    @Test func listsOnlyUsersOfItsSchemeAndServer() async throws {
        let store = InMemorySecretStore()
        let context = WriteContext(action: "test", actor: "tester")
        for name in ["SFTP/jess", "SFTP/bob", "s-0123456789abcdef0/carol", "SFTP/nested/name", "other"] {
            try await store.createSecret(name: name, value: "{}", context: context)
        }
        let sftp = UserDirectory(store: store, naming: .sftpPrefix, serverID: nil)
        #expect(try await sftp.listUsers().map(\.username) == ["bob", "jess"])
        let server = UserDirectory(store: store, naming: .serverPrefix, serverID: "s-0123456789abcdef0")
        #expect(try await server.listUsers().map(\.username) == ["carol"])
    }

    @Test func saveRecordsChangedKeysAndRefusesStaleVersions() async throws {
        let store = InMemorySecretStore()
        let directory = UserDirectory(store: store, naming: .sftpPrefix, serverID: nil)
        try await directory.create("jess", secret: secret(["Role": .string(Self.role), "CostCentre": .string("42")]), action: "test.create")
        let first = try await directory.load("jess")
        var edited = try first.secret.get()
        edited["HomeDirectory"] = .string("/bucket/jess")
        try await directory.save(edited, over: first, action: "test.update")

        let audit = try await store.auditTrail(secretName: "SFTP/jess", limit: 10)
        #expect(audit.first?.changedFields == ["HomeDirectory"])
        #expect(audit.last?.changedFields == ["CostCentre", "Role"])

        // A second save based on the old read is a conflict, and changes nothing.
        var stale = try first.secret.get()
        stale["Role"] = .string("arn:aws:iam::012345678901:role/Other")
        await #expect(throws: SecretStoreError.self) { try await directory.save(stale, over: first, action: "test.update") }
        let current = try await directory.load("jess")
        #expect(try current.secret.get()["HomeDirectory"] == .string("/bucket/jess"))
        #expect(try current.secret.get()["Role"] == .string(Self.role))
    }

    @Test func historyNamesTheKeysEachVersionChanged() async throws {
        let store = InMemorySecretStore()
        let directory = UserDirectory(store: store, naming: .sftpPrefix, serverID: nil)
        try await directory.create("jess", secret: secret(["Role": .string(Self.role)]), action: "test")
        var user = try await directory.load("jess")
        try await directory.save(secret(["Role": .string(Self.role), "HomeDirectory": .string("/b/j")]), over: user, action: "test")
        user = try await directory.load("jess")
        try await directory.save(secret(["Role": .string(Self.role), "HomeDirectory": .string("/b/k"), "Policy": .string("{}")]), over: user, action: "test")
        let history = try await directory.history("jess")
        #expect(history.map(\.changedKeys) == [["HomeDirectory", "Policy"], ["HomeDirectory"], ["Role"]])

        let current = try await directory.load("jess")
        try await directory.rollback("jess", to: history[2].version.versionID, replacing: current.value.versionID, action: "test")
        #expect(try await directory.load("jess").secret.get() == secret(["Role": .string(Self.role)]))
    }

    @Test func overviewsListBrokenSecretsWithTheReasonAndFlagLegacyPasswords() async throws {
        let store = InMemorySecretStore()
        let context = WriteContext(action: "test", actor: "tester")
        try await store.createSecret(name: "SFTP/broken", value: "not json", context: context)
        try await store.createSecret(name: "SFTP/array", value: "[1,2]", context: context)
        try await store.createSecret(name: "SFTP/legacy", value: #"{"Password":"pw","Role":"\#(Self.role)","HomeDirectory":"/b/l"}"#, context: context)
        try await store.createSecret(name: "SFTP/badrole", value: #"{"Role":"nope"}"#, context: context)
        try await store.createSecret(name: "SFTP/gone", value: #"{"Role":"\#(Self.role)"}"#, context: context)
        try await store.deleteSecret(name: "SFTP/gone", recoveryWindowDays: 7, forceWithoutRecovery: false, context: context)

        let directory = UserDirectory(store: store, naming: .sftpPrefix, serverID: nil)
        let overviews = try await directory.overviews(includeDeleted: true)
        let byName = Dictionary(uniqueKeysWithValues: overviews.map { ($0.username, $0) })
        #expect(overviews.map(\.username) == ["array", "badrole", "broken", "gone", "legacy"])
        #expect(byName["broken"]?.flags == [.invalidSecret])
        #expect(byName["broken"]?.problems.first?.contains("not JSON") == true)
        #expect(byName["array"]?.problems.first?.contains("array") == true)
        #expect(byName["badrole"]?.flags == [.invalidSecret])
        #expect(byName["badrole"]?.problems.contains { $0.hasPrefix("Role:") } == true)
        #expect(byName["legacy"]?.flags == [.legacyPassword])
        #expect(byName["legacy"]?.authenticationSummary == "legacy plain text")
        #expect(byName["gone"]?.authenticationSummary == "no password")
        #expect(byName["legacy"]?.roleShortName == "AWSTransferAccessRole")
        #expect(byName["legacy"]?.home.text == "/b/l")
        #expect(byName["gone"]?.flags == [.deleted])
    }

    @Test func overviewsFlagDisabledAndExpiredUsers() async throws {
        let store = InMemorySecretStore()
        let directory = UserDirectory(store: store, naming: .sftpPrefix, serverID: nil)
        try await directory.create("off", secret: secret(["Role": .string(Self.role), SecretKey.disabled: .bool(true)]), action: "test")
        try await directory.create("old", secret: secret(["Role": .string(Self.role), SecretKey.expiresAt: .string("2020-01-01")]), action: "test")
        let overviews = try await directory.overviews()
        #expect(overviews.first { $0.username == "off" }?.flags == [.disabled])
        #expect(overviews.first { $0.username == "old" }?.flags == [.expired])
    }

    @Test func aStoreFailureForOneUserDoesNotHideTheOthers() async throws {
        let store = InMemorySecretStore()
        let directory = UserDirectory(store: store, naming: .sftpPrefix, serverID: nil)
        try await directory.create("jess", secret: secret(["Role": .string(Self.role)]), action: "test")
        let overview = UserOverview(username: "bob", loadError: SecretStoreError(.accessDenied, secretName: "SFTP/bob", message: "access denied to SFTP/bob"))
        #expect(overview.flags == [.invalidSecret])
        #expect(overview.problems == ["access denied to SFTP/bob"])
        #expect(overview.matches("BOB"))
        #expect(!overview.matches("jess"))
    }

    /// The list's role column: what follows the first `:role/`, or the whole text when there is none.
    @Test(arguments: [
        ("arn:aws:iam::012345678901:role/AWSTransferAccessRole", "AWSTransferAccessRole"),
        ("arn:aws-cn:iam::012345678901:role/service/Uploader", "service/Uploader"),
        ("arn:aws:iam::012345678901:user/jess", "arn:aws:iam::012345678901:user/jess"),
        (":role:role/Inner", "Inner"),
        ("rôle:role/Été", "Été"),
        ("ends with:role/", ""),
        ("no colon at all", "no colon at all"),
        (":", ":"),
    ])
    func roleShortName(role: String, shown: String) {
        let overview = UserOverview(username: "u", passwordKind: nil, publicKeyCount: 0, role: role, home: .path(nil), flags: [],
                                    problems: [], lastChangedAt: nil)
        #expect(overview.roleShortName == shown)
    }
}

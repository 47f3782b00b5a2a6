import Foundation
import IdentityModel
import SecretStore
import SecretStoreTesting
import Testing
@testable import Console

/// Past ``UserListState/heldValueLimit`` users, a listing keeps columns and not values, so a large store fits in
/// memory; a user past the limit is read when selected, and edits work on that fresh value.
@Suite("Console: values held for the first users only")
struct HeldValueLimitTests {
    static let userCount = UserListState.heldValueLimit + 5

    static func largeStore() async throws -> InMemorySecretStore {
        let store = InMemorySecretStore(displayName: "in-memory test store")
        let context = WriteContext(action: "test.seed", actor: "test")
        for user in 0..<userCount {
            _ = try await store.createSecret(name: String(format: "SFTP/user%05d", user),
                                             value: Fixtures.user(home: String(format: "/bucket/home/user%05d", user)), context: context)
        }
        return store
    }

    @Test("the first users keep their values, the rest only their columns; the last user is read when selected and can be edited")
    func valuesPastTheLimitAreReadWhenSelected() async throws {
        let store = try await Self.largeStore()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        let records = driver.state.list.records
        #expect(records.count == Self.userCount)
        #expect(records.prefix(UserListState.heldValueLimit).allSatisfy { $0.value != nil })
        #expect(records.dropFirst(UserListState.heldValueLimit).allSatisfy { $0.value == nil && $0.load == .summarised })
        // Every column is known without the value.
        #expect(records.allSatisfy { $0.summary.home.hasPrefix("/bucket/home/user") && $0.summary.role == "sftp-access" })

        // Another tool changes the last user after the listing: selecting it reads the value the store holds now.
        let last = String(format: "user%05d", Self.userCount - 1)
        let current = try await store.getSecret(name: "SFTP/" + last, version: .current)
        _ = try await store.putSecret(name: "SFTP/" + last, value: Fixtures.user(home: "/bucket/moved/" + last), replacing: current.versionID,
                                      context: WriteContext(action: "test.other", actor: "other"))
        await driver.press(.character("G"))
        let selected = try #require(driver.state.list.selectedRecord)
        #expect(selected.username == last)
        #expect(selected.value != nil)
        #expect(driver.screen.contains("/bucket/moved/" + last))

        await driver.press(.character("e"))
        #expect(driver.screen.contains("Edit " + last))
        await driver.press(.control("u"))
        await driver.type("arn:aws:iam::123456789012:role/uploaders")
        await driver.press(.control("s"))
        #expect(driver.state.topModal == nil)
        let saved = try UserSecret(secretString: try await store.getSecret(name: "SFTP/" + last, version: .current).string)
        #expect(saved["Role"] == .string("arn:aws:iam::123456789012:role/uploaders"))
        #expect(saved["HomeDirectory"] == .string("/bucket/moved/" + last))
    }
}

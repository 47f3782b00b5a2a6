import Foundation
import SecretStore
import SecretStoreTesting
import TerminalUI
import Testing
@testable import Console

/// `--read-only` against every key a terminal can send, on every screen a write starts from.
///
/// The write keys are not listed by hand: each key is pressed, on each screen, followed by what completes a write
/// (the typed name of a delete, `g` to generate a password or change a field, Ctrl-S, `y`, Enter); the keys that
/// then write in normal mode are the write keys. In read-only mode the same presses must write nothing, and each
/// write key must be refused with the read-only message. A key bound tomorrow is covered without editing this test.
@Suite("read-only mode refuses every write key")
struct ReadOnlyKeysTests {
    /// Every key the console can receive: printable ASCII, Ctrl with a letter, the named keys and F1-F12.
    static let allKeys: [Key] = (0x20...0x7E).map { Key.character(Character(UnicodeScalar($0)!)) }
        + "abcdefghijklmnopqrstuvwxyz".map { Key.control($0) }
        + [.enter, .escape, .tab, .backTab, .backspace, .delete, .up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .insert]
        + (1...12).map { Key.function($0) }

    /// The screens a write starts from, each reached from the started console.
    enum Place: String, CaseIterable, CustomStringConvertible {
        case list, details, deletedUser, history, keysEditor
        var description: String { rawValue }
    }

    /// The fixture store, plus: bob has a second version (history can roll back) and a public key (the keys editor
    /// can remove it); dave is deleted and restorable.
    static func store(publicKey: String) async throws -> InMemorySecretStore {
        let store = try await Fixtures.store()
        let context = WriteContext(action: "test.seed", actor: "test")
        let bob = try await store.getSecret(name: "SFTP/bob", version: .current)
        _ = try await store.putSecret(
            name: "SFTP/bob", value: Fixtures.user(home: "/bucket/home/bob", extra: ["PublicKey": "\"\(publicKey)\""]),
            replacing: bob.versionID, context: context)
        _ = try await store.deleteSecret(name: "SFTP/dave", recoveryWindowDays: 7, forceWithoutRecovery: false, context: context)
        return store
    }

    /// A started console, at `place`, with bob (or the deleted dave) selected.
    static func driver(readOnly: Bool, at place: Place, publicKey: String) async throws -> ConsoleDriver {
        let driver = ConsoleDriver(store: try await store(publicKey: publicKey), readOnly: readOnly)
        await driver.start()
        driver.state.list.select(username: "bob")
        switch place {
        case .list: break
        case .details: await driver.press(.enter)
        case .deletedUser:
            await driver.press(.character("D"))
            driver.state.list.select(username: "dave")
        case .history: await driver.press(.character("h"), .down)
        case .keysEditor: await driver.press(.character("K"))
        }
        return driver
    }

    /// What pressing `key` at `place` led to.
    struct Outcome {
        var writes: [Effect]
        var refused: Bool
    }

    /// Presses `key`, then, when it opened a screen or dialog, what completes a write there.
    static func press(_ key: Key, at place: Place, readOnly: Bool, publicKey: String) async throws -> Outcome {
        let driver = try await driver(readOnly: readOnly, at: place, publicKey: publicKey)
        #expect(driver.effects.allSatisfy { !$0.isWrite }, "reaching \(place) wrote")
        let modalsBefore = driver.state.modals.count
        await driver.press(key)
        let refused = driver.screen.contains("Read-only mode")
        if driver.state.modals.count != modalsBefore {
            if case .confirm(let confirm)? = driver.state.topModal, let name = confirm.typedConfirmation {
                await driver.type(name)
                await driver.press(.enter)
            } else {
                await driver.press(.character("g"), .control("s"), .character("y"), .enter)
            }
        }
        return Outcome(writes: driver.effects.filter(\.isWrite), refused: refused)
    }

    @Test("every key that writes in normal mode is refused in read-only mode, and no key writes there", arguments: Place.allCases)
    func everyWriteKeyIsRefused(at place: Place) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let publicKey = try generateKey(comment: "bob@laptop", in: directory).line
        var writeKeys: [Key] = []
        for key in Self.allKeys {
            let normal = try await Self.press(key, at: place, readOnly: false, publicKey: publicKey)
            if !normal.writes.isEmpty { writeKeys.append(key) }
            let readOnly = try await Self.press(key, at: place, readOnly: true, publicKey: publicKey)
            #expect(readOnly.writes.isEmpty, "\(key) at \(place) wrote in read-only mode: \(readOnly.writes)")
            if !normal.writes.isEmpty {
                #expect(readOnly.refused, "\(key) at \(place) writes in normal mode but is not refused in read-only mode")
            }
        }
        // The presses reach real writes: every screen here has at least one write key.
        #expect(!writeKeys.isEmpty, "no key writes at \(place): the completing presses no longer reach a write")
    }

    @Test("read-only mode shows it and hides the write keys from the key bar")
    func readOnlyChrome() async throws {
        let driver = ConsoleDriver(store: try await Fixtures.store(), readOnly: true)
        await driver.start()
        #expect(driver.screen.contains("READ-ONLY"))
        #expect(!driver.screen.contains("edit"))
        #expect(try await driver.store.listVersions(name: "SFTP/alice").count == 1)
    }
}

extension Effect {
    /// True for the effects that write to the store. A new effect must be classified here (no `default:`).
    var isWrite: Bool {
        switch self {
        case .createUser, .updateUser, .deleteUser, .restoreUser, .rollBack: true
        case .listUsers, .fetchUsers, .loadHistory, .hashPassword, .generatePassword, .readKeyFile, .testLogin, .explainAccess, .cancel, .applyTheme, .updateListingCache: false
        }
    }
}

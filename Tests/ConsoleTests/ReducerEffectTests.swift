import Foundation
import IdentityModel
import IdentityProvider
import SecretStore
import TerminalUI
import Testing
import UserManagement
@testable import Console

/// The reducer driven event by event with no store and no runner: each step asserts the exact effects the event asks
/// for, and results are fed back by hand, so every step of a flow is checked on its own.
@Suite("Reducer: the effects each event asks for")
struct ReducerEffectTests {
    static let size = TerminalSize(rows: 30, columns: 100)
    static let newRole = "arn:aws:iam::123456789012:role/uploaders"

    /// Sends one event and returns the effects it asked for.
    static func send(_ event: ConsoleEvent, _ state: inout ConsoleState) -> [Effect] {
        reduce(state: &state, event: event)
    }

    /// Alice's editor with a new role typed, before the save.
    static func editedAlice() -> ConsoleState {
        var state = SnapshotScenes.loaded(size: size)
        #expect(SnapshotScenes.press([.character("e"), .control("u")], &state).isEmpty)
        SnapshotScenes.typing(newRole, &state)
        return state
    }

    /// Opens the test panel on alice, types a password and asks: the test login's id.
    static func askTestLogin(_ state: inout ConsoleState) -> OperationID? {
        _ = SnapshotScenes.press([.character("t")], &state)
        SnapshotScenes.typing("pw", &state)
        guard case .testLogin(let id, _)? = send(.key(.enter), &state).first else { return nil }
        return id
    }

    /// Opens alice's password dialog and types the same password twice: the effects of the last Enter.
    static func typePasswordTwice(_ state: inout ConsoleState) -> [Effect] {
        _ = SnapshotScenes.press([.character("p"), .character("s")], &state)
        SnapshotScenes.typing("a long enough password", &state)
        #expect(send(.key(.tab), &state).isEmpty)
        SnapshotScenes.typing("a long enough password", &state)
        return send(.key(.enter), &state)
    }

    /// The one update effect a save asked for, with its id.
    static func update(_ effects: [Effect]) -> (id: OperationID, username: String, base: String, edits: [UserEdit], action: String)? {
        guard effects.count == 1, case .updateUser(let id, let username, let base, let edits, let action) = effects[0] else { return nil }
        return (id, username, base.versionID, edits, action)
    }

    @Test("opening a user's editor asks for nothing; the save asks for one update of the opened version; the result closes that editor")
    func editAndSave() throws {
        var state = Self.editedAlice()
        guard case .editor? = state.topModal else {
            Issue.record("e did not open the editor")
            return
        }
        let editorScreen = state.topScreenID
        let save = try #require(Self.update(Self.send(.key(.control("s")), &state)))
        #expect(save.username == "alice" && save.base == "v1-alice-0000000000" && save.action == "console.edit")
        // The form's fields as edits; the directory writes only what differs from the base version.
        #expect(save.edits == [
            .setRole(Self.newRole), .setHome(.path("/bucket/home/alice")), .setPolicy(""), .setNetworks([]), .setPosixProfile(nil),
            .setDisabled(false), .setExpiry(nil), .setComment("Finance uploads"),
        ])
        let operation = try #require(state.operations[save.id])
        #expect(operation.origin == editorScreen && operation.subject == "alice" && operation.isWrite)
        #expect(operation.startedAt == SnapshotScenes.now)

        let written = SnapshotScenes.value("alice", SnapshotScenes.users[0].1.replacingOccurrences(of: SnapshotScenes.role, with: Self.newRole), version: "v2")
        #expect(Self.send(.written(save.id, written), &state).isEmpty)
        #expect(state.modals.isEmpty && state.operations.isEmpty)
        #expect(state.message?.text == "Saved alice (new version)")
        #expect(state.list.record(named: "alice")?.value?.versionID == "v2-alice-0000000000")
    }

    @Test("a save conflict opens the conflict over the editor that saved; merge asks for one update of their version; the result closes both")
    func saveConflict() throws {
        var state = Self.editedAlice()
        let editorScreen = state.topScreenID
        let save = try #require(Self.update(Self.send(.key(.control("s")), &state)))
        let theirs = SnapshotScenes.value("alice", SnapshotScenes.users[0].1.replacingOccurrences(of: "Finance uploads", with: "Theirs"), version: "v2")
        #expect(Self.send(.writeConflict(save.id, theirs: theirs), &state).isEmpty)
        guard case .conflict(let conflict)? = state.topModal else {
            Issue.record("the conflict did not open")
            return
        }
        #expect(conflict.editorScreen == editorScreen)
        #expect(state.modals.count == 2)

        let merge = try #require(Self.update(Self.send(.key(.character("a")), &state)))
        #expect(merge.username == "alice" && merge.base == "v2-alice-0000000000" && merge.action == "console.edit.merge")
        #expect(merge.edits.map(\.name) == [UserEdit.copyValues(keys: ["Role"], from: conflict.merged).name])
        #expect(state.operations[merge.id]?.origin == state.topScreenID)

        #expect(Self.send(.written(merge.id, theirs), &state).isEmpty)
        #expect(state.modals.isEmpty)
        #expect(state.message?.text == "Saved alice (new version)")
    }

    @Test("password set: typed twice asks for one hash; the hash asks for one update replacing the password; the result closes the dialog")
    func passwordSet() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        let hashing = Self.typePasswordTwice(&state)
        let dialogScreen = state.topScreenID
        guard hashing.count == 1, case .hashPassword(let hashID, let password) = hashing[0] else {
            Issue.record("expected one hashPassword effect, got \(hashing)")
            return
        }
        #expect(password.value == "a long enough password")
        #expect(state.operations[hashID]?.isWrite == false)

        let save = try #require(Self.update(Self.send(.passwordHashed(hashID, hash: SnapshotScenes.argon2Hash), &state)))
        #expect(save.username == "alice" && save.base == "v1-alice-0000000000" && save.action == "console.password")
        #expect(save.edits == [.setPassword(hash: SnapshotScenes.argon2Hash)])
        #expect(state.operations[save.id]?.origin == dialogScreen)

        #expect(Self.send(.written(save.id, SnapshotScenes.value("alice", SnapshotScenes.users[0].1, version: "v2")), &state).isEmpty)
        #expect(state.modals.isEmpty)
        #expect(state.message?.text == "Password of alice saved as an argon2id hash")
    }

    @Test("delete: the typed name asks for one delete of that user; the result removes it from the list")
    func delete() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        #expect(SnapshotScenes.press([.character("d")], &state).isEmpty)
        SnapshotScenes.typing("alice", &state)
        let effects = Self.send(.key(.enter), &state)
        guard effects.count == 1, case .deleteUser(let id, let username) = effects[0] else {
            Issue.record("expected one deleteUser effect, got \(effects)")
            return
        }
        #expect(username == "alice")
        #expect(state.operations[id]?.subject == "alice" && state.operations[id]?.isWrite == true)

        #expect(Self.send(.deleted(id, removalDate: SnapshotScenes.now), &state).isEmpty)
        #expect(state.list.record(named: "alice") == nil)
        #expect(state.message?.text.hasPrefix("Deleted alice.") == true)
    }

    @Test("test login: Enter asks for one login of the selected user; an allowed answer asks for the access explanation, from the same panel")
    func testLogin() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        #expect(SnapshotScenes.press([.character("t")], &state).isEmpty)
        let panelScreen = state.topScreenID
        SnapshotScenes.typing("pw", &state)
        let asked = Self.send(.key(.enter), &state)
        guard asked.count == 1, case .testLogin(let id, let request) = asked[0] else {
            Issue.record("expected one testLogin effect, got \(asked)")
            return
        }
        #expect(request.username == "alice" && request.password == "pw")
        #expect(state.operations[id]?.origin == panelScreen && state.operations[id]?.isWrite == false)

        let explaining = Self.send(.loginDecided(id, SnapshotScenes.allowedOutcome()), &state)
        guard explaining.count == 1, case .explainAccess(let explainID, let answer, let username) = explaining[0] else {
            Issue.record("expected one explainAccess effect, got \(explaining)")
            return
        }
        #expect(username == "alice" && answer.role == SnapshotScenes.role)
        #expect(state.operations[explainID]?.origin == panelScreen)
        guard case .testLogin(let panel)? = state.topModal else {
            Issue.record("the panel closed")
            return
        }
        #expect(panel.report?.isAllowed == true && !panel.isRunning)
    }

    @Test("Esc during a write asks for nothing and keeps it; Esc during a read cancels only that read", arguments: ["save", "password", "keys", "delete"])
    func escapeDuringWrite(_ write: String) throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        let effects: [Effect]
        switch write {
        case "save":
            state = Self.editedAlice()
            effects = Self.send(.key(.control("s")), &state)
        case "password":
            guard case .hashPassword(let hashID, _)? = Self.typePasswordTwice(&state).first else {
                Issue.record("no hash asked for")
                return
            }
            effects = Self.send(.passwordHashed(hashID, hash: SnapshotScenes.argon2Hash), &state)
        case "keys":
            _ = SnapshotScenes.press([.character("K"), .character("a")], &state)
            effects = Self.send(.paste(SnapshotScenes.ed25519Line(seed: 9, comment: "new")), &state) + Self.send(.key(.enter), &state)
        default:
            _ = SnapshotScenes.press([.character("d")], &state)
            SnapshotScenes.typing("alice", &state)
            effects = Self.send(.key(.enter), &state)
        }
        #expect(effects.count == 1, "\(effects)")
        let operations = state.operations
        let screens = state.modals.count
        #expect(operations.values.allSatisfy { $0.isWrite })

        #expect(Self.send(.key(.escape), &state).isEmpty)
        #expect(state.operations == operations)
        #expect(state.modals.count == screens)
        #expect(state.message?.text.contains("the write was sent and cannot be taken back") == true)
        #expect(state.message?.text.contains("Cancelled") == false)
    }

    @Test("Esc during a test login cancels that read: one cancel effect for its id, and the panel says cancelled")
    func escapeDuringRead() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        let id = try #require(Self.askTestLogin(&state))
        #expect(Self.send(.key(.escape), &state).map(\.description) == ["cancel(\(id))"])
        #expect(state.operations[id] == nil)
        guard case .testLogin(let panel)? = state.topModal else {
            Issue.record("the panel closed")
            return
        }
        #expect(panel.failure == "cancelled" && !panel.isRunning)
        // The answer of the cancelled read is dropped.
        #expect(Self.send(.loginDecided(id, SnapshotScenes.allowedOutcome()), &state).isEmpty)
        if case .testLogin(let after)? = state.topModal { #expect(after.report == nil) }
    }

    @Test("a result goes to the screen that asked even when another dialog is on top of it")
    func resultUnderAnotherDialog() throws {
        var state = Self.editedAlice()
        let save = try #require(Self.update(Self.send(.key(.control("s")), &state)))
        // Ctrl-C while the save is out asks whether to quit, on top of the editor.
        #expect(Self.send(.key(.control("c")), &state).isEmpty)
        guard case .confirm? = state.topModal else {
            Issue.record("no quit question")
            return
        }
        #expect(Self.send(.written(save.id, SnapshotScenes.value("alice", SnapshotScenes.users[0].1, version: "v2")), &state).isEmpty)
        // The editor under the question closed; the question stays, as the user was answering it.
        #expect(state.modals.count == 1)
        guard case .confirm(let confirm)? = state.topModal else {
            Issue.record("the quit question closed instead of the editor")
            return
        }
        #expect(confirm.action == .quit)
        #expect(state.message?.text == "Saved alice (new version)")
    }

    @Test("a result for a screen closed meanwhile never reaches another screen of the same kind")
    func resultForClosedScreen() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        let id = try #require(Self.askTestLogin(&state))
        state.popModal()
        _ = SnapshotScenes.press([.character("t")], &state)
        #expect(Self.send(.loginDecided(id, SnapshotScenes.allowedOutcome()), &state).isEmpty)
        guard case .testLogin(let second)? = state.topModal else {
            Issue.record("the second panel closed")
            return
        }
        #expect(second.report == nil && second.failure == nil)
    }

    @Test("the reducer reads no clock: time moves only with tick events")
    func clockComesInByTicks() throws {
        var state = Self.editedAlice()
        #expect(state.now == SnapshotScenes.now)
        let save = try #require(Self.update(Self.send(.key(.control("s")), &state)))
        #expect(state.operations[save.id]?.startedAt == SnapshotScenes.now)
        let later = SnapshotScenes.now.addingTimeInterval(90)
        #expect(Self.send(.tick(later), &state).isEmpty)
        #expect(state.now == later)
        _ = Self.send(.written(save.id, SnapshotScenes.value("alice", SnapshotScenes.users[0].1, version: "v2")), &state)
        #expect(state.message?.shownAt == later)
    }

    @Test("the delete question names the configured recovery window, not a fixed one", arguments: [7, 21, 30])
    func deleteNamesRecoveryWindow(_ days: Int) throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        state.context.recoveryWindowDays = days
        #expect(SnapshotScenes.press([.character("d")], &state).isEmpty)
        guard case .confirm(let confirm)? = state.topModal else {
            Issue.record("d did not ask")
            return
        }
        #expect(confirm.question.contains("restorable for \(days) days"))
        #expect(!confirm.question.contains("restorable for \(days == 30 ? 7 : 30) days"))
    }

    @Test("Ctrl-C while a password is only being hashed quits at once; once its save is sent, it asks first")
    func quitAsksOnlyDuringWrite() throws {
        var hashing = SnapshotScenes.loaded(size: Self.size)
        guard case .hashPassword(let hashID, _)? = Self.typePasswordTwice(&hashing).first else {
            Issue.record("the password was not sent for hashing")
            return
        }
        var quitting = hashing
        #expect(Self.send(.key(.control("c")), &quitting).isEmpty)
        #expect(quitting.shouldQuit)

        let save = try #require(Self.update(Self.send(.passwordHashed(hashID, hash: SnapshotScenes.argon2Hash), &hashing)))
        #expect(hashing.operations[save.id]?.isWrite == true)
        #expect(Self.send(.key(.control("c")), &hashing).isEmpty)
        #expect(!hashing.shouldQuit)
        guard case .confirm(let confirm)? = hashing.topModal, confirm.action == .quit else {
            Issue.record("Ctrl-C during the save did not ask")
            return
        }
        #expect(confirm.question == "A save is still running. Quit anyway?")
    }
}

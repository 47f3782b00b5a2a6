import Foundation
import IdentityModel
import IdentityProvider
import SecretStore
import TerminalUI
import Testing
@testable import UserManagement
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

    /// Opens the wizard and goes from the name `erin` to the review with the suggested answers (password generated).
    static func wizardAtReview(_ state: inout ConsoleState) {
        _ = SnapshotScenes.press([.character("n")], &state)
        SnapshotScenes.typing("erin", &state)
        #expect(SnapshotScenes.press([.enter, .control("s"), .enter, .control("s"), .control("s")], &state).isEmpty)
    }

    /// Opens alice's history and fills it with two versions: the current one and an older one.
    static func aliceHistory(_ state: inout ConsoleState) -> OperationID? {
        guard case .loadHistory(let id, "alice")? = send(.key(.character("h")), &state).first else { return nil }
        let versions = [
            UserVersion(version: SecretVersionInfo(name: "SFTP/alice", versionID: "v2-alice-0000000000", stages: [SecretVersionInfo.currentStage], createdAt: SnapshotScenes.now), changedKeys: ["Role"]),
            UserVersion(version: SecretVersionInfo(name: "SFTP/alice", versionID: "v1-alice-0000000000", stages: [], createdAt: SnapshotScenes.earlier), changedKeys: ["Role"]),
        ]
        #expect(send(.historyLoaded(id, versions), &state).isEmpty)
        return id
    }

    /// The wizard on top, if it is.
    static func wizard(_ state: ConsoleState) -> WizardState? {
        if case .wizard(let wizard)? = state.topModal { return wizard }
        return nil
    }

    /// The keys editor on top, if it is.
    static func keysEditor(_ state: ConsoleState) -> KeysEditorState? {
        if case .keys(let editor)? = state.topModal { return editor }
        return nil
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
        state.context.argon2 = .cheapForTests
        let hashing = Self.typePasswordTwice(&state)
        let dialogScreen = state.topScreenID
        guard hashing.count == 1, case .hashPassword(let hashID, let password, let cost) = hashing[0] else {
            Issue.record("expected one hashPassword effect, got \(hashing)")
            return
        }
        #expect(password.value == "a long enough password")
        #expect(cost == .cheapForTests, "the hash uses the console's configured cost")
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
            guard case .hashPassword(let hashID, _, _)? = Self.typePasswordTwice(&state).first else {
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
        guard case .hashPassword(let hashID, _, _)? = Self.typePasswordTwice(&hashing).first else {
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
    @Test("a key change goes back to the keys editor that asked: the written version is the one the next change starts from")
    func keysAdded() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        _ = SnapshotScenes.press([.character("K"), .character("a")], &state)
        let editorScreen = state.topScreenID
        let line = SnapshotScenes.ed25519Line(seed: 9, comment: "new")
        let save = try #require(Self.update(Self.send(.paste(line), &state) + Self.send(.key(.enter), &state)))
        #expect(save.username == "alice" && save.action == "console.keys.add" && save.edits.map(\.name) == ["adding keys"])
        #expect(state.operations[save.id]?.origin == editorScreen)

        let written = SnapshotScenes.users[0].1.replacingOccurrences(of: "alice@ci\"", with: "alice@ci,\(line)\"")
        #expect(Self.send(.written(save.id, SnapshotScenes.value("alice", written, version: "v2")), &state).isEmpty)
        let editor = try #require(Self.keysEditor(state))
        #expect(editor.base.versionID == "v2-alice-0000000000" && editor.keys.count == 3 && !editor.isAdding)
        #expect(state.message?.text == "Keys of alice saved")
    }

    @Test("a key file's text goes to the keys editor that asked for it, which writes it; its failure shows in the editor")
    func keyFileToKeysEditor() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        _ = SnapshotScenes.press([.character("K"), .character("a")], &state)
        SnapshotScenes.typing("~/new.pub", &state)
        let reading = Self.send(.key(.enter), &state)
        guard reading.count == 1, case .readKeyFile(let readID, "~/new.pub") = reading[0] else {
            Issue.record("expected one readKeyFile effect, got \(reading)")
            return
        }
        #expect(state.operations[readID]?.isWrite == false)
        var failing = state
        let save = try #require(Self.update(Self.send(.keyFileRead(readID, SnapshotScenes.ed25519Line(seed: 9, comment: "new")), &state)))
        #expect(save.action == "console.keys.add" && state.operations[save.id]?.origin == state.topScreenID)

        #expect(Self.send(.failed(readID, "~/new.pub: no such file"), &failing).isEmpty)
        #expect(Self.keysEditor(failing)?.error == "~/new.pub: no such file")
    }

    @Test("a key file's text goes to the wizard that asked for it: the key joins the new user's keys, nothing is written")
    func keyFileToWizard() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        _ = SnapshotScenes.press([.character("n")], &state)
        SnapshotScenes.typing("erin", &state)
        _ = SnapshotScenes.press([.enter, .tab, .tab, .tab], &state)
        SnapshotScenes.typing("~/erin.pub", &state)
        let reading = Self.send(.key(.enter), &state)
        guard reading.count == 1, case .readKeyFile(let readID, "~/erin.pub") = reading[0] else {
            Issue.record("expected one readKeyFile effect, got \(reading)")
            return
        }
        var failing = state
        #expect(Self.send(.keyFileRead(readID, SnapshotScenes.ed25519Line(seed: 9, comment: "erin")), &state).isEmpty)
        let wizard = try #require(Self.wizard(state))
        #expect(wizard.keys.map(\.comment) == ["erin"] && wizard.keyError == nil && wizard.authentication["key"].isEmpty)

        #expect(Self.send(.failed(readID, "~/erin.pub: no such file"), &failing).isEmpty)
        #expect(Self.wizard(failing)?.keyError == "~/erin.pub: no such file")
    }

    @Test("the wizard's own password: generated and hashed for the wizard (not a password dialog), then one create, then one test login")
    func wizardHashing() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        Self.wizardAtReview(&state)
        let wizardScreen = state.topScreenID
        let generating = Self.send(.key(.enter), &state)
        guard generating.count == 1, case .generatePassword(let generateID, Argon2Parameters.default) = generating[0] else {
            Issue.record("expected one generatePassword effect, got \(generating)")
            return
        }
        #expect(state.operations[generateID]?.origin == wizardScreen)
        var cancelled = state

        let created = Self.send(.passwordGenerated(generateID, password: SecretText("generated password"), hash: SnapshotScenes.argon2Hash), &state)
        guard created.count == 1, case .createUser(let createID, "erin", let edits, "console.onboard") = created[0] else {
            Issue.record("expected one createUser effect, got \(created)")
            return
        }
        #expect(edits.contains(.setPassword(hash: SnapshotScenes.argon2Hash)))
        #expect(state.operations[createID]?.origin == wizardScreen && state.operations[createID]?.isWrite == true)
        #expect(Self.wizard(state)?.password?.value == "generated password")

        let erin = SnapshotScenes.value("erin", "{\"Role\": \"\(SnapshotScenes.role)\", \"PasswordHash\": \"\(SnapshotScenes.argon2Hash)\"}")
        let testing = Self.send(.written(createID, erin), &state)
        guard testing.count == 1, case .testLogin(let testID, let request) = testing[0] else {
            Issue.record("expected one testLogin effect, got \(testing)")
            return
        }
        #expect(request.username == "erin" && request.password == "generated password")
        #expect(state.operations[testID]?.origin == wizardScreen)
        #expect(Self.wizard(state)?.step == .result && state.message?.text == "Created erin")
        #expect(state.list.record(named: "erin") != nil)

        // Esc while the password is hashed: the wizard lets the user create again, and forgets the generated password.
        #expect(Self.send(.key(.escape), &cancelled).map(\.description) == ["cancel(\(generateID))"])
        #expect(Self.wizard(cancelled)?.isCreating == false && Self.wizard(cancelled)?.password == nil)
        #expect(cancelled.message?.text == "Cancelled: Generating and hashing a password")
    }

    @Test("a key removal's answer reaches the keys editor under the quit question, which stays on top")
    func keysResultUnderQuestion() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        _ = SnapshotScenes.press([.character("K"), .character("d")], &state)
        let removal = try #require(Self.update(Self.send(.key(.character("y")), &state)))
        #expect(removal.action == "console.keys.remove")
        #expect(Self.send(.key(.control("c")), &state).isEmpty)
        let oneKey = SnapshotScenes.users[0].1.replacingOccurrences(of: SnapshotScenes.ed25519Line(seed: 1, comment: "alice@laptop") + ",", with: "")
        #expect(Self.send(.written(removal.id, SnapshotScenes.value("alice", oneKey, version: "v2")), &state).isEmpty)
        guard case .confirm(let confirm)? = state.topModal, confirm.action == .quit, state.modals.count == 2, case .keys(let editor) = state.modals[0] else {
            Issue.record("expected the quit question over the keys editor, got \(state.modals)")
            return
        }
        #expect(editor.keys.count == 1 && editor.base.versionID == "v2-alice-0000000000")
    }

    @Test("a rollback whose history screen was closed meanwhile is reported on the status line; the screen stays closed")
    func rollbackAfterHistoryClosed() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        _ = try #require(Self.aliceHistory(&state))
        _ = SnapshotScenes.press([.down, .character("r")], &state)
        let effects = Self.send(.key(.character("y")), &state)
        guard effects.count == 1, case .rollBack(let id, "alice", "v1-alice-0000000000", "v2-alice-0000000000") = effects[0] else {
            Issue.record("expected one rollBack effect, got \(effects)")
            return
        }
        #expect(Self.send(.key(.character("q")), &state).isEmpty)
        #expect(state.modals.isEmpty)
        #expect(Self.send(.written(id, SnapshotScenes.value("alice", SnapshotScenes.users[0].1, version: "v3")), &state).isEmpty)
        #expect(state.modals.isEmpty)
        #expect(state.message?.text == "Rolled back alice: that version is current again")
    }

    @Test("a failed history read whose screen was closed goes to the status line; on its open screen it stops the spinner")
    func historyReadFailed() throws {
        var closed = SnapshotScenes.loaded(size: Self.size)
        guard case .loadHistory(let id, _)? = Self.send(.key(.character("h")), &closed).first else {
            Issue.record("h did not read the history")
            return
        }
        var open = closed
        #expect(Self.send(.key(.character("q")), &closed).isEmpty)
        #expect(Self.send(.failed(id, "store unreachable"), &closed).isEmpty)
        #expect(closed.modals.isEmpty && closed.message?.text == "Reading the history of alice failed: store unreachable")

        #expect(Self.send(.failed(id, "store unreachable"), &open).isEmpty)
        guard case .history(let history)? = open.topModal else {
            Issue.record("the history screen closed")
            return
        }
        #expect(!history.isLoading && open.message?.text == "Reading the history of alice failed: store unreachable")
    }

    @Test("a conflict while resolving a conflict shows their newest version, and the next merge writes onto it")
    func conflictAgain() throws {
        var state = Self.editedAlice()
        let save = try #require(Self.update(Self.send(.key(.control("s")), &state)))
        let theirs = SnapshotScenes.value("alice", SnapshotScenes.users[0].1.replacingOccurrences(of: "Finance uploads", with: "Theirs"), version: "v2")
        _ = Self.send(.writeConflict(save.id, theirs: theirs), &state)
        let merge = try #require(Self.update(Self.send(.key(.character("a")), &state)))
        let newest = SnapshotScenes.value("alice", SnapshotScenes.users[0].1.replacingOccurrences(of: "Finance uploads", with: "Newest"), version: "v3")
        #expect(Self.send(.writeConflict(merge.id, theirs: newest), &state).isEmpty)
        guard case .conflict(let conflict)? = state.topModal, state.modals.count == 2 else {
            Issue.record("the conflict screen closed")
            return
        }
        #expect(conflict.theirs.versionID == "v3-alice-0000000000")
        #expect(state.list.record(named: "alice")?.value?.versionID == "v3-alice-0000000000")
        let again = try #require(Self.update(Self.send(.key(.character("a")), &state)))
        #expect(again.base == "v3-alice-0000000000")
    }

    @Test("a password save that conflicts puts the dialog back on the choice, based on their version")
    func passwordConflict() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        guard case .hashPassword(let hashID, _, _)? = Self.typePasswordTwice(&state).first else {
            Issue.record("no hash asked for")
            return
        }
        let save = try #require(Self.update(Self.send(.passwordHashed(hashID, hash: SnapshotScenes.argon2Hash), &state)))
        let theirs = SnapshotScenes.value("alice", SnapshotScenes.users[0].1, version: "v2")
        #expect(Self.send(.writeConflict(save.id, theirs: theirs), &state).isEmpty)
        guard case .password(let dialog)? = state.topModal else {
            Issue.record("the password dialog closed")
            return
        }
        #expect(dialog.step == .choose && dialog.base.versionID == "v2-alice-0000000000")
        #expect(state.message?.text == "Someone else changed this user meanwhile; reloaded their version. Please repeat your change.")
    }
}

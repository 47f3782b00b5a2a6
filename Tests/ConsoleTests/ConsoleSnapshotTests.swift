import Foundation
import SecretStore
import SnapshotTesting
import Testing
import TerminalUI
@testable import UserManagement
@testable import Console

/// Every screen at 80x24 and 120x40, as plain text and with style roles, against committed text snapshots.
@Suite("Console screen snapshots")
struct ConsoleSnapshotTests {
    enum Screen: String, CaseIterable, Sendable {
        case list, filtered, detail, help, editor, editorErrors, passwordMenu, passwordTyping, keys, testLoginAllowed, testLoginDenied,
             wizardName, wizardHome, wizardReview, history, confirmDelete, conflict, readOnly, tooSmall,
             testLoginInvalid, testLoginStale, conflictFullValues
    }

    static let sizes = [TerminalSize(rows: 24, columns: 80), TerminalSize(rows: 40, columns: 120)]

    @Test("screen snapshots", arguments: Screen.allCases, sizes)
    func snapshot(screen: Screen, size: TerminalSize) {
        let state = Self.state(for: screen, size: size)
        var canvas = Canvas(size: state.size)
        render(state, into: &canvas)
        let name = "\(screen.rawValue)-\(size.columns)x\(size.rows)"
        assertSnapshot(of: canvas.text, as: .lines, named: name, testName: "screen")
        assertSnapshot(of: canvas.styledText, as: .lines, named: name + "-styled", testName: "screen")
    }

    @Test("the help cuts no action at 80 columns: a long one wraps under itself")
    func helpWrapsLongActions() {
        let state = Self.state(for: .help, size: TerminalSize(rows: 24, columns: 80))
        var actions: [String] = []
        var previousRole: StyleRole?
        for (key, action, role) in helpLines(state) {
            defer { previousRole = role }
            guard role == .value else { continue }
            // 80 columns less the frame (4), the indent (2) and the key column (34).
            #expect(displayWidth(action) <= 40, "\(action)")
            if key.isEmpty && previousRole == .value { actions[actions.count - 1] += " " + action } else { actions.append(action) }
        }
        let expected = helpSections.flatMap(\.keys).map(\.1)
        #expect(Array(actions.suffix(expected.count)) == expected)
    }

    static func state(for screen: Screen, size: TerminalSize) -> ConsoleState {
        var state = SnapshotScenes.loaded(size: size, readOnly: screen == .readOnly)
        switch screen {
        case .list, .readOnly:
            break
        case .filtered:
            _ = SnapshotScenes.press([.character("/")], &state)
            SnapshotScenes.typing("o", &state)
        case .detail:
            _ = SnapshotScenes.press([.character("j"), .enter], &state)
        case .help:
            _ = SnapshotScenes.press([.character("?")], &state)
        case .editor:
            _ = SnapshotScenes.press([.character("j"), .character("e")], &state)
        case .editorErrors:
            _ = SnapshotScenes.press([.character("e"), .control("u")], &state)
            SnapshotScenes.typing("arn:aws:iam::12:role/x", &state)
            _ = SnapshotScenes.press([.down, .down, .down, .down], &state)
            SnapshotScenes.typing("10.0.0.0/33", &state)
            _ = SnapshotScenes.press([.control("s")], &state)
        case .passwordMenu:
            _ = SnapshotScenes.press([.character("p")], &state)
        case .passwordTyping:
            _ = SnapshotScenes.press([.character("p"), .character("s")], &state)
            SnapshotScenes.typing("secret", &state)
        case .keys:
            _ = SnapshotScenes.press([.character("K")], &state)
        case .testLoginAllowed, .testLoginDenied, .testLoginStale:
            _ = SnapshotScenes.press([.character("t")], &state)
            SnapshotScenes.typing("typed", &state)
            let effects = SnapshotScenes.press([.control("s")], &state)
            if case .testLogin(let id, _)? = effects.first {
                _ = reduce(state: &state, event: .loginDecided(id, screen == .testLoginDenied ? SnapshotScenes.deniedOutcome() : SnapshotScenes.allowedOutcome()))
            }
            if screen == .testLoginStale {
                _ = SnapshotScenes.press([.tab, .tab, .backspace], &state)
            }
        case .testLoginInvalid:
            // Source IP: a network, not an address; server id: upper-case hex. Both messages, nothing asked.
            _ = SnapshotScenes.press([.character("t"), .tab, .tab], &state)
            SnapshotScenes.typing("/24", &state)
            _ = SnapshotScenes.press([.tab, .control("u")], &state)
            SnapshotScenes.typing("s-0123456789ABCDEF0", &state)
            _ = SnapshotScenes.press([.enter], &state)
        case .wizardName:
            _ = SnapshotScenes.press([.character("n")], &state)
            SnapshotScenes.typing("erin", &state)
        case .wizardHome, .wizardReview:
            _ = SnapshotScenes.press([.character("n")], &state)
            SnapshotScenes.typing("erin", &state)
            // Name → authentication (generate) → role (suggested) → home: LOGICAL with two Entry → Target rows.
            _ = SnapshotScenes.press([.enter, .control("s"), .enter, .character(" "), .tab, .tab], &state)
            _ = SnapshotScenes.press([.control("n")], &state)
            SnapshotScenes.typing("/reports", &state)
            _ = SnapshotScenes.press([.tab], &state)
            SnapshotScenes.typing("/bucket/reports/erin", &state)
            if screen == .wizardReview {
                _ = SnapshotScenes.press([.control("s"), .enter], &state)
            }
        case .history:
            let effects = SnapshotScenes.press([.character("h")], &state)
            if case .loadHistory(let id, _)? = effects.first {
                let versions = [
                    UserVersion(version: SecretVersionInfo(name: "SFTP/alice", versionID: "v3-alice-0000000000", stages: [SecretVersionInfo.currentStage], createdAt: SnapshotScenes.now), changedKeys: ["Role"]),
                    UserVersion(version: SecretVersionInfo(name: "SFTP/alice", versionID: "v2-alice-0000000000", stages: [SecretVersionInfo.previousStage], createdAt: SnapshotScenes.earlier), changedKeys: ["PasswordHash", "PublicKey"]),
                    UserVersion(version: SecretVersionInfo(name: "SFTP/alice", versionID: "v1-alice-0000000000", stages: [], createdAt: SnapshotScenes.earlier.addingTimeInterval(-86_400)), changedKeys: ["HomeDirectory", "Role"]),
                ]
                _ = reduce(state: &state, event: .historyLoaded(id, versions))
            }
        case .confirmDelete:
            _ = SnapshotScenes.press([.character("d")], &state)
            SnapshotScenes.typing("ali", &state)
        case .conflict, .conflictFullValues:
            _ = SnapshotScenes.press([.character("e"), .control("u")], &state)
            SnapshotScenes.typing("arn:aws:iam::123456789012:role/mine", &state)
            let effects = SnapshotScenes.press([.control("s")], &state)
            if case .updateUser(let id, _, _, _, _)? = effects.first {
                let theirs = SnapshotScenes.users[0].1.replacingOccurrences(of: "Finance uploads", with: "Moved to the new bucket")
                _ = reduce(state: &state, event: .writeConflict(id, theirs: SnapshotScenes.value("alice", theirs, version: "v2", at: SnapshotScenes.now)))
            }
            if screen == .conflictFullValues { _ = SnapshotScenes.press([.character("w")], &state) }
        case .tooSmall:
            _ = reduce(state: &state, event: .resize(TerminalSize(rows: size.rows / 2, columns: size.columns / 2)))
        }
        return state
    }
}

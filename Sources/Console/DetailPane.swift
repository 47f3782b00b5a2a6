import Foundation
import IdentityModel
import TerminalUI
import UserManagement

/// One line of the detail view: a label column and a value in a role.
struct DetailLine: Sendable, Hashable {
    var label: String
    var value: String
    var role: StyleRole = .value
}

/// Every field of a user, in reading order, as ``UserDescription`` gives it to `users show` too; secret values
/// (passwords, hashes, secret-looking keys) are never shown.
func detailLines(for record: UserRecord, now: Date, argon2: Argon2Parameters) -> [DetailLine] {
    let content: UserDescription.Content
    if let deletedAt = record.deletedAt {
        content = .deleted(deletedAt)
    } else if let secret = record.secret {
        content = .user(secret)
    } else if let problem = record.problem {
        content = .unreadable(problem)
    } else {
        content = .loading
    }
    let description = UserDescription(username: record.username, secretName: record.secretName, version: record.value?.version, lastChangedAt: record.lastChangedAt, content: content, now: now, argon2: argon2)
    return description.rows.map { DetailLine(label: $0.label, value: $0.value, role: $0.tone.styleRole) }
}

extension UserDescription.Tone {
    /// The theme role a row of this tone is drawn in.
    var styleRole: StyleRole {
        switch self {
        case .title: .title
        case .normal: .value
        case .dim: .dim
        case .success: .success
        case .warning: .warning
        case .error: .error
        }
    }
}

/// Draws detail lines in a rectangle, from `scroll` on.
func renderDetailLines(_ lines: [DetailLine], top: Int, left: Int, height: Int, width: Int, scroll: Int, into canvas: inout Canvas) {
    let labelWidth = 11
    var row = top
    var index = max(0, min(scroll, max(0, lines.count - 1)))
    while row < top + height, index < lines.count {
        let line = lines[index]
        let wrappedValue = wrapped(line.value, width: max(10, width - labelWidth - 1))
        canvas.put(line.label, row: row, column: left, role: .label, maxWidth: labelWidth)
        for (offset, part) in wrappedValue.enumerated() where row + offset < top + height {
            canvas.put(part, row: row + offset, column: left + labelWidth + 1, role: line.role, maxWidth: width - labelWidth - 1)
        }
        row += max(1, wrappedValue.count)
        index += 1
    }
}

/// The detail pane beside the list on wide terminals.
func renderDetailPane(_ state: ConsoleState, top: Int, left: Int, into canvas: inout Canvas) {
    let width = state.size.columns - left
    let height = state.size.rows - top - 2
    canvas.box(top: top, left: left, height: height, width: width, role: .border, title: "details")
    guard let record = state.list.selectedRecord else {
        canvas.put("No user selected", row: top + 1, column: left + 2, role: .dim)
        return
    }
    renderDetailLines(detailLines(for: record, now: state.now, argon2: state.context.argon2) + accessLines(for: record, state: state), top: top + 1, left: left + 2, height: height - 2, width: width - 4, scroll: 0, into: &canvas)
}

/// The full-screen detail of the selected user (Enter from the list).
func renderDetailScreen(_ state: ConsoleState, scroll: Int, into canvas: inout Canvas) {
    renderHeader(state, into: &canvas)
    guard let record = state.list.selectedRecord else { return }
    let frame = renderScreenFrame(title: "User \(record.username)", state: state, into: &canvas)
    renderDetailLines(detailLines(for: record, now: state.now, argon2: state.context.argon2) + accessLines(for: record, state: state), top: frame.top, left: frame.left, height: frame.height, width: frame.width, scroll: scroll, into: &canvas)
    renderStatusLine(state, into: &canvas)
    var keys = [("↑↓", "scroll"), ("Esc", "back")]
    keys += Array(mainKeys(state).dropFirst(3))
    renderKeyBar(keys, state: state, into: &canvas)
}

/// The access section of `record`, when `a` asked for it; after a blank line.
private func accessLines(for record: UserRecord, state: ConsoleState) -> [DetailLine] {
    guard let access = state.access, access.onDemand, access.username == record.username, state.topModal == nil else { return [] }
    return [DetailLine(label: "", value: "")] + accessRows(access, state: state)
}

func handleDetailKey(_ key: Key, state: inout ConsoleState) -> [Effect] {
    let scroll = state.detailScroll ?? 0
    switch key {
    case .escape, .left, .backspace, .character("q"):
        state.detailScroll = nil
    case .up, .character("k"): state.detailScroll = max(0, scroll - 1)
    case .down, .character("j"): state.detailScroll = scroll + 1
    case .pageUp: state.detailScroll = max(0, scroll - 10)
    case .pageDown: state.detailScroll = scroll + 10
    default:
        return handleUserActionKey(key, state: &state)
    }
    return []
}

import Foundation
import IdentityModel
import TerminalUI

/// One line of the detail view: a label column and a value in a role.
struct DetailLine: Sendable, Hashable {
    var label: String
    var value: String
    var role: StyleRole = .value
}

/// Every field of a user, in reading order; secret values (passwords, hashes, secret-looking unknown keys) are never shown.
func detailLines(for record: UserRecord, now: Date) -> [DetailLine] {
    var lines = [DetailLine(label: "User", value: record.username, role: .title), DetailLine(label: "Secret", value: record.secretName)]
    if let value = record.value {
        lines.append(DetailLine(label: "Version", value: "\(value.versionID.prefix(12)) · changed \(formatDate(value.version.createdAt))", role: .dim))
    } else if let changed = record.lastChangedAt {
        lines.append(DetailLine(label: "Changed", value: formatDate(changed), role: .dim))
    }
    if let deletedAt = record.deletedAt {
        lines.append(DetailLine(label: "Deleted", value: "\(formatDate(deletedAt)) · press R to restore", role: .warning))
        return lines
    }
    guard let secret = record.secret else {
        if let problem = record.problem {
            lines.append(DetailLine(label: "Problem", value: problem, role: .error))
            lines.append(DetailLine(label: "", value: "This secret is not a usable user; logins are denied. Fix it with another tool or delete it.", role: .dim))
        } else {
            lines.append(DetailLine(label: "", value: "loading…", role: .dim))
        }
        return lines
    }
    let user = SFTPUser(secret: secret)
    var status = "active"
    var statusRole: StyleRole = .success
    if user.isDisabled { status = "disabled: logins are denied"; statusRole = .warning }
    if let expiresAt = user.expiresAt {
        if expiresAt <= now { status = "expired \(formatDate(expiresAt))"; statusRole = .error }
        else { status += " · expires \(formatDate(expiresAt))" }
    }
    lines.append(DetailLine(label: "Status", value: status, role: statusRole))
    lines.append(DetailLine(label: "Role", value: user.role() ?? "(none: every login is denied)", role: user.role() == nil ? .error : .value))
    lines.append(DetailLine(label: "Policy", value: user.policy().map { "\($0.count) characters of JSON" } ?? "(none)", role: user.policy() == nil ? .dim : .value))
    switch user.home() {
    case .path(let path):
        lines.append(DetailLine(label: "Home", value: "PATH \((path ?? "").isEmpty ? "/ (bucket root)" : path ?? "")"))
    case .logical(let mappings):
        lines.append(DetailLine(label: "Home", value: "LOGICAL, \(mappings.count) \(mappings.count == 1 ? "entry" : "entries")"))
        for mapping in mappings.prefix(20) {
            lines.append(DetailLine(label: "", value: "\(mapping.entry) → \(mapping.target)\(mapping.type.map { " (\($0.rawValue))" } ?? "")"))
        }
        if mappings.count > 20 { lines.append(DetailLine(label: "", value: "… \(mappings.count - 20) more", role: .dim)) }
    }
    if let password = user.storedPassword() {
        lines.append(DetailLine(label: "Password", value: password.isLegacy ? "\(password.kindLabel): set a new one (p) to store a hash" : password.kindLabel, role: password.isLegacy ? .warning : .value))
    } else {
        lines.append(DetailLine(label: "Password", value: "(none: key authentication only)", role: .dim))
    }
    let keys = user.publicKeys()
    lines.append(DetailLine(label: "Keys", value: keys.isEmpty ? "(none)" : "\(keys.count)", role: keys.isEmpty ? .dim : .value))
    for key in keys {
        var text = "\(key.key.keyTypeLabel) \(key.key.bits) \(key.key.fingerprint)"
        if let comment = key.key.comment { text += " \(comment)" }
        var role: StyleRole = .value
        if let expiresAt = key.expiresAt {
            text += key.isExpired(at: now) ? " · EXPIRED \(formatDate(expiresAt))" : " · expires \(formatDate(expiresAt))"
            if key.isExpired(at: now) { role = .error }
        }
        lines.append(DetailLine(label: "", value: text, role: role))
    }
    let networks = user.acceptedNetworks()
    lines.append(DetailLine(label: "Networks", value: networks.isEmpty ? (user.restrictsNetworks() ? "(unreadable: every login is denied)" : "any address") : networks.map(\.description).joined(separator: ", "), role: networks.isEmpty ? .dim : .value))
    if let posix = user.posixProfile() {
        let secondary = posix.secondaryGids.isEmpty ? "" : " · secondary \(posix.secondaryGids.map(String.init).joined(separator: ","))"
        lines.append(DetailLine(label: "POSIX", value: "uid \(posix.uid) · gid \(posix.gid)\(secondary)"))
    }
    if let servers = user.allowedServerIDs {
        lines.append(DetailLine(label: "Servers", value: servers.isEmpty ? "(none)" : servers.joined(separator: ", ")))
    }
    if let comment = user.comment {
        lines.append(DetailLine(label: "Comment", value: comment))
    }
    for (transferProtocol, keys) in user.protocolOverrides.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
        lines.append(DetailLine(label: "\(transferProtocol.rawValue) only", value: keys.joined(separator: ", ")))
    }
    let unknown = user.unknownKeys
    if !unknown.isEmpty {
        lines.append(DetailLine(label: "Other keys", value: "kept unchanged on every edit", role: .dim))
        for key in unknown {
            lines.append(DetailLine(label: "", value: "\(key) = \(displayValue(ofUnknownKey: key, in: secret))"))
        }
    }
    var seen = Set<FieldError>()
    for issue in (user.issues + user.validate()) where seen.insert(issue).inserted {
        lines.append(DetailLine(label: "Problem", value: "\(issue.field): \(issue.rule)", role: .error))
    }
    return lines
}

/// Shows an unknown key's value unless the key looks like it holds a secret.
func displayValue(ofUnknownKey key: String, in secret: UserSecret) -> String {
    let lowered = key.lowercased()
    if ["password", "secret", "token", "hash", "private", "credential"].contains(where: lowered.contains) {
        return "(hidden)"
    }
    guard let value = secret[key] else { return "" }
    return truncated(value.stringValue ?? value.jsonText, to: 60)
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
    renderDetailLines(detailLines(for: record, now: state.now), top: top + 1, left: left + 2, height: height - 2, width: width - 4, scroll: 0, into: &canvas)
}

/// The full-screen detail of the selected user (Enter from the list).
func renderDetailScreen(_ state: ConsoleState, scroll: Int, into canvas: inout Canvas) {
    renderHeader(state, into: &canvas)
    guard let record = state.list.selectedRecord else { return }
    let frame = renderScreenFrame(title: "User \(record.username)", state: state, into: &canvas)
    renderDetailLines(detailLines(for: record, now: state.now), top: frame.top, left: frame.left, height: frame.height, width: frame.width, scroll: scroll, into: &canvas)
    renderStatusLine(state, into: &canvas)
    var keys = [("↑↓", "scroll"), ("Esc", "back")]
    keys += Array(mainKeys(state).dropFirst(3))
    renderKeyBar(keys, state: state, into: &canvas)
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

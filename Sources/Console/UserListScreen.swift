import Foundation
import TerminalUI

/// The main screen: header, the user list (with the detail pane beside it on wide terminals), status and key bar.
func handleListKey(_ key: Key, state: inout ConsoleState) -> [Effect] {
    let page = max(1, listHeight(state) - 1)
    switch key {
    case .up, .character("k"): state.list.move(by: -1)
    case .down, .character("j"): state.list.move(by: 1)
    case .pageUp, .control("b"): state.list.move(by: -page)
    case .pageDown, .control("f"), .character(" "): state.list.move(by: page)
    case .home, .character("g"): state.list.moveToStart()
    case .end, .character("G"): state.list.moveToEnd()
    case .character("/"):
        state.list.isFilterFocused = true
    case .escape:
        if !state.list.filter.isEmpty {
            state.list.filter.text = ""
            state.list.refilter()
        }
        state.message = nil
    case .enter, .right, .character("l"):
        if state.list.selectedRecord != nil { state.detailScroll = 0 }
    case .character("q"), .character("Q"):
        return requestQuit(&state)
    case .character("?"), .function(1):
        state.push(.help(scroll: 0))
    case .character("T"):
        return cycleTheme(&state)
    case .character("r"), .control("r"):
        return startListing(&state)
    case .character("D"):
        state.showDeleted.toggle()
        let effects = startListing(&state)
        state.show(state.showDeleted ? "Showing deleted users too: select one and press R to restore it" : "Deleted users hidden", .info)
        return effects
    default:
        return handleUserActionKey(key, state: &state)
    }
    state.list.scrollToSelection(height: listHeight(state))
    return []
}

/// Keys that act on the selected user, the same in the list and in the detail view.
func handleUserActionKey(_ key: Key, state: inout ConsoleState) -> [Effect] {
    switch key {
    case .character("t"):
        openTestLogin(state: &state)
    case .character("n"), .character("o"):
        guard !state.refuseWriteIfReadOnly() else { return [] }
        openWizard(state: &state)
    case .character("h"):
        return openHistory(state: &state)
    case .character("T"):
        return cycleTheme(&state)
    case .character("?"), .function(1):
        state.push(.help(scroll: 0))
    default:
        guard let record = state.list.selectedRecord else { return [] }
        if record.deletedAt != nil {
            if key == .character("R") {
                guard !state.refuseWriteIfReadOnly() else { return [] }
                let id = state.startOperation(.restore, label: "Restoring \(record.username)", subject: record.username)
                return [.restoreUser(id, username: record.username)]
            }
            if [.character("e"), .character("p"), .character("K"), .character("d")].contains(key) {
                state.show("\(record.username) is deleted: press R to restore it first", .warning)
            }
            return []
        }
        switch key {
        case .character("a"), .character("e"), .character("p"), .character("K"):
            if key == .character("e") || key == .character("p") {
                guard !state.refuseWriteIfReadOnly() else { return [] }
            }
            guard record.isBeingRead else { return actOnValue(key, record: record, state: &state) }
            // The value is on its way (a user summarised from the listing cache is read when selected): act when it
            // arrives, if this user is still selected and nothing else was opened meanwhile.
            let pending = PendingUserAction(key: key, username: record.username)
            state.pendingUserAction = pending
            state.show(pending.message, .info)
        case .character("d"), .delete:
            guard !state.refuseWriteIfReadOnly() else { return [] }
            let days = state.context.recoveryWindowDays
            state.push(.confirm(ConfirmState(
                action: .deleteUser(username: record.username),
                title: "Delete \(record.username)",
                question: "The user can no longer log in. The secret stays restorable for \(days) day\(days == 1 ? "" : "s") (D shows deleted users, R restores).",
                typedConfirmation: record.username)))
        default:
            break
        }
    }
    return []
}

func handleFilterKey(_ key: Key, state: inout ConsoleState) -> [Effect] {
    switch key {
    case .escape:
        state.list.filter.text = ""
        state.list.isFilterFocused = false
        state.list.refilter()
    case .enter, .tab:
        state.list.isFilterFocused = false
    case .up: state.list.move(by: -1)
    case .down: state.list.move(by: 1)
    case .pageUp: state.list.move(by: -max(1, listHeight(state) - 1))
    case .pageDown: state.list.move(by: max(1, listHeight(state) - 1))
    default:
        if state.list.filter.handle(key) {
            state.list.refilter()
        }
    }
    state.list.scrollToSelection(height: listHeight(state))
    return []
}

private func cycleTheme(_ state: inout ConsoleState) -> [Effect] {
    state.themeIndex = (state.themeIndex + 1) % state.context.themeNames.count
    state.show("Theme: \(state.themeName) (T for the next one)", .info)
    return [.applyTheme(state.themeName)]
}

/// Rows available to list entries: the screen minus header (2), column titles (1), status (1) and key bar (1).
func listHeight(_ state: ConsoleState) -> Int {
    max(1, state.size.rows - 5)
}

/// True when the detail pane fits beside the list.
func isWideLayout(_ size: TerminalSize) -> Bool { size.columns >= 120 }

/// The fewest columns the detail pane keeps beside the list.
let minimumDetailPaneWidth = 38

/// The list's width: the whole screen, or on wide terminals what its columns need (at least 55% of the screen, so
/// the pane never takes the larger part) as long as the detail pane keeps ``minimumDetailPaneWidth`` columns.
func listWidth(_ state: ConsoleState) -> Int {
    let screenWidth = state.size.columns
    guard isWideLayout(state.size) else { return screenWidth }
    // One blank column between the last list column and the pane's border.
    let needed = ListColumns(width: screenWidth, content: state.list.cellWidths).total + 1
    return max(screenWidth * 11 / 20, min(needed, screenWidth - minimumDetailPaneWidth))
}

func renderUserList(_ state: ConsoleState, into canvas: inout Canvas) {
    renderHeader(state, into: &canvas)
    let width = listWidth(state)
    let columns = ListColumns(width: width, content: state.list.cellWidths)
    let top = 2
    canvas.fill(row: top, column: 0, width: width, role: .label)
    var column = 1
    for (title, columnWidth) in [("USER", columns.name), ("AUTHENTICATION", columns.auth), ("ROLE", columns.role), ("HOME", columns.home), ("FLAGS", columns.flags)] where columnWidth > 0 {
        canvas.put(title, row: top, column: column, role: .label, maxWidth: columnWidth)
        column += columnWidth + 1
    }
    let height = listHeight(state)
    let visible = state.list.visible
    if visible.isEmpty {
        let text: String
        if state.isListing { text = "Loading users… \(spinner(state))" }
        else if !state.list.filter.isEmpty { text = "No user matches \"\(state.list.filter.text)\" (Esc clears the filter)" }
        else if state.context.readOnly { text = "No users in this store." }
        else { text = "No users yet. Press n to onboard the first one." }
        canvas.put(text, row: top + 2, column: 2, role: .dim, maxWidth: width - 4)
    }
    let start = min(state.list.top, max(0, visible.count - 1))
    for offset in 0..<height {
        let position = start + offset
        guard position < visible.count else { break }
        let record = state.list.records[visible[position]]
        let selected = position == state.list.selection
        let rowRole: StyleRole = selected ? (state.topModal == nil && state.detailScroll == nil ? .selection : .selectionInactive) : (position % 2 == 0 ? .listRow : .listRowAlt)
        renderRow(record, row: top + 1 + offset, columns: columns, role: rowRole, selected: selected, filter: state.list.filter.text, into: &canvas)
    }
    if isWideLayout(state.size) {
        renderDetailPane(state, top: top, left: width, into: &canvas)
    }
    renderStatusLine(state, into: &canvas)
    renderKeyBar(mainKeys(state), state: state, into: &canvas)
}

private func renderRow(_ record: UserRecord, row: Int, columns: ListColumns, role: StyleRole, selected: Bool, filter: String, into canvas: inout Canvas) {
    canvas.fill(row: row, column: 0, width: columns.total, role: role)
    var column = 1
    putHighlighted(record.username, match: filter, row: row, column: column, width: columns.name, role: role, into: &canvas)
    column += columns.name + 1
    let summary = record.summary
    if summary.authentication == "?", let problem = summary.problem {
        // An unreadable secret: its reason gets the width of the three middle columns.
        let width = columns.auth + columns.role + columns.home + 2
        canvas.put(TextWidth.truncateMiddle(problem, toColumns: width), row: row, column: column, role: selected ? role : .error, maxWidth: width)
        column += width + 1
        for flag in summary.flags where column < columns.total {
            column = canvas.put(flag.badge, row: row, column: column, role: selected ? role : .error, maxWidth: columns.total - column) + 1
        }
        return
    }
    let cells = [summary.authentication, summary.role, summary.home]
    for (text, width) in zip(cells, [columns.auth, columns.role, columns.home]) {
        canvas.put(TextWidth.truncateMiddle(text, toColumns: width), row: row, column: column, role: role, maxWidth: width)
        column += width + 1
    }
    for flag in summary.flags where column < columns.total {
        let badgeRole: StyleRole = selected ? role : (flag.isError ? .error : .warning)
        column = canvas.put(flag.badge, row: row, column: column, role: badgeRole, maxWidth: columns.total - column) + 1
    }
}

/// Where the full values are when the list or the header shows some shortened: for the header's hint line.
func fullValueHints(_ state: ConsoleState) -> [String] {
    var hints: [String] = []
    if rowsOnScreenAreShortened(state) { hints.append("⏎ full values") }
    if isStoreNameShortened(state) { hints.append("? full store path") }
    return hints
}

/// Whether a row on screen has a cell wider than its column (drawn shortened in the middle).
private func rowsOnScreenAreShortened(_ state: ConsoleState) -> Bool {
    let columns = ListColumns(width: listWidth(state), content: state.list.cellWidths)
    let visible = state.list.visible
    let start = min(state.list.top, max(0, visible.count - 1))
    return visible.dropFirst(start).prefix(listHeight(state)).contains { index in
        let record = state.list.records[index]
        let summary = record.summary
        if displayWidth(record.username) > columns.name { return true }
        if summary.authentication == "?", let problem = summary.problem {
            return displayWidth(problem) > columns.auth + columns.role + columns.home + 2
        }
        return displayWidth(summary.authentication) > columns.auth || displayWidth(summary.role) > columns.role || displayWidth(summary.home) > columns.home
    }
}

/// Draws text with the filter match in the `match` role.
private func putHighlighted(_ text: String, match: String, row: Int, column: Int, width: Int, role: StyleRole, into canvas: inout Canvas) {
    let shown = TextWidth.truncateMiddle(text, toColumns: width)
    guard !match.isEmpty, let range = shown.range(of: match, options: .caseInsensitive) else {
        canvas.put(shown, row: row, column: column, role: role, maxWidth: width)
        return
    }
    var next = canvas.put(String(shown[..<range.lowerBound]), row: row, column: column, role: role, maxWidth: width)
    next = canvas.put(String(shown[range]), row: row, column: next, role: .match, maxWidth: max(0, column + width - next))
    canvas.put(String(shown[range.upperBound...]), row: row, column: next, role: role, maxWidth: max(0, column + width - next))
}

/// Column widths of the list: each as wide as its widest cell (and its title), at most its share of `width`; the home
/// column takes what is left. Rows are filled to `total`, the table's width, so a cursor step redraws no padding
/// beyond the table.
struct ListColumns {
    var name: Int, auth: Int, role: Int, home: Int, flags: Int, total: Int

    init(width: Int, content: CellWidths) {
        let usable = max(0, width - 2)
        // One column of air after each cell (so two spaces between columns), none after the last.
        name = min(max(10, min(24, usable * 14 / 100)), max(4, content.name) + 1)
        auth = min(max(18, min(24, usable * 21 / 100)), max(14, content.authentication) + 1)
        role = min(max(10, min(22, usable * 16 / 100)), max(4, content.role) + 1)
        flags = min(max(10, min(22, usable * 19 / 100)), max(5, content.flags))
        home = min(max(6, usable - name - auth - role - flags - 4), max(4, content.home) + 1)
        total = width
        // Room left on the line goes to the columns still cut short, flags first (they are short and matter).
        var spare = usable - 4 - (name + auth + role + home + flags)
        for (column, wanted) in [(\ListColumns.flags, content.flags), (\.home, content.home + 1), (\.role, content.role + 1), (\.auth, content.authentication + 1), (\.name, content.name + 1)] where spare > 0 {
            let growth = min(spare, max(0, wanted - self[keyPath: column]))
            self[keyPath: column] += growth
            spare -= growth
        }
        total = min(width, name + auth + role + home + flags + 6)
    }
}

func mainKeys(_ state: ConsoleState) -> [(String, String)] {
    // The bar is cut on narrow terminals: the keys people need first come first.
    var keys: [(String, String)] = [("↑↓", "move"), ("/", "filter"), ("⏎", "details")]
    let help = ("?", "help")
    if let record = state.list.selectedRecord, record.deletedAt != nil {
        if !state.context.readOnly { keys.append(("R", "restore")) }
        keys += [("t", "test login"), help, ("q", "quit")]
    } else if state.context.readOnly {
        keys += [("t", "test login"), ("a", "access"), help, ("q", "quit"), ("K", "keys"), ("h", "history")]
    } else {
        keys += [("e", "edit"), ("t", "test login"), help, ("q", "quit"), ("n", "new user"), ("a", "access"), ("p", "password"),
                 ("K", "keys"), ("d", "delete"), ("h", "history")]
    }
    return keys
}

/// `a`, `e`, `p` or `K` on a user whose value the list holds (or cannot read: then the status line says why).
private func actOnValue(_ key: Key, record: UserRecord, state: inout ConsoleState) -> [Effect] {
    switch key {
    case .character("a"):
        if !isWideLayout(state.size) && state.detailScroll == nil { state.detailScroll = 0 }
        return explainSelectedUser(state: &state)
    case .character("e"):
        openEditor(for: record, state: &state)
    case .character("p"):
        openPasswordDialog(for: record, state: &state)
    case .character("K"):
        openKeysEditor(for: record, state: &state)
    default:
        break
    }
    return []
}

/// A user action asked for while the user's value was still being read.
struct PendingUserAction: Sendable, Hashable {
    var key: Key
    var username: String

    /// What the status line says while the action waits.
    var message: String { "Reading \(username)..." }
}

/// Carries out the pending user action once its user's value has arrived (or could not be read), provided the same
/// user is still selected and no screen was opened meanwhile; drops it otherwise. Runs after every event.
func resumePendingUserAction(_ state: inout ConsoleState) -> [Effect] {
    guard let pending = state.pendingUserAction else { return [] }
    guard let record = state.list.selectedRecord, record.username == pending.username, record.deletedAt == nil, state.modals.isEmpty else {
        state.pendingUserAction = nil
        return []
    }
    guard !record.isBeingRead else { return [] }
    state.pendingUserAction = nil
    if state.message?.text == pending.message { state.message = nil }
    return actOnValue(pending.key, record: record, state: &state)
}

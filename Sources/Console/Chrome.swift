import Foundation
import TerminalUI

/// The parts every screen shares: header, status line, key bar, dialog frames, spinner and text helpers.
func renderHeader(_ state: ConsoleState, into canvas: inout Canvas) {
    let width = state.size.columns
    canvas.fill(row: 0, column: 0, width: width, role: .header)
    var column = canvas.put(headerBrand, row: 0, column: 0, role: .headerAccent)
    let right = headerRight(state)
    let rightWidth = displayWidth(right)
    // The naming scheme and server id matter more than the store's full path: the path gives way first, from its middle.
    let storeWidth = headerStoreWidth(state)
    if storeWidth >= 12 {
        canvas.put(" " + TextWidth.truncateMiddle(state.context.storeName, toColumns: storeWidth - 1), row: 0, column: column, role: .header)
        canvas.put(right, row: 0, column: width - rightWidth - 1, role: .header)
    } else {
        canvas.put(" \(state.context.storeName)", row: 0, column: column, role: .header, maxWidth: max(0, width - column - 1))
    }
    canvas.fill(row: 1, column: 0, width: width, role: .normal)
    let total = state.list.records.count
    var counts = total == state.list.visible.count ? "\(total) \(total == 1 ? "user" : "users")" : "\(state.list.visible.count) of \(total) users"
    if state.isListing || state.pendingFetches > 0 { counts += " (loading \(spinner(state)))" }
    if state.showDeleted { counts += " · deleted shown" }
    column = canvas.put(" " + counts, row: 1, column: 0, role: .dim)
    if state.list.isFilterFocused || !state.list.filter.isEmpty {
        column = canvas.put("   filter: ", row: 1, column: column, role: state.list.isFilterFocused ? .info : .label)
        let fieldWidth = min(30, width - column - 2)
        state.list.filter.render(into: &canvas, row: 1, column: column, width: fieldWidth, focused: state.list.isFilterFocused && state.topModal == nil, placeholder: "type to filter")
        column += fieldWidth
    } else {
        column = canvas.put("   / to filter", row: 1, column: column, role: .dim)
    }
    // Values shortened in the middle (list cells, the store's path above) are one key away.
    let hints = fullValueHints(state)
    if !hints.isEmpty {
        canvas.put("   " + hints.joined(separator: " · "), row: 1, column: column, role: .dim, maxWidth: max(0, width - column))
    }
}

private let headerBrand = " sftpidp "

/// The header's right part: naming scheme, server id, read-only mark.
private func headerRight(_ state: ConsoleState) -> String {
    var right = "\(state.context.naming)"
    if let serverID = state.context.serverID { right += " · \(serverID)" }
    if state.context.readOnly { right += " · READ-ONLY" }
    return right
}

/// Columns the header leaves for the store's path (with its leading space).
private func headerStoreWidth(_ state: ConsoleState) -> Int {
    state.size.columns - displayWidth(headerBrand) - displayWidth(headerRight(state)) - 3
}

/// Whether the header shows the store's path shortened; the help screen (`?`) then has it in full.
func isStoreNameShortened(_ state: ConsoleState) -> Bool {
    let storeWidth = headerStoreWidth(state)
    let room = storeWidth >= 12 ? storeWidth - 1 : state.size.columns - displayWidth(headerBrand) - 2
    return displayWidth(state.context.storeName) > room
}

/// The line above the key bar: progress of foreground work, else the last message.
func renderStatusLine(_ state: ConsoleState, into canvas: inout Canvas) {
    let row = state.size.rows - 2
    canvas.fill(row: row, column: 0, width: state.size.columns, role: .normal)
    if let operation = state.foregroundOperation {
        let elapsed = state.now.timeIntervalSince(operation.startedAt)
        let hint = operation.isWrite ? "writing: wait for the store" : "Esc cancels"
        canvas.put(" \(spinner(state)) \(operation.label)… \(String(format: "%.1f", max(0, elapsed))) s   \(hint)", row: row, column: 0, role: .info, maxWidth: state.size.columns)
    } else if let message = state.message {
        let role: StyleRole = switch message.kind {
        case .info: .info
        case .success: .success
        case .warning: .warning
        case .error: .error
        }
        canvas.put(" " + message.text, row: row, column: 0, role: role, maxWidth: state.size.columns)
    }
}

/// The bottom bar: key + action pairs, as many as fit.
func renderKeyBar(_ keys: [(String, String)], state: ConsoleState, into canvas: inout Canvas) {
    let row = state.size.rows - 1
    canvas.fill(row: row, column: 0, width: state.size.columns, role: .statusBar)
    var column = 0
    for (key, action) in keys {
        let needed = displayWidth(key) + displayWidth(action) + 3
        guard column + needed <= state.size.columns else { break }
        column = canvas.put(" \(key)", row: row, column: column, role: .statusKey)
        column = canvas.put(" \(action) ", row: row, column: column, role: .statusBar)
    }
}

/// A centred dialog frame; returns the inner rectangle (top row, left column, height, width).
@discardableResult
func renderDialogFrame(title: String, width requestedWidth: Int, height requestedHeight: Int, size: TerminalSize, into canvas: inout Canvas) -> (top: Int, left: Int, height: Int, width: Int) {
    let width = min(requestedWidth, size.columns - 2)
    let height = min(requestedHeight, size.rows - 2)
    let top = max(1, (size.rows - height) / 2)
    let left = max(1, (size.columns - width) / 2)
    canvas.fill(top: top, left: left, height: height, width: width, role: .dialog)
    canvas.box(top: top, left: left, height: height, width: width, role: .dialogBorder, title: title)
    return (top + 1, left + 2, height - 2, width - 4)
}

/// A full-screen frame under the header, for the larger screens (editor, test login, wizard, history).
@discardableResult
func renderScreenFrame(title: String, state: ConsoleState, into canvas: inout Canvas) -> (top: Int, left: Int, height: Int, width: Int) {
    canvas.fill(top: 1, left: 0, height: state.size.rows - 3, width: state.size.columns, role: .normal)
    canvas.box(top: 1, left: 0, height: state.size.rows - 3, width: state.size.columns, role: .border, title: title)
    return (2, 2, state.size.rows - 5, state.size.columns - 4)
}

private let spinnerFrames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

/// A spinner frame from the state's clock (10 frames a second).
func spinner(_ state: ConsoleState) -> String {
    let tenths = Int((state.now.timeIntervalSinceReferenceDate * 10).rounded(.down))
    return spinnerFrames[((tenths % spinnerFrames.count) + spinnerFrames.count) % spinnerFrames.count]
}

/// Columns a text takes on screen (wide characters count twice).
func displayWidth(_ text: String) -> Int {
    TextWidth.columns(of: text)
}

/// The text cut to `width` columns, with `…` when cut.
func truncated(_ text: String, to width: Int) -> String {
    width > 0 ? TextWidth.truncate(text, toColumns: width) : ""
}

/// Splits text into lines of at most `width` columns, at spaces where possible.
func wrapped(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = ""
        for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if displayWidth(candidate) <= width {
                line = candidate
            } else {
                if !line.isEmpty { lines.append(line) }
                var rest = String(word)
                while displayWidth(rest) > width {
                    let head = String(rest.prefix(width))
                    lines.append(head)
                    rest = String(rest.dropFirst(width))
                }
                line = rest
            }
        }
        lines.append(line)
    }
    return lines
}


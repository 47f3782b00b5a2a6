import TerminalUI

/// Draws the whole console for `state`: the list (or the detail screen), then the dialogs on top.
///
/// Pure: reads only the state; below 80x24 it draws a notice instead.
public func render(_ state: ConsoleState, into canvas: inout Canvas) {
    canvas.cursor = nil
    if state.isTooSmall {
        renderTooSmall(state, into: &canvas)
        return
    }
    if let scroll = state.detailScroll {
        renderDetailScreen(state, scroll: scroll, into: &canvas)
    } else {
        renderUserList(state, into: &canvas)
    }
    for (index, modal) in state.modals.enumerated() {
        let isTop = index == state.modals.count - 1
        if !isTop { canvas.cursor = nil }
        modal.screen.render(state: state, into: &canvas)
    }
    if case .confirm? = state.topModal {} else if state.topModal != nil {
        renderStatusLine(state, into: &canvas)
    }
}

private func renderTooSmall(_ state: ConsoleState, into canvas: inout Canvas) {
    let lines = [
        "Terminal too small",
        "\(state.size.columns)x\(state.size.rows), needs at least \(minimumSize.columns)x\(minimumSize.rows)",
        "Enlarge the window, or press q to quit",
    ]
    let top = max(0, state.size.rows / 2 - 1)
    for (offset, line) in lines.enumerated() {
        let column = max(0, (state.size.columns - displayWidth(line)) / 2)
        canvas.put(line, row: top + offset, column: column, role: offset == 0 ? .warning : .normal, maxWidth: state.size.columns)
    }
}

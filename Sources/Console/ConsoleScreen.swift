import TerminalUI

/// One screen or dialog over the user list: it owns its state and answers for its keys, pastes and drawing.
///
/// A new screen is one file with its state type conforming to this protocol, registered by one case in
/// ``Modal`` and the matching line in ``Modal/screen`` (an exhaustive switch: the compiler points at it). The
/// reducer, the result router, the renderer and the hangup log reach every screen through this protocol, never by a
/// switch of their own.
protocol ConsoleScreen: Sendable {
    /// A key while this screen is on top: changes the state (through `state`, which holds this screen) and returns
    /// the work to start. Work started here records this screen as its origin, and its result comes back to it.
    func handleKey(_ key: Key, state: inout ConsoleState) -> [Effect]
    /// The result of work this screen asked for (`operation.origin` is this screen, open anywhere in the stack): a
    /// result event, `.failed`, or `.cancelled` (Esc; never for a write). Changes this screen with
    /// `state.replaceScreen(operation.origin, with:)` and returns the work to start next. Screens that start no work
    /// keep the default: the status line says how the work ended.
    func handle(_ result: ConsoleEvent, of operation: Operation, state: inout ConsoleState) -> [Effect]
    /// Pasted text for the focused field; screens without a text field ignore it.
    mutating func paste(_ text: String)
    /// Draws the screen over what lies below it; reads only the state.
    func render(state: ConsoleState, into canvas: inout Canvas)
    /// The typed changes closing this screen would lose (quitting asks first; a hangup logs them); nil when none.
    var unsavedForm: UnsavedForm? { get }
    /// This screen as an entry of the screen stack.
    var modal: Modal { get }
}

extension ConsoleScreen {
    func handle(_ result: ConsoleEvent, of operation: Operation, state: inout ConsoleState) -> [Effect] {
        reportWithoutScreen(result, of: operation, state: &state)
        return []
    }
}

/// Typed changes a screen holds: the user they are about and how the hangup log names them.
struct UnsavedForm: Sendable, Hashable {
    var user: String
    var description: String
}

import Foundation
import TerminalUI
import UserManagement

/// Everything the console shows, as a plain value: ``reduce(state:event:)`` changes it, ``render(_:into:)`` draws it.
public struct ConsoleState: Sendable {
    public internal(set) var context: ConsoleContext
    public internal(set) var size: TerminalSize
    /// The clock as last ticked: spinners and elapsed times are computed from it, so rendering stays pure.
    public internal(set) var now: Date
    var themeIndex = 0
    var list = UserListState()
    /// The list pages are still coming in.
    var isListing = false
    /// Users listed but not fetched yet.
    var pendingFetches = 0
    /// Secret names listed, neither read nor summarised by the listing cache, waiting to fill a batch read (the
    /// rest is read when the listing ends), so that k changed users cost k/20 value calls wherever they are.
    var unfetched: [String] = []
    /// The listing cache entries of the users this listing read; nil once the listing is complete (or failed).
    var listingCacheEntries: [String: CachedUserOverview]?
    /// Show users scheduled for deletion too (toggle `D`).
    var showDeleted = false
    /// The full-screen detail of the selected user is open (narrow terminals), with its scroll offset.
    var detailScroll: Int?
    /// Dialogs and screens above the list, each with its identity; the top one gets the keys.
    private(set) var screens: [OpenScreen] = []
    private var lastScreenID = 0
    var operations: [OperationID: Operation] = [:]
    private var lastOperationID = 0
    var message: StatusMessage?
    /// `a`, `e`, `p` or `K` pressed on a user whose value was still being read: done when it arrives.
    var pendingUserAction: PendingUserAction?
    /// The access explanation last asked for (test panel, wizard, `a` on a user), shown where it belongs.
    var access: AccessSection?
    /// Set when the console should end.
    public internal(set) var shouldQuit = false

    /// `now` is the clock at start; the reducer never reads a clock, later times come in `.tick` events.
    public init(context: ConsoleContext, size: TerminalSize, now: Date) {
        self.context = context
        self.size = size
        self.now = now
    }

    /// The name of the theme in use.
    public var themeName: String { context.themeNames[themeIndex % context.themeNames.count] }

    /// True while work other than background loading is running, so the loop polls input quickly.
    public var hasWorkInFlight: Bool { !operations.isEmpty }

    /// True when an edit has changes that quitting would lose.
    var hasUnsavedEdit: Bool { modals.contains { $0.hasUnsavedChanges } }

    /// Records work about `subject` asked for by the screen on top, or, when it continues `previous` (a save after a
    /// hash), by the screen that asked for that: its result goes back there.
    mutating func startOperation(_ purpose: Operation.Purpose, label: String, subject: String? = nil, continuing previous: Operation? = nil) -> OperationID {
        lastOperationID += 1
        let id = OperationID(lastOperationID)
        operations[id] = Operation(id: id, purpose: purpose, label: label, startedAt: now, subject: subject ?? previous?.subject, origin: screenAsking(continuing: previous))
        return id
    }

    /// The screen that asked for `previous`, or the screen on top when there is no previous operation.
    func screenAsking(continuing previous: Operation?) -> ScreenID? {
        previous.map(\.origin) ?? topScreenID
    }

    /// Removes and returns the operation, or nil when it was cancelled (its result is then ignored).
    mutating func finishOperation(_ id: OperationID) -> Operation? {
        operations.removeValue(forKey: id)
    }

    /// The newest operation that blocks the screen, for the progress line and Esc.
    var foregroundOperation: Operation? {
        operations.values.filter { !$0.isBackground }.max { $0.id.rawValue < $1.id.rawValue }
    }

    /// The open dialogs and screens, bottom first.
    var modals: [Modal] { screens.map(\.modal) }

    var topModal: Modal? { screens.last?.modal }

    /// The identity of the screen on top, nil when the list is.
    var topScreenID: ScreenID? { screens.last?.id }

    mutating func updateTopModal(_ change: (inout Modal) -> Void) {
        guard !screens.isEmpty else { return }
        change(&screens[screens.count - 1].modal)
    }

    mutating func push(_ modal: Modal) {
        lastScreenID += 1
        screens.append(OpenScreen(id: ScreenID(rawValue: lastScreenID), modal: modal))
    }

    mutating func replaceTop(_ modal: Modal) {
        if screens.isEmpty { push(modal) } else { screens[screens.count - 1].modal = modal }
    }

    mutating func popModal() {
        if !screens.isEmpty { screens.removeLast() }
    }

    /// The screen `id` when it is still open.
    func screen(_ id: ScreenID?) -> Modal? {
        screens.first { $0.id == id }?.modal
    }

    /// Puts the new state of screen `id` in place, when it is still open; a closed screen stays closed.
    mutating func replaceScreen(_ id: ScreenID?, with modal: Modal) {
        guard let index = screens.firstIndex(where: { $0.id == id }) else { return }
        screens[index].modal = modal
    }

    /// Closes screen `id` (and nothing else) when it is still open.
    mutating func closeScreen(_ id: ScreenID?) {
        screens.removeAll { $0.id == id }
    }

    mutating func show(_ text: String, _ kind: StatusMessage.Kind = .info) {
        message = StatusMessage(text: text, kind: kind, shownAt: now)
    }
}

/// A line in the status bar: what just happened.
struct StatusMessage: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case info, success, warning, error }
    var text: String
    var kind: Kind
    var shownAt: Date
}

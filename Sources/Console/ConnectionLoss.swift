import Foundation

/// How a console session ended.
public enum ConsoleEnd: Sendable, Hashable {
    /// The user quit.
    case quit
    /// The terminal hung up (SIGHUP: the ssh connection or the terminal window is gone).
    case hungUp(ConnectionLoss)
}

/// What the console did when its terminal hung up: each write it had sent and how the store answered, and the forms
/// whose typed changes were dropped unsaved. Names users and fields, never a value; for the log.
public struct ConnectionLoss: Sendable, Hashable {
    /// A write sent before the hangup, and its end: it either completed or was not made; nothing is half-written.
    public struct Write: Sendable, Hashable {
        /// What the write was, as the progress line showed it (e.g. `Saving kim`).
        public var label: String
        /// `written`, `not written: ...`, or `no answer yet` when the store did not answer within the wait.
        public var outcome: String
    }

    public var writes: [Write]
    /// Forms with unsaved changes, dropped and never written (e.g. `edit of kim`).
    public var lostForms: [String]

    /// One line per write and per lost form.
    public var logLines: [String] {
        writes.map { "write sent before the hangup: \($0.label): \($0.outcome)" }
            + lostForms.map { "unsaved form lost, nothing written: \($0)" }
    }

    /// How long a hangup waits for the answers to writes already sent.
    static let writeWait: Duration = .seconds(30)

    /// Ends the session after a hangup: cancels reads, waits (up to ``writeWait``) for the answers to writes already
    /// sent (the store may have committed them, so they are never cancelled), and drops unsaved forms.
    static func finish(state: ConsoleState, runner: EffectRunner, inbox: EventInbox) -> ConnectionLoss {
        let sent = state.operations.values.filter(\.isWrite).sorted { $0.id.rawValue < $1.id.rawValue }
        runner.run(state.operations.values.filter { !$0.isWrite }.map { Effect.cancel($0.id) })
        let savingUsers = Set(sent.compactMap(\.subject))
        let lostForms = state.modals.compactMap { modal -> String? in
            guard let form = modal.screen.unsavedForm else { return nil }
            return savingUsers.contains(form.user) ? nil : form.description
        }

        var outcomes: [OperationID: String] = [:]
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: writeWait)
        while outcomes.count < sent.count {
            for event in inbox.drain() {
                if let (id, outcome) = writeOutcome(of: event) { outcomes[id] = outcome }
            }
            guard outcomes.count < sent.count, clock.now < deadline else { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        let writes = sent.map { Write(label: $0.label, outcome: outcomes[$0.id] ?? "no answer yet") }
        return ConnectionLoss(writes: writes, lostForms: lostForms)
    }

    /// The operation and how it ended, for a write's result event.
    static func writeOutcome(of event: ConsoleEvent) -> (OperationID, String)? {
        switch event {
        case .written(let id, _), .deleted(let id, _), .restored(let id, _): (id, "written")
        case .writeConflict(let id, _): (id, "not written: someone else changed the user first")
        case .failed(let id, let message): (id, "not written: \(message)")
        default: nil
        }
    }
}

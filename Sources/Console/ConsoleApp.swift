import AccessAnalysis
import Foundation
import IdentityModel
import IdentityProvider
import SecretStore
import TerminalUI
import UserManagement

/// Options of one console session.
public struct ConsoleOptions: Sendable {
    /// Who the audit trail names for this session's writes (an admin over ssh, else the process's user), resolved
    /// once by the caller: the console never reads the environment for it.
    public var writer: WriterIdentity
    /// Hide and refuse every action that writes.
    public var readOnly: Bool
    /// Themes the `T` key cycles through, the one to start with first.
    public var themeNames: [String]
    /// How the first theme was chosen, shown on the help screen.
    public var themeExplanation: String?
    /// The argon2id cost of new password hashes.
    public var argon2: Argon2Parameters
    /// How long a deleted user can be restored (the `recovery-window-days` setting).
    public var recoveryWindowDays: Int
    /// Where access explanations read the role's policies (settings files, IAM on AWS stores).
    public var rolePolicies: any RolePolicySource
    /// The listing cache (AWS and embedded stores): users listed at a cached version are summarised from it, not read, until selected.
    public var listingCache: (any UserOverviewCache)?

    public init(
        writer: WriterIdentity, readOnly: Bool = false, themeNames: [String] = ["default"], themeExplanation: String? = nil, argon2: Argon2Parameters = .default,
        recoveryWindowDays: Int = UserDirectory.defaultRecoveryWindowDays, rolePolicies: any RolePolicySource = RolePolicySources([]),
        listingCache: (any UserOverviewCache)? = nil
    ) {
        self.writer = writer
        self.readOnly = readOnly
        self.themeNames = themeNames
        self.themeExplanation = themeExplanation
        self.argon2 = argon2
        self.recoveryWindowDays = recoveryWindowDays
        self.rolePolicies = rolePolicies
        self.listingCache = listingCache
    }
}

/// The console's event loop: draws the state, reads keys with a short timeout, runs effects off the loop.
public enum ConsoleApp {
    /// How long the loop waits for a key while work is in flight (spinners move, results show promptly).
    static let busyPoll: Duration = .milliseconds(50)
    /// How long it waits when idle: no busy loop, one wake-up a second for the clock.
    static let idlePoll: Duration = .seconds(1)
    /// While work is in flight, how often it looks for results between keys: a result is drawn within this time
    /// instead of waiting out `busyPoll` (a user list arrives page after page).
    static let resultPoll: Duration = .milliseconds(4)
    /// While results stream in and no key is pressed, at most one frame per this long: a listing of 100,000 users
    /// posts a thousand pages, and drawing each cost more than reading it. A key is always drawn at once.
    static let resultFrameInterval: Duration = .milliseconds(33)

    /// The name of the thread the loop runs on.
    static let loopThreadName = "sftpidp console"

    /// Runs the console until the user quits or the terminal hangs up. Store I/O and hashing run in tasks; results come
    /// back as events. After a hangup (see ``ConnectionLoss``) writes already sent are waited for, unsaved forms dropped.
    ///
    /// The loop waits for keys in blocking calls, so it runs on a thread of its own: on the concurrency pool it
    /// would hold one of its few threads (the only one on a single-CPU machine), and the tasks that load users
    /// would wait behind it.
    ///
    /// - Parameter loadTheme: loads a theme by name when the theme key is pressed; a failure is shown, not fatal.
    @discardableResult
    public static func run(
        terminal: any Terminal,
        store: any SecretStore,
        naming: NamingScheme,
        serverID: String?,
        handler: IdentityProviderHandler,
        options: ConsoleOptions,
        loadTheme: @escaping (String) throws -> Theme
    ) async -> ConsoleEnd {
        await onOwnThread {
            let context = ConsoleContext(storeName: store.displayName, naming: naming, serverID: serverID, readOnly: options.readOnly, themeNames: options.themeNames, themeExplanation: options.themeExplanation, argon2: options.argon2, recoveryWindowDays: options.recoveryWindowDays)
            var state = ConsoleState(context: context, size: terminal.size, now: Date())
            let inbox = EventInbox()
            let runner = EffectRunner(directory: UserDirectory(store: store, naming: naming, serverID: serverID, recoveryWindowDays: options.recoveryWindowDays, writer: options.writer), handler: handler, rolePolicies: options.rolePolicies, listingCache: options.listingCache, inbox: inbox)

            func perform(_ effects: [Effect]) {
                for case .applyTheme(let name) in effects {
                    do {
                        terminal.setTheme(try loadTheme(name))
                    } catch {
                        state.show("Theme \(name) not loaded: \(error)", .error)
                    }
                }
                runner.run(effects)
            }

            perform(reduce(state: &state, event: .started))
            let clock = ContinuousClock()
            var lastFrame: ContinuousClock.Instant?
            var sawInput = true
            while !state.shouldQuit {
                if terminal.hasHungUp { return .hungUp(ConnectionLoss.finish(state: state, runner: runner, inbox: inbox)) }
                // Nil once drawn; otherwise the frame is held back until this instant, unless a key comes first.
                var heldFrameDue = lastFrame.map { $0.advanced(by: resultFrameInterval) }
                if sawInput || heldFrameDue.map({ clock.now >= $0 }) ?? true {
                    var canvas = Canvas(size: state.size, charset: terminal.charset)
                    render(state, into: &canvas)
                    terminal.present(canvas)
                    lastFrame = clock.now
                    heldFrameDue = nil
                }

                let busy = state.hasWorkInFlight || !runner.isIdle
                var events: [ConsoleEvent] = []
                let first = nextEvent(from: terminal, busy: busy, inbox: inbox, drawBy: heldFrameDue)
                sawInput = first != nil
                if let first {
                    events.append(event(from: first))
                    // Take what is already queued (typing bursts, pastes) before drawing again.
                    while events.count < 256, let next = terminal.nextEvent(timeout: .zero) {
                        events.append(event(from: next))
                    }
                }
                events.append(.tick(Date()))
                events += inbox.drain()
                for event in events where !state.shouldQuit {
                    perform(reduce(state: &state, event: event))
                }
            }
            let inFlight = state.operations.keys
            runner.run(inFlight.map(Effect.cancel))
            runner.finishCacheWrite()
            return .quit
        }
    }

    /// Runs `body` on a new thread named ``loopThreadName`` and returns its result when it is done.
    ///
    /// The caller waits until `body` returns, so nothing else touches what `body` uses meanwhile.
    private static func onOwnThread(_ body: @escaping () -> ConsoleEnd) async -> ConsoleEnd {
        let body = ThreadBody(run: body)
        return await withCheckedContinuation { (finished: CheckedContinuation<ConsoleEnd, Never>) in
            let thread = Thread {
                // Named from inside: on Linux, Foundation only passes a name set on the running thread to the system.
                Thread.current.name = loopThreadName
                finished.resume(returning: body.run())
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Work handed to another thread while its owner waits.
    // @unchecked Sendable: a non-Sendable closure handed to one other thread while its owner waits for it to finish.
    private struct ThreadBody: @unchecked Sendable {
        let run: () -> ConsoleEnd
    }

    /// The next key, resize or paste: waiting up to `idlePoll` when idle; when busy up to `busyPoll` (the spinner's
    /// pace) in `resultPoll` slices that end early once a result is posted. A frame held back (`drawBy`, see
    /// `resultFrameInterval`) ends the wait when it is due, so the last results are always drawn.
    static func nextEvent(from terminal: any Terminal, busy: Bool, inbox: EventInbox, drawBy: ContinuousClock.Instant? = nil) -> TerminalEvent? {
        let clock = ContinuousClock()
        guard busy else {
            guard let drawBy else { return terminal.nextEvent(timeout: idlePoll) }
            return terminal.nextEvent(timeout: min(idlePoll, max(.zero, clock.now.duration(to: drawBy))))
        }
        var deadline = clock.now.advanced(by: busyPoll)
        if let drawBy { deadline = min(deadline, drawBy) }
        while true {
            if let event = terminal.nextEvent(timeout: min(resultPoll, max(.zero, clock.now.duration(to: deadline)))) { return event }
            if inbox.hasPending || clock.now >= deadline { return nil }
        }
    }

    static func event(from terminalEvent: TerminalEvent) -> ConsoleEvent {
        switch terminalEvent {
        case .key(let key): .key(key)
        case .resize(let size): .resize(size)
        case .paste(let text): .paste(text)
        }
    }
}

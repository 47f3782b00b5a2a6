import Foundation
import IdentityProvider
import SecretStore
import SecretStoreTesting
import Testing
import TerminalUI
@testable import Console

/// A terminal that plays keys once the screen shows what a person would wait for; it honours the loop's timeout
/// (so effects run for real in tasks), presses `q` once the script is done and the loop is idle, and gives up
/// (Ctrl-C) after a generous deadline so that a broken loop cannot hang the suite.
final class ScriptedTerminal: Terminal {
    private let screen: VirtualTerminal
    private var steps: [(waitFor: String, events: [TerminalEvent])]
    private var pending: [TerminalEvent] = []
    private let deadline = Date().addingTimeInterval(300)
    private(set) var timedOutWaitingFor: String?
    private(set) var longestTimeout: Duration = .zero
    /// The threads that asked for events.
    private(set) var eventThreads: Set<pthread_t> = []
    /// Hang up (as SIGHUP does) instead of pressing `q` once the script is done.
    private let hangsUpAtEnd: Bool
    private(set) var hasHungUp = false

    init(size: TerminalSize, steps: [(waitFor: String, events: [TerminalEvent])], hangsUpAtEnd: Bool = false) {
        screen = VirtualTerminal(size: size)
        self.steps = steps
        self.hangsUpAtEnd = hangsUpAtEnd
    }

    var size: TerminalSize { screen.size }
    var colorSupport: ColorSupport { screen.colorSupport }
    var text: String { screen.screenText }
    func present(_ canvas: Canvas) { screen.present(canvas) }
    func setTheme(_ theme: Theme) { screen.setTheme(theme) }
    func invalidate() { screen.invalidate() }

    func nextEvent(timeout: Duration) -> TerminalEvent? {
        longestTimeout = max(longestTimeout, timeout)
        eventThreads.insert(pthread_self())
        if !pending.isEmpty { return pending.removeFirst() }
        if let step = steps.first, screen.screenText.contains(step.waitFor) {
            steps.removeFirst()
            pending = step.events
            return pending.isEmpty ? nil : pending.removeFirst()
        }
        if steps.isEmpty, hangsUpAtEnd {
            hasHungUp = true
            return nil
        }
        if steps.isEmpty, timedOutWaitingFor == nil, timeout == ConsoleApp.idlePoll {
            return .key(.character("q"))
        }
        if Date() > deadline {
            timedOutWaitingFor = steps.first?.waitFor ?? "an idle loop"
            steps = []
            return .key(.control("c"))
        }
        if timeout > .zero { Thread.sleep(forTimeInterval: 0.005) }
        return nil
    }
}

@Suite("The console loop")
struct ConsoleAppLoopTests {
    @Test("the real loop runs on its own thread, lists users from tasks, tests a login and quits; it waits instead of spinning")
    func loop() async throws {
        let store = try await Fixtures.store()
        let terminal = ScriptedTerminal(size: TerminalSize(rows: 24, columns: 80), steps: [
            ("4 users", [.key(.character("j")), .key(.character("t"))]),
            ("Test a login", [.key(.control("s"))]),
            ("DENIED", [.key(.escape)]),
            ("4 users", [.key(.character("T"))]),
            ("Theme: light", []),
        ])
        let handler = IdentityProviderHandler(configuration: .init(store: store, namingScheme: .sftpPrefix))
        var themesLoaded: [String] = []
        let callerThread = pthread_self()
        await ConsoleApp.run(terminal: terminal, store: store, naming: .sftpPrefix, serverID: nil, handler: handler,
                             options: ConsoleOptions(writer: WriterIdentity(actor: "console-test"), themeNames: ["default", "light"], argon2: .cheapForTests),
                             loadTheme: { name in
                                 themesLoaded.append(name)
                                 return try Theme.builtIn(named: name)
                             })
        #expect(terminal.timedOutWaitingFor == nil, "the screen never showed \(terminal.timedOutWaitingFor ?? ""):\n\(terminal.text)")
        #expect(themesLoaded == ["light"])
        #expect(terminal.longestTimeout == ConsoleApp.idlePoll)
        // Waiting for keys blocks its thread: one of its own, not the caller's thread of the concurrency pool (a
        // loop run inline would never suspend, so it would stay on the thread that called it).
        #expect(terminal.eventThreads.count == 1)
        #expect(!terminal.eventThreads.contains(callerThread))
    }
}

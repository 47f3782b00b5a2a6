import Benchmark
import BenchmarkFixtures
import Console
import Foundation
import IdentityProvider
import SecretStore
import TerminalUI

/// The console's real loop (`ConsoleApp.run`) over a real embedded store of 10,000 or 100,000 users, drawn on a
/// virtual terminal of 100x40: the time from start to the first full screen of users (every visible row with its
/// columns), to every user listed, and from a filter keystroke to the screen that shows its result.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock],
        timeUnits: .milliseconds,
        warmupIterations: 0,
        maxDuration: .seconds(120),
        maxIterations: 5
    )

    for userCount in [10_000, 100_000] {
        nonisolated(unsafe) var seeded: SeededStore?
        let setUp: Benchmark.BenchmarkSetupHook = { seeded = try await SeededStore(userCount: userCount) }
        let tearDown: Benchmark.BenchmarkTeardownHook = { seeded = nil }

        Benchmark("console start: \(userCount) users", configuration: .init(
            metrics: [.custom("first full screen (µs)", useScalingFactor: false), .custom("every user listed (µs)", useScalingFactor: false)]
        ), closure: { benchmark in
            guard let seeded else { throw BenchmarkFailure("setup did not run") }
            let terminal = MeasuringTerminal(userCount: userCount, filterText: "")
            try await ConsoleSession.run(on: terminal, store: seeded.store)
            benchmark.measurement(.custom("first full screen (µs)", useScalingFactor: false), microseconds(terminal.firstFullScreen))
            benchmark.measurement(.custom("every user listed (µs)", useScalingFactor: false), microseconds(terminal.everyUserListed))
        }, setup: setUp, teardown: tearDown)
    }

    nonisolated(unsafe) var seeded: SeededStore?
    Benchmark("console filter keystroke: 100000 users", configuration: .init(
        metrics: [.custom("keystroke to screen (µs)", useScalingFactor: false)], maxIterations: 3
    ), closure: { benchmark in
        guard let seeded else { throw BenchmarkFailure("setup did not run") }
        let terminal = MeasuringTerminal(userCount: 100_000, filterText: "user0999")
        try await ConsoleSession.run(on: terminal, store: seeded.store)
        for latency in terminal.keystrokeLatencies {
            benchmark.measurement(.custom("keystroke to screen (µs)", useScalingFactor: false), microseconds(latency))
        }
    }, setup: { seeded = try await SeededStore(userCount: 100_000) }, teardown: { seeded = nil })
}

private func microseconds(_ duration: Duration?) -> Int {
    guard let duration else { return Int.max }
    return Int(duration.components.seconds) * 1_000_000 + Int(duration.components.attoseconds / 1_000_000_000_000)
}

/// Starts the console as `sftpidp` does, on the measuring terminal, and returns when it quits.
enum ConsoleSession {
    static func run(on terminal: MeasuringTerminal, store: any SecretStore) async throws {
        let handler = IdentityProviderHandler(configuration: .init(store: store, namingScheme: .sftpPrefix))
        await ConsoleApp.run(terminal: terminal, store: store, naming: .sftpPrefix, serverID: nil, handler: handler,
                             options: ConsoleOptions(writer: WriterIdentity(actor: "benchmark")), loadTheme: { try Theme.builtIn(named: $0) })
        if let failure = terminal.failure { throw BenchmarkFailure(failure) }
    }
}

/// A virtual terminal that notes when the screen first shows a full page of users and when every user is listed,
/// then types the filter one key at a time (timing each key to the next drawn screen) and quits.
final class MeasuringTerminal: Terminal {
    private let screen = VirtualTerminal(size: TerminalSize(rows: 40, columns: 100))
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let userCount: Int
    private var keys: [Key]
    private var keySentAt: ContinuousClock.Instant?
    private var measuringKey = false
    private let deadline: ContinuousClock.Instant
    private(set) var firstFullScreen: Duration?
    private(set) var everyUserListed: Duration?
    private(set) var keystrokeLatencies: [Duration] = []
    private(set) var failure: String?

    init(userCount: Int, filterText: String) {
        self.userCount = userCount
        start = clock.now
        deadline = start.advanced(by: .seconds(600))
        keys = filterText.isEmpty ? [] : [.character("/")] + filterText.map { .character($0) } + [.escape]
    }

    var size: TerminalSize { screen.size }
    var colorSupport: ColorSupport { screen.colorSupport }
    func setTheme(_ theme: Theme) { screen.setTheme(theme) }
    func invalidate() { screen.invalidate() }

    func present(_ canvas: Canvas) {
        screen.present(canvas)
        let now = clock.now
        if let sent = keySentAt {
            if measuringKey { keystrokeLatencies.append(now - sent) }
            keySentAt = nil
        }
        let lines = canvas.text.split(separator: "\n", omittingEmptySubsequences: false)
        // Seeded users all have an argon2id hash: a row shows it once the user's secret is read and summarised.
        if firstFullScreen == nil, lines.filter({ $0.contains("argon2id") }).count >= min(userCount, size.rows - 5) {
            firstFullScreen = now - start
        }
        if everyUserListed == nil, lines.count > 1, lines[1].contains("\(userCount) users"), !lines[1].contains("loading") {
            everyUserListed = now - start
        }
    }

    func nextEvent(timeout: Duration) -> TerminalEvent? {
        if clock.now > deadline {
            failure = "the console did not list \(userCount) users within 10 minutes"
            return .key(.control("c"))
        }
        guard everyUserListed != nil, keySentAt == nil else {
            // Like curses, wait a little for input that will not come (at most 1 ms, so no screen is noticed late).
            if timeout > .zero { Thread.sleep(forTimeInterval: min(0.001, Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)) }
            return nil
        }
        guard !keys.isEmpty else { return .key(.character("q")) }
        let key = keys.removeFirst()
        // "/" opens the filter and Esc leaves it: only the typed characters are timed.
        measuringKey = key != .character("/") && key != .escape
        keySentAt = clock.now
        return .key(key)
    }
}

import Foundation
import PeerTesting
import Synchronization
import Testing

/// Every terminal type of the installed terminfo database (`toe -a`; ncurses-term, installed by
/// `scripts/install-deps.sh`, brings 1800 of them) given to the real console on a pseudo-terminal of 80x24, with
/// nothing in between that would re-interpret its output (no tmux, no ssh).
@Suite("Every terminfo entry")
struct TerminfoSweepTests {
    /// What an entry offers, read with `infocmp` (which, unlike curses' own set-up, also shows generic entries).
    enum Kind: Sendable {
        /// `cup`, and not generic: the console must open, draw the list and quit with `q`.
        case cursorAddressing
        /// No `cup` (the hard-copy and glass terminals, printers, `dumb`...): the console cannot place anything and
        /// refuses by name.
        case noCursorAddressing
        /// The generic entries (`gn`: `unknown`, `ibm327x`): ncurses itself will not set them up, as for a TERM it
        /// does not know; none of them has `cup`.
        case generic
    }

    /// One entry's run.
    struct Outcome: Sendable {
        var name: String
        var kind: Kind
        var run: Result<PseudoTerminalRun, SandboxError>
    }

    /// The work list and the results, shared by the worker threads.
    final class Sweep: Sendable {
        let names: [String]
        let next = Atomic<Int>(0)
        let finishedWorkers = Atomic<Int>(0)
        let outcomes = Mutex<[Outcome]>([])

        init(names: [String]) { self.names = names }
    }

    /// The names of every installed entry, each once (`toe -a` lists a name once per database directory holding it).
    static func entryNames() throws -> [String] {
        let listing = try ExternalProcess.run("toe", ["-a"])
        return Set(listing.split(separator: "\n").compactMap { $0.split(whereSeparator: \.isWhitespace).first.map(String.init) }).sorted()
    }

    static func kind(of name: String) throws -> Kind {
        let capabilities = try ExternalProcess.run("infocmp", ["-1", name]).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        if capabilities.contains("gn,") { return .generic }
        return capabilities.contains { $0.hasPrefix("cup=") } ? .cursorAddressing : .noCursorAddressing
    }

    /// The console on `name` over `sandbox`'s store, in a UTF-8 locale and with the default theme: neither the UTF-8
    /// probe nor the background question (both have tests of their own) waits for an answer a pseudo-terminal never gives.
    static func openConsole(on name: String, sandbox: Sandbox) throws -> PseudoTerminalRun {
        var environment = sandbox.environment.filter { !["LC_ALL", "LC_CTYPE", "COLUMNS", "LINES"].contains($0.key) }
        environment["TERM"] = name
        environment["LANG"] = "C.UTF-8"
        environment["SFTPIDP_THEME"] = "default"
        return try PseudoTerminalRun.run(Sandbox.binary.path, ["console"], environment: environment, columns: 80, rows: 24,
                                         whenShown: "2 users loaded", type: "q", limit: .seconds(30))
    }

    /// What is wrong with `outcome`, or nil.
    static func problem(with outcome: Outcome) -> String? {
        let run: PseudoTerminalRun
        switch outcome.run {
        case .failure(let error): return "\(outcome.name): \(error)"
        case .success(let result): run = result
        }
        let name = outcome.name
        switch outcome.kind {
        case .cursorAddressing:
            if run.status == 0, run.sawMarker, run.output.contains("/bucket/home/lee") { return nil }
            return "TERM=\(name) has cup but the console did not draw the list and quit with status 0: \(run)"
        case .noCursorAddressing:
            if run.status == 1, run.output.contains("TERM=\(name) cannot show a full-screen console (no cursor movement)") { return nil }
            return "TERM=\(name) has no cup but was not refused by name with status 1: \(run)"
        case .generic:
            if run.status == 1, run.output.contains("unknown terminal type TERM=\(name)"), run.output.contains("only a generic one") { return nil }
            return "TERM=\(name) is a generic entry but was not refused as one with status 1: \(run)"
        }
    }

    /// One worker: runs the next entry not yet taken until none is left.
    static func work(on sweep: Sweep, sandbox: Sandbox) {
        while true {
            let index = sweep.next.add(1, ordering: .relaxed).oldValue
            guard index < sweep.names.count else { return }
            let name = sweep.names[index]
            let outcome: Outcome
            do {
                let kind = try Self.kind(of: name)
                outcome = Outcome(name: name, kind: kind, run: Result { try Self.openConsole(on: name, sandbox: sandbox) }.mapError { SandboxError("\($0)") })
            } catch {
                outcome = Outcome(name: name, kind: .cursorAddressing, run: .failure(SandboxError("infocmp \(name): \(error)")))
            }
            sweep.outcomes.withLock { $0.append(outcome) }
        }
    }

    @Test("every terminfo entry with cursor addressing opens the console at 80x24, draws the list and quits with q; every other is refused by name with status 1")
    func everyEntry() async throws {
        let sandbox = try Sandbox()
        let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
        try sandbox.run(["users", "create", "kim", "--role", role, "--home", "/bucket/home/jörg"]).check("users create kim")
        try sandbox.run(["users", "create", "lee", "--role", role, "--home", "/bucket/home/lee"]).check("users create lee")
        let sweep = Sweep(names: try Self.entryNames())
        try #require(sweep.names.count > 1_000, "only \(sweep.names.count) terminfo entries: install ncurses-term (bash scripts/install-deps.sh --test)")

        // A few at a time (a run mostly waits on its terminal; the machine has two cores), on threads of their own: they
        // block, and the test awaits them without holding a thread of the concurrency pool.
        let started = ContinuousClock.now
        let workers = 4
        await withCheckedContinuation { (allDone: CheckedContinuation<Void, Never>) in
            for _ in 0..<workers {
                Thread {
                    Self.work(on: sweep, sandbox: sandbox)
                    if sweep.finishedWorkers.add(1, ordering: .acquiringAndReleasing).newValue == workers { allDone.resume() }
                }.start()
            }
        }

        let outcomes = sweep.outcomes.withLock { $0 }
        #expect(outcomes.count == sweep.names.count)
        for problem in outcomes.compactMap(Self.problem(with:)) { Issue.record(Comment(rawValue: problem)) }
        func names(_ kind: Kind) -> [String] { outcomes.filter { $0.kind == kind }.map(\.name).sorted() }
        let generic = names(.generic)
        print("""
            Swept \(outcomes.count) terminfo entries in \((ContinuousClock.now - started).components.seconds) s (\(workers) at a time): \
            \(names(.cursorAddressing).count) with cursor addressing opened at 80x24, drew the list and quit; \
            \(names(.noCursorAddressing).count) without cursor addressing and \(generic.count) generic (\(generic.joined(separator: ", "))) \
            were refused with status 1.
            """)
    }
}

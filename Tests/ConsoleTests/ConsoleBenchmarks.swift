import Foundation
import SecretStore
import SecretStoreTesting
import Testing
import TerminalUI
@testable import Console

/// In-process console measurements, run on demand (`SFTPIDP_BENCHMARKS=1 swift test --filter ConsoleBenchmarks`);
/// they print numbers for docs/benchmarks.md and assert nothing about time.
@Suite("Console benchmarks", .enabled(if: ProcessInfo.processInfo.environment["SFTPIDP_BENCHMARKS"] != nil), .serialized)
struct ConsoleBenchmarks {
    static func store(users count: Int) async throws -> InMemorySecretStore {
        let store = InMemorySecretStore(displayName: "benchmark")
        let context = WriteContext(action: "bench.seed", actor: "bench")
        for index in 0..<count {
            let name = String(format: "user%06d", index)
            _ = try await store.createSecret(name: "SFTP/\(name)", value: Fixtures.user(home: "/bucket/home/\(name)", extra: ["PasswordHash": "\"\(SnapshotScenes.argon2Hash)\""]), context: context)
        }
        return store
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    @Test("start to the first full list", arguments: [10_000, 100_000])
    func firstFullList(users: Int) async throws {
        let store = try await Self.store(users: users)
        let clock = ContinuousClock()
        let driver = ConsoleDriver(store: store, size: TerminalSize(rows: 40, columns: 120))
        var firstPage: Duration?
        let start = clock.now
        var queue = reduce(state: &driver.state, event: .started)
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            if let result = await driver.runner.perform(effect) {
                queue += reduce(state: &driver.state, event: result)
            }
            if firstPage == nil, !driver.state.list.records.isEmpty {
                var canvas = Canvas(size: driver.state.size)
                render(driver.state, into: &canvas)
                firstPage = clock.now - start
            }
        }
        var canvas = Canvas(size: driver.state.size)
        render(driver.state, into: &canvas)
        let full = clock.now - start
        #expect(driver.state.list.records.count == users)
        print("BENCH console.firstList users=\(users) firstRowsMs=\(String(format: "%.1f", Self.milliseconds(firstPage ?? full))) fullListMs=\(String(format: "%.1f", Self.milliseconds(full)))")
    }

    @Test("re-render after a filter keystroke at 100k users")
    func filterKeystroke() async throws {
        let store = try await Self.store(users: 100_000)
        let driver = ConsoleDriver(store: store, size: TerminalSize(rows: 40, columns: 120))
        await driver.start()
        await driver.press(.character("/"))
        let clock = ContinuousClock()
        var samples: [Double] = []
        for character in "user0999" {
            let start = clock.now
            _ = reduce(state: &driver.state, event: .key(.character(character)))
            var canvas = Canvas(size: driver.state.size)
            render(driver.state, into: &canvas)
            samples.append(Self.milliseconds(clock.now - start))
        }
        for _ in 0..<8 {
            let start = clock.now
            _ = reduce(state: &driver.state, event: .key(.backspace))
            var canvas = Canvas(size: driver.state.size)
            render(driver.state, into: &canvas)
            samples.append(Self.milliseconds(clock.now - start))
        }
        #expect(driver.state.list.visible.count == 100_000)
        let sorted = samples.sorted()
        print("BENCH console.filterKeystroke users=100000 medianMs=\(String(format: "%.2f", sorted[sorted.count / 2])) maxMs=\(String(format: "%.2f", sorted.last ?? 0))")
    }

    @Test("cells redrawn per cursor step")
    func cellsPerStep() async throws {
        let store = try await Self.store(users: 1_000)
        let terminal = VirtualTerminal(size: TerminalSize(rows: 24, columns: 80))
        let driver = ConsoleDriver(store: store)
        await driver.start()
        var canvas = Canvas(size: driver.state.size)
        render(driver.state, into: &canvas)
        terminal.present(canvas)
        var changed: [Int] = []
        for _ in 0..<20 {
            await driver.press(.down)
            var next = Canvas(size: driver.state.size)
            render(driver.state, into: &next)
            terminal.present(next)
            changed.append(terminal.lastCellsChanged)
        }
        print("BENCH console.cellsPerStep medianCells=\(changed.sorted()[changed.count / 2])")
    }
}

import Benchmark
import TerminalUI

/// Terminal-side costs of one console frame at 120x40: drawing a user-list-like screen into a
/// canvas (Unicode names included), and diffing it against the previous frame as a present does.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        timeUnits: .microseconds,
        warmupIterations: 10,
        maxDuration: .seconds(5),
        maxIterations: 100_000
    )
    let size = TerminalSize(rows: 40, columns: 120)

    Benchmark("render user list canvas (120x40)") { benchmark in
        for iteration in benchmark.scaledIterations {
            blackHole(ListScreen.render(size: size, selected: iteration % 38))
        }
    }

    Benchmark("diff after a cursor step (120x40)") { benchmark in
        let before = ListScreen.render(size: size, selected: 5)
        let after = ListScreen.render(size: size, selected: 6)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(after.changedCells(since: before))
        }
    }

    Benchmark("virtual terminal present, cursor step (120x40)") { benchmark in
        let terminal = VirtualTerminal(size: size)
        let frames = [ListScreen.render(size: size, selected: 5), ListScreen.render(size: size, selected: 6)]
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            terminal.present(frames[iteration % 2])
        }
        blackHole(terminal.lastCellsChanged)
    }
}

/// A frame shaped like the console's user list: header, column titles, 36 rows, status bar.
enum ListScreen {
    static let names = (0..<36).map { index -> String in
        switch index % 4 {
        case 0: "user\(index)"
        case 1: "müller-\(index)"
        case 2: "山田\(index)"
        default: "partner-\(index)-😀"
        }
    }

    static func render(size: TerminalSize, selected: Int) -> Canvas {
        var canvas = Canvas(size: size)
        canvas.fill(row: 0, column: 0, width: size.columns, role: .header)
        canvas.put(" sftpidp  store: embedded  scheme: SFTP/{serverId}/{user}  server: s-1234567890abcdef  users: 100000", row: 0, column: 0, role: .header)
        canvas.put("USER", row: 1, column: 1, role: .title)
        canvas.put("AUTH", row: 1, column: 30, role: .title)
        canvas.put("ROLE", row: 1, column: 52, role: .title)
        canvas.put("HOME", row: 1, column: 70, role: .title)
        for (offset, name) in names.enumerated() {
            let row = offset + 2
            let role: StyleRole = offset == selected ? .selection : (offset % 2 == 0 ? .listRow : .listRowAlt)
            canvas.fill(row: row, column: 0, width: size.columns, role: role)
            canvas.put(name, row: row, column: 1, role: role, maxWidth: 28)
            canvas.put("argon2id, 2 keys", row: row, column: 30, role: role, maxWidth: 20)
            canvas.put("sftp-user-role", row: row, column: 52, role: role, maxWidth: 16)
            canvas.put("/home/\(name)", row: row, column: 70, role: role, maxWidth: 40)
            if offset % 7 == 0 { canvas.put("disabled", row: row, column: 111, role: .badge) }
        }
        canvas.fill(row: size.rows - 1, column: 0, width: size.columns, role: .statusBar)
        var column = 1
        for (key, action) in [("?", "help"), ("/", "filter"), ("n", "new"), ("e", "edit"), ("t", "test login"), ("q", "quit")] {
            column = canvas.put(key, row: size.rows - 1, column: column, role: .statusKey)
            column = canvas.put(" " + action + "  ", row: size.rows - 1, column: column, role: .statusBar)
        }
        return canvas
    }
}

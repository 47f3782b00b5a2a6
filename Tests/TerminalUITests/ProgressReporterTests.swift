#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import TerminalText

/// The CLI's progress line: rendering, rate and time-left maths on an injected clock, throttling, and silence off a terminal.
@Suite struct ProgressReporterTests {
    /// A clock the test moves by hand, and the bytes the reporter wrote.
    final class Recorder: Sendable {
        let time = Mutex(100.0)
        let written = Mutex<[String]>([])
        func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
        var output: [String] { written.withLock { $0 } }
        func reporter(columns: Int = 80) -> ProgressReporter {
            ProgressReporter(write: { text in self.written.withLock { $0.append(text) } }, columns: columns, now: { self.time.withLock { $0 } })
        }
    }

    @Test func linesWithAndWithoutATotal() {
        #expect(ProgressReporter.line(label: "Copying users", done: 250, total: 1000, elapsed: 10, columns: 80)
            == "Copying users: 250/1000 (25%) · 25/s · 30 s left")
        #expect(ProgressReporter.line(label: "Listing users", done: 300, total: nil, elapsed: 4, columns: 80) == "Listing users: 300 · 75/s")
        // No rate before a tenth of a second or before the first item: no made-up figures.
        #expect(ProgressReporter.line(label: "Reading users", done: 0, total: 40, elapsed: 3, columns: 80) == "Reading users: 0/40 (0%)")
        #expect(ProgressReporter.line(label: "Reading users", done: 5, total: 40, elapsed: 0.05, columns: 80) == "Reading users: 5/40 (12%)")
        #expect(ProgressReporter.line(label: "Reading users", done: 3, total: 40, elapsed: 2, columns: 80) == "Reading users: 3/40 (7%) · 1.5/s · 25 s left")
    }

    @Test func ratesAndTimeLeft() {
        #expect(ProgressReporter.rate(done: 50, elapsed: 2) == 25)
        #expect(ProgressReporter.rate(done: 0, elapsed: 2) == nil)
        #expect(ProgressReporter.secondsLeft(done: 100, total: 3100, elapsed: 10) == 300)
        #expect(ProgressReporter.secondsLeft(done: 10, total: 10, elapsed: 1) == 0)
        #expect(ProgressReporter.duration(42) == "42 s")
        #expect(ProgressReporter.duration(41.2) == "42 s")
        #expect(ProgressReporter.duration(187) == "3 min 07 s")
        #expect(ProgressReporter.duration(3720) == "1 h 02 min")
    }

    @Test func cutToTheTerminalWidthAndNeutralised() {
        let line = ProgressReporter.line(label: "Copying\u{1B}[31m users", done: 1, total: 2, elapsed: 1, columns: 20)
        #expect(line.count == 19)
        #expect(line.hasSuffix("…"))
        #expect(!line.contains("\u{1B}"))
    }

    @Test func redrawsInPlaceThrottledAndClearsAtTheEnd() {
        let recorder = Recorder()
        let reporter = recorder.reporter()
        reporter.update("Copying users", done: 0, total: 300)
        recorder.advance(0.05)
        reporter.update("Copying users", done: 10, total: 300)  // too soon: not drawn
        recorder.advance(0.95)
        reporter.update("Copying users", done: 100, total: 300)
        reporter.update("Copying users", done: 300, total: 300)  // the last one always shows
        reporter.finish()
        #expect(recorder.output == [
            "\rCopying users: 0/300 (0%)\u{1B}[K",
            "\rCopying users: 100/300 (33%) · 100/s · 2 s left\u{1B}[K",
            "\rCopying users: 300/300 (100%) · 300/s · 0 s left\u{1B}[K",
            "\r\u{1B}[K",
        ])
    }

    @Test func aNewStageRestartsTheRate() {
        let recorder = Recorder()
        let reporter = recorder.reporter()
        reporter.update("Listing users", done: 100)
        recorder.advance(10)
        reporter.update("Listing users", done: 200)
        reporter.update("Reading users", done: 0, total: 200)
        recorder.advance(2)
        reporter.update("Reading users", done: 100, total: 200)
        #expect(recorder.output.suffix(3) == [
            "\rListing users: 200 · 20/s\u{1B}[K",
            "\rReading users: 0/200 (0%)\u{1B}[K",
            "\rReading users: 100/200 (50%) · 50/s · 2 s left\u{1B}[K",
        ])
    }

    @Test func finishWithoutAnyLineWritesNothing() {
        let recorder = Recorder()
        recorder.reporter().finish()
        #expect(recorder.output.isEmpty)
    }

    @Test func silentWhenTheOutputIsNotATerminalOrQuiet() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        let reporter = ProgressReporter.forDescriptor(ends[1], quiet: false)
        #expect(!reporter.isEnabled)
        reporter.update("Copying users", done: 1, total: 2)
        reporter.finish()
        #expect(fcntl(ends[0], F_SETFL, O_NONBLOCK) == 0)
        var byte: UInt8 = 0
        #expect(read(ends[0], &byte, 1) == -1)  // nothing was written

        // A pseudo-terminal from /dev/ptmx (Linux: TIOCSPTLCK unlocks it, TIOCGPTN names its /dev/pts peer).
        let terminal = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        try #require(terminal >= 0)
        defer { close(terminal) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        #expect(ioctl(terminal, 0x4004_5431, &unlock) == 0 && ioctl(terminal, 0x8004_5430, &number) == 0)
        let follower = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        try #require(follower >= 0)
        defer { close(follower) }
        #expect(ProgressReporter.forDescriptor(follower, quiet: false).isEnabled)
        #expect(!ProgressReporter.forDescriptor(follower, quiet: true).isEnabled)
    }
}

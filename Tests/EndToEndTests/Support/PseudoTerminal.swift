import Foundation
import PeerTesting

#if canImport(Glibc)
import Glibc
#endif

/// A program run on a pseudo-terminal of its own, with nothing between it and the test: no tmux or terminal emulator
/// re-interprets what it writes. The test sees the bytes as the program sent them for its `TERM`.
struct PseudoTerminalRun: CustomStringConvertible {
    /// Everything the program wrote to the terminal (stdout and stderr share it), as text.
    var output: String
    /// The exit status, 128 + the signal for a signal; nil when it was still running at the deadline (then killed).
    var status: Int32?
    /// Whether `marker` appeared, so that the keys were sent.
    var sawMarker: Bool

    var description: String {
        "status \(status.map(String.init) ?? "none (killed at the deadline)"), marker \(sawMarker ? "seen" : "not seen"), output:\n"
            + String(output.suffix(600)).debugDescription
    }

    /// Runs `executable` with a new pseudo-terminal of `columns` x `rows` as its controlling terminal and stdin, stdout
    /// and stderr; once `marker` appears in its output, types `keys`. A program still running after `limit` is killed
    /// with SIGKILL.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String], columns: Int, rows: Int,
                    whenShown marker: String, type keys: String, limit: Duration) throws -> PseudoTerminalRun {
        // /dev/ptmx opened directly (Swift does not import posix_openpt and its kin); O_CLOEXEC at once, since the tests
        // start programs from several threads and none of them may inherit this end. Linux's TIOCSPTLCK unlocks the
        // pair and TIOCGPTN names the /dev/pts peer (request numbers as <asm-generic/ioctls.h> gives them).
        let leader = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard leader >= 0 else { throw SandboxError("opening /dev/ptmx failed: \(String(cString: strerror(errno)))") }
        defer { close(leader) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        guard ioctl(leader, 0x4004_5431, &unlock) == 0, ioctl(leader, 0x8004_5430, &number) == 0,
              ioctl(leader, UInt(TIOCSWINSZ), &size) == 0 else {
            throw SandboxError("setting up a pseudo-terminal failed: \(String(cString: strerror(errno)))")
        }
        let child = try BackgroundProcess(executable, arguments, environment: environment, streams: .terminal("/dev/pts/\(number)"))

        var bytes: [UInt8] = []
        var sawMarker = false
        var killed = false
        let markerBytes = Array(marker.utf8)
        let deadline = ContinuousClock.now + limit
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let left = deadline - ContinuousClock.now
            if left <= .zero, !killed {
                child.signal(SIGKILL)
                killed = true
            }
            var poller = pollfd(fd: leader, events: Int16(POLLIN), revents: 0)
            let milliseconds = killed ? 2_000 : max(1, Int32(left.components.seconds * 1_000 + left.components.attoseconds / 1_000_000_000_000_000))
            let ready = poll(&poller, 1, milliseconds)
            if ready < 0, errno == EINTR { continue }
            if ready == 0 {
                if killed { break }  // killed, and still no end of output: stop waiting for it
                continue
            }
            let count = read(leader, &buffer, buffer.count)
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            guard count > 0 else { break }  // EIO: every descriptor of the other end is closed, the program has ended
            bytes += buffer[0..<count]
            if !sawMarker, bytes.firstRange(of: markerBytes) != nil {
                sawMarker = true
                _ = keys.utf8CString.withUnsafeBufferPointer { write(leader, $0.baseAddress, $0.count - 1) }
            }
        }
        // The terminal's last descriptor closes as the program exits; one that lives on without it is killed.
        if !killed, child.waitForExit(timeout: .seconds(5)) == nil {
            child.signal(SIGKILL)
            killed = true
        }
        let exit = child.wait()
        return PseudoTerminalRun(output: String(decoding: bytes, as: UTF8.self), status: killed ? nil : exit, sawMarker: sawMarker)
    }
}

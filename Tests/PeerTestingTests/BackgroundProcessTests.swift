import Foundation
import PeerTesting
import Testing

@Suite struct BackgroundProcessTests {
    /// A scratch directory for one test's output files.
    private static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("background-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Whether `pid` names no process at all, not even a zombie waiting to be reaped.
    private static func isGone(_ pid: pid_t) -> Bool {
        kill(pid, 0) == -1 && errno == ESRCH
    }

    @Test func reportsTheExitStatusAndWritesOutputToFiles() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out").path, error = directory.appendingPathComponent("err").path
        let process = try BackgroundProcess("/bin/sh", ["-c", "echo hi; echo oops >&2; exit 3"], streams: .files(output: output, error: error))
        #expect(process.wait() == 3)
        #expect(!process.isRunning)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "hi\n")
        #expect(try String(contentsOfFile: error, encoding: .utf8) == "oops\n")
        #expect(Self.isGone(process.processIdentifier))
    }

    @Test func runsInTheGivenDirectoryWithOnlyTheGivenEnvironment() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ExternalProcess.execute("/bin/sh", ["-c", "pwd; echo \"$GREETING\"; echo \"${HOME-unset}\"; cat"],
                                                 input: "from stdin", environment: ["GREETING": "hello"], directory: directory)
        #expect(result.status == 0, "\(result)")
        let realDirectory = directory.resolvingSymlinksInPath().path
        #expect(result.stdout == "\(realDirectory)\nhello\nunset\nfrom stdin", "\(result)")
    }

    @Test func theChildInheritsOnlyItsStandardStreams() throws {
        let stray = open("/dev/null", O_RDONLY)  // without O_CLOEXEC, as another test's connection may be
        defer { close(stray) }
        let result = try ExternalProcess.execute("/bin/sh", ["-c", "ls /proc/$$/fd"])
        #expect(result.stdout == "0\n1\n2\n", "\(result)")
    }

    @Test func aMissingProgramFailsToStart() {
        #expect(throws: ExternalProcess.Failure.self) { try BackgroundProcess("/nonexistent/program", []) }
    }

    @Test func stopEndsAServerWithSIGTERMAndReapsIt() async throws {
        let process = try BackgroundProcess("/bin/sleep", ["86400"])
        #expect(process.isRunning)
        #expect(await process.waitForExit(timeout: .milliseconds(100)) == nil)
        #expect(process.stop() == 128 + SIGTERM)
        #expect(!process.isRunning)
        #expect(Self.isGone(process.processIdentifier))
        #expect(process.stop() == 128 + SIGTERM, "stopping an ended process only returns its status")
    }

    @Test func stopKillsAProcessThatIgnoresSIGTERM() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ready = directory.appendingPathComponent("ready").path
        // An ignored signal stays ignored across exec: the sleep ignores SIGTERM too.
        let process = try BackgroundProcess("/bin/sh", ["-c", "trap '' TERM; echo ready; exec sleep 86400"], streams: .files(output: ready))
        let started = await waitUntil { (try? String(contentsOfFile: ready, encoding: .utf8)) == "ready\n" }
        #expect(started)
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .milliseconds(300)) == nil, "SIGTERM is ignored")
        #expect(process.stop() == 128 + SIGKILL)
        #expect(Self.isGone(process.processIdentifier))
    }

    @Test func deinitStopsAndReapsTheChild() throws {
        let pid: pid_t
        do {
            let process = try BackgroundProcess("/bin/sleep", ["86400"])
            pid = process.processIdentifier
            withExtendedLifetime(process) { #expect(!Self.isGone(pid)) }
        }
        #expect(Self.isGone(pid))
    }
}

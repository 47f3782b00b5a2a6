import EmbeddedStore
import Foundation
import ListingCache
import PeerTesting
import SecretStore
import Testing

/// The real `sftpidp console` over an embedded store of N users (`SFTPIDP_CONSOLE_BENCHMARK=N`), under tmux and
/// `/usr/bin/time -v`: how long until every user is listed (the header shows `N users` and no longer `loading`), the
/// console's peak resident memory and its CPU time (user and system, until it quits), for each way a store is
/// opened: the first open of a store sftpidp wrote (each version's overview kept in the store, no listing cache
/// file yet), a reopen with the listing cache file, `--no-cache`, the first open of a store an older sftpidp wrote
/// (no overviews: every value read, then the overviews kept), and that store opened again without the cache file.
/// Prints them; asserts only what the screen shows (no timed assertion).
///
///     SFTPIDP_CONSOLE_BENCHMARK=100000 SFTPIDP_BINARY=.build/release/sftpidp swift test --skip-build --filter ConsoleScaleBenchmark
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SFTPIDP_CONSOLE_BENCHMARK"] != nil, "a benchmark: set SFTPIDP_CONSOLE_BENCHMARK=<users>"))
struct ConsoleScaleBenchmark {
    @Test func everyUserListedAndPeakMemory() async throws {
        let userCount = Int(ProcessInfo.processInfo.environment["SFTPIDP_CONSOLE_BENCHMARK"] ?? "") ?? 100_000
        let sandbox = try Sandbox()
        let location = EmbeddedStoreLocation.resolve(storePath: nil, environment: sandbox.environment)
        // Written as the sftpidp CLI writes: each version's overview kept beside it.
        let store = try EmbeddedSecretStore.open(databasePath: location.databasePath, keyPath: location.keyPath, createIfMissing: true,
                                                 summariser: .userOverviews(naming: try NamingScheme("SFTP/{username}"), serverID: nil))
        let context = WriteContext(action: "benchmark.seed", actor: "benchmark")
        for start in stride(from: 0, to: userCount, by: 5_000) {
            _ = try await store.createSecrets((start..<min(start + 5_000, userCount)).map { (name: String(format: "SFTP/user%06d", $0), value: Self.secretJSON(user: $0)) }, context: context)
        }
        try store.close()

        let session = try TmuxSession(sandbox: sandbox, columns: 100, rows: 40)
        defer { session.close() }
        let cacheDirectory = sandbox.path(".cache")
        var results: [(String, Opened)] = []
        try? FileManager.default.removeItem(atPath: cacheDirectory)
        results.append(("first open", try await timeConsole(in: session, sandbox: sandbox, userCount: userCount, report: "first-open.txt")))
        results.append(("reopened with the listing cache", try await timeConsole(in: session, sandbox: sandbox, userCount: userCount, report: "reopen.txt")))
        results.append(("--no-cache", try await timeConsole(in: session, sandbox: sandbox, userCount: userCount, report: "no-cache.txt", arguments: " --no-cache")))
        // As an older sftpidp left the store: no overview kept.
        _ = try ExternalProcess.run("sqlite3", [location.databasePath, "DELETE FROM summaries;"])
        try FileManager.default.removeItem(atPath: cacheDirectory)
        results.append(("first open of a store without overviews", try await timeConsole(in: session, sandbox: sandbox, userCount: userCount, report: "older.txt")))
        try FileManager.default.removeItem(atPath: cacheDirectory)
        results.append(("that store again, without the cache file", try await timeConsole(in: session, sandbox: sandbox, userCount: userCount, report: "kept.txt")))
        print("console benchmark: \(userCount) users listed (from the shell command to the screen, 100 ms polling): "
              + results.map { "\($0.0) \($0.1.elapsed) (peak RSS \($0.1.peakKilobytes) kB, CPU \($0.1.cpuSeconds) s)" }.joined(separator: ", "))
    }

    typealias Opened = (elapsed: Duration, peakKilobytes: String, cpuSeconds: String)

    /// Runs `sftpidp console` under `/usr/bin/time -v` until every user is listed, then quits it: the time from the
    /// shell command to that screen, the console's peak resident memory in kB and its CPU seconds (user + system).
    func timeConsole(in session: TmuxSession, sandbox: Sandbox, userCount: Int, report name: String,
                     arguments: String = "") async throws -> Opened {
        let report = sandbox.path(name)
        let started = ContinuousClock.now
        try session.shell("clear; /usr/bin/time -v -o \(report) sftpidp console\(arguments)")
        // Up to 10 minutes: a debug build on a loaded machine is slow.
        let listed = try session.waitUntil(tries: 6_000, "every user listed") { $0.contains("\(userCount) users") && !$0.contains("(loading") }
        let elapsed = ContinuousClock.now - started
        #expect(listed.contains("user000000"))
        try session.keys("q")
        // /usr/bin/time writes its report once the console has exited.
        var timeReport = ""
        for _ in 0..<300 where !timeReport.contains("Maximum resident set size") {
            try await Task.sleep(for: .milliseconds(100))
            timeReport = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        }
        #expect(!timeReport.isEmpty, "no report from /usr/bin/time")
        func field(_ label: String) -> String? {
            timeReport.split(separator: "\n").first { $0.contains(label) }?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces)
        }
        let cpu = [field("User time (seconds)"), field("System time (seconds)")].map { $0.flatMap(Double.init) }
        let cpuSeconds = cpu.contains(nil) ? "?" : String(format: "%.1f", cpu.compactMap { $0 }.reduce(0, +))
        return (elapsed, field("Maximum resident set size") ?? "?", cpuSeconds)
    }

    /// A user secret as the CLI writes it, the same shape as the package benchmarks' seeded store: role, logical
    /// home, an argon2id hash and one ssh key (about 500 bytes).
    static func secretJSON(user: Int) -> String {
        """
        {"Role":"arn:aws:iam::123456789012:role/sftp-user","HomeDirectoryType":"LOGICAL",\
        "HomeDirectoryDetails":"[{\\"Entry\\":\\"/\\",\\"Target\\":\\"/bucket/user\(user)\\"}]",\
        "PasswordHash":"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0q9oCk2yGHEd0VJFuWBb6LP2g5VWFcIu7v0GVL0Ms3A",\
        "PublicKey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user\(user)@example.com",\
        "AcceptedIpNetwork":"10.0.0.0/8,192.168.0.0/16"}
        """
    }
}

import EmbeddedStore
import Foundation
import SecretStore
import Testing

/// The real `sftpidp console` over an embedded store of N users (`SFTPIDP_CONSOLE_BENCHMARK=N`), under tmux and
/// `/usr/bin/time -v`, three times: how long until every user is listed (the header shows `N users` and no longer
/// `loading`) on the first open, on a reopen with the listing cache, and with `--no-cache`, and the console's peak
/// resident memory and CPU time (user and system, until it quits) each time.
/// Prints them; asserts only what the screen shows (no timed assertion).
///
///     SFTPIDP_CONSOLE_BENCHMARK=100000 SFTPIDP_BINARY=.build/release/sftpidp swift test --skip-build --filter ConsoleScaleBenchmark
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SFTPIDP_CONSOLE_BENCHMARK"] != nil, "a benchmark: set SFTPIDP_CONSOLE_BENCHMARK=<users>"))
struct ConsoleScaleBenchmark {
    @Test func everyUserListedAndPeakMemory() async throws {
        let userCount = Int(ProcessInfo.processInfo.environment["SFTPIDP_CONSOLE_BENCHMARK"] ?? "") ?? 100_000
        let sandbox = try Sandbox()
        let location = EmbeddedStoreLocation.resolve(storePath: nil, environment: sandbox.environment)
        let store = try EmbeddedSecretStore.open(databasePath: location.databasePath, keyPath: location.keyPath, createIfMissing: true)
        let context = WriteContext(action: "benchmark.seed", actor: "benchmark")
        for start in stride(from: 0, to: userCount, by: 5_000) {
            _ = try await store.createSecrets((start..<min(start + 5_000, userCount)).map { (name: String(format: "SFTP/user%06d", $0), value: Self.secretJSON(user: $0)) }, context: context)
        }
        try store.close()

        let session = try TmuxSession(sandbox: sandbox, columns: 100, rows: 40)
        defer { session.close() }
        // The first open reads every user and fills the listing cache; the second finds every user unchanged.
        let first = try await timeConsole(in: session, sandbox: sandbox, userCount: userCount, report: "first-open.txt")
        let reopened = try await timeConsole(in: session, sandbox: sandbox, userCount: userCount, report: "reopen.txt")
        let uncached = try await timeConsole(in: session, sandbox: sandbox, userCount: userCount, report: "no-cache.txt", arguments: " --no-cache")
        print("console benchmark: \(userCount) users listed (from the shell command to the screen, 100 ms polling): "
              + "first open \(first.elapsed) (peak RSS \(first.peakKilobytes) kB, CPU \(first.cpuSeconds) s), "
              + "reopened with the listing cache \(reopened.elapsed) (peak RSS \(reopened.peakKilobytes) kB, CPU \(reopened.cpuSeconds) s), "
              + "--no-cache \(uncached.elapsed) (peak RSS \(uncached.peakKilobytes) kB, CPU \(uncached.cpuSeconds) s)")
    }

    /// Runs `sftpidp console` under `/usr/bin/time -v` until every user is listed, then quits it: the time from the
    /// shell command to that screen, the console's peak resident memory in kB and its CPU seconds (user + system).
    func timeConsole(in session: TmuxSession, sandbox: Sandbox, userCount: Int, report name: String,
                     arguments: String = "") async throws -> (elapsed: Duration, peakKilobytes: String, cpuSeconds: String) {
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

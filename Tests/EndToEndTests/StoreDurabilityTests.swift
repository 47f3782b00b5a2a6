import Foundation
import Testing

/// Several real `sftpidp` processes on one embedded store: racing writers and writers killed mid-write.
@Suite struct StoreDurabilityTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"

    @Test func racingUpdatesEitherLandOrReportAConflictAndNothingIsLost() async throws {
        let sandbox = try Sandbox()
        try sandbox.run(["users", "create", "jess", "--role", Self.role])
        let writers = 6
        let results = try await withThrowingTaskGroup(of: (Int, CommandResult).self) { group in
            for writer in 0..<writers {
                group.addTask {
                    (writer, try sandbox.run(["users", "update", "jess", "--comment", "writer \(writer)"]))
                }
            }
            return try await group.reduce(into: [Int: CommandResult]()) { $0[$1.0] = $1.1 }
        }
        let winners = results.filter { $0.value.status == 0 }.map(\.key)
        let losers = results.filter { $0.value.status != 0 }
        #expect(!winners.isEmpty)
        for (_, result) in losers {
            #expect(result.status == 1)
            #expect(result.stderr.contains("changed") || result.stderr.contains("conflict"), "\(result)")
        }
        // Every acknowledged write is a version of its own: one for the create plus one per winner.
        let history = try sandbox.run(["users", "history", "jess", "--json"])
        let versions = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(versions.count == 1 + winners.count)
        let audit = try sandbox.run(["audit", "--user", "jess", "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [[String: Any]])
        #expect(entries.filter { $0["action"] as? String == "users.update" }.count == winners.count)
    }

    /// Starts `users create userN` (with `extra` options) `attempts` times and SIGKILLs each at a different point,
    /// from before start-up to long after the commit; returns the users whose create exited 0 (acknowledged).
    static func createsKilledMidWrite(in sandbox: Sandbox, attempts: Int, extra: [String] = []) async throws -> [String] {
        var acknowledged: [String] = []
        for attempt in 0..<attempts {
            let username = "user\(attempt)"
            let process = try sandbox.start(["users", "create", username, "--role", Self.role, "--comment", "attempt \(attempt)"] + extra)
            try await Task.sleep(for: .milliseconds(attempt < attempts - 4 ? attempt * 6 : 3_000))
            process.signal(SIGKILL)
            if process.wait() == 0 {
                acknowledged.append(username)
            }
        }
        return acknowledged
    }

    /// The user names `users list --json` shows.
    static func listedUsers(in sandbox: Sandbox) throws -> Set<String> {
        let list = try sandbox.run(["users", "list", "--json"])
        #expect(list.status == 0, "\(list)")
        return Set(try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]).compactMap { $0["username"] as? String })
    }

    @Test func writersKilledMidWriteLeaveAConsistentStoreWithEveryAcknowledgedWrite() async throws {
        let sandbox = try Sandbox()
        try sandbox.run(["store", "init"])
        let acknowledged = try await Self.createsKilledMidWrite(in: sandbox, attempts: 24)
        #expect(!acknowledged.isEmpty, "no create finished even with a long grace period")
        let check = try sandbox.run(["store", "check"])
        #expect(check.status == 0, "\(check)")
        let names = try Self.listedUsers(in: sandbox)
        for username in acknowledged {
            #expect(names.contains(username), "acknowledged create of \(username) is missing")
        }
        // The store still takes writes after the crashes.
        #expect(try sandbox.run(["users", "create", "after_crash", "--role", Self.role]).status == 0)
    }

    @Test func writersKilledWhileTheConsoleIsOpenAndServeReadsLoseNothingAndServeKeepsAnswering() async throws {
        let sandbox = try Sandbox()
        let keyPath = sandbox.path("id_ed25519")
        try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "durability@test", "-f", keyPath])
        let key = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try sandbox.run(["users", "create", "steady", "--role", Self.role, "--public-key", key]).status == 0)

        let serve = try ServeProcess(sandbox: sandbox, arguments: ["--insecure-no-auth"])
        defer { _ = serve.stop() }
        let console = try TmuxSession(sandbox: sandbox)
        defer { console.close() }
        try console.shell("sftpidp")
        try console.waitFor("steady")

        // serve answers a key login of a user nobody touches, over and over, while the writers are killed.
        let steadyURL = "\(serve.baseURL)/servers/s-0123456789abcdef0/users/steady/config?protocol=SFTP&sourceIp=10.1.2.3"
        let reader = Task.detached { () throws -> [CurlResult] in
            var answers: [CurlResult] = []
            while !Task.isCancelled { answers.append(try sandbox.curl([steadyURL])) }
            return answers
        }
        let acknowledged = try await Self.createsKilledMidWrite(in: sandbox, attempts: 16, extra: ["--public-key", key])
        reader.cancel()
        let answers = try await reader.value

        #expect(!acknowledged.isEmpty, "no create finished even with a long grace period")
        #expect(!answers.isEmpty)
        for answer in answers where answer.status != 200 || answer.object["PublicKeys"] == nil {
            Issue.record("serve answered a read of an untouched user with \(answer) while writers were killed")
        }
        #expect(serve.process.isRunning)
        // Every acknowledged write is in the store and served.
        let check = try sandbox.run(["store", "check"])
        #expect(check.status == 0, "\(check)")
        let names = try Self.listedUsers(in: sandbox)
        for username in acknowledged {
            #expect(names.contains(username), "acknowledged create of \(username) is missing")
            let answer = try sandbox.curl(["\(serve.baseURL)/servers/s-0123456789abcdef0/users/\(username)/config?protocol=SFTP&sourceIp=10.1.2.3"])
            #expect(answer.status == 200 && answer.object["Role"] as? String == Self.role, "\(username): \(answer)")
        }
        // The console lived through it: it still answers keys and quits cleanly.
        try console.keys("q")
        try console.waitUntil("the console to exit") { _ in (try? console.display("#{alternate_on}")) == "0" }
    }
}

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

    @Test func writersKilledMidWriteLeaveAConsistentStoreWithEveryAcknowledgedWrite() async throws {
        let sandbox = try Sandbox()
        try sandbox.run(["store", "init"])
        var acknowledged: [String] = []
        for attempt in 0..<24 {
            let username = "user\(attempt)"
            let process = try sandbox.start(["users", "create", username, "--role", Self.role, "--comment", "attempt \(attempt)"])
            // Kill at a different point of each run: from before start-up to long after the commit.
            try await Task.sleep(for: .milliseconds(attempt < 20 ? attempt * 6 : 3_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .exit, process.terminationStatus == 0 {
                acknowledged.append(username)
            }
        }
        #expect(!acknowledged.isEmpty, "no create finished even with a long grace period")
        let check = try sandbox.run(["store", "check"])
        #expect(check.status == 0, "\(check)")
        let list = try sandbox.run(["users", "list", "--json"])
        #expect(list.status == 0, "\(list)")
        let names = Set(try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]).compactMap { $0["username"] as? String })
        for username in acknowledged {
            #expect(names.contains(username), "acknowledged create of \(username) is missing")
        }
        // The store still takes writes after the crashes.
        #expect(try sandbox.run(["users", "create", "after_crash", "--role", Self.role]).status == 0)
    }
}

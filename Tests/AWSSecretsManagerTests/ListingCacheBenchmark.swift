import Foundation
import ListingCache
import PeerTesting
import SecretStore
import Testing
import UserManagement
@testable import AWSSecretsManager
@testable import Console

/// Not a test: a measurement, run only with `SFTPIDP_AWS_CACHE_BENCHMARK=N` (number of users). It lists N users as
/// `sftpidp users list` does with the listing cache: first open (empty cache), reopen unchanged, reopen after N/100
/// users changed; it prints the API calls and the time of each (results go in docs/benchmarks.md). Each round also
/// loads the console's list (`sftpidp console`, in process) with a cache of its own.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SFTPIDP_AWS_CACHE_BENCHMARK"] != nil), .motoServer)
struct ListingCacheBenchmark {
    @Test func listUsersWithTheCache() async throws {
        let count = Int(ProcessInfo.processInfo.environment["SFTPIDP_AWS_CACHE_BENCHMARK"] ?? "") ?? 1000
        let moto = try #require(MotoServer.current)
        let location = ListingCacheLocation(directory: NSTemporaryDirectory() + "listing-cache-benchmark-\(UUID().uuidString)/sftpidp")
        let consoleLocation = ListingCacheLocation(directory: NSTemporaryDirectory() + "listing-cache-benchmark-\(UUID().uuidString)/sftpidp")
        defer {
            for used in [location, consoleLocation] { try? FileManager.default.removeItem(atPath: (used.directory as NSString).deletingLastPathComponent) }
        }
        let prefix = "SFTP/"
        let seeding = try moto.store()
        let value = #"{"Role":"arn:aws:iam::123456789012:role/AWSTransferAccessRole","HomeDirectory":"/bucket/home/user","PublicKey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1iVn5V2Z7pQw0f0n0zK2vP4B6l8m8yqI7p1R4iS3aB user@host"}"#
        var versions: [String: String] = [:]
        for index in 0..<count {
            let name = prefix + String(format: "user%05d", index)
            versions[name] = try await seeding.createSecret(name: name, value: value, context: testContext).versionID
        }
        let changed = count / 100
        let rounds: [(label: String, budget: Int, before: () async throws -> Void)] = [
            ("first open", count / 100 + count / 20, {}),
            ("reopen unchanged", count / 100, {}),
            ("reopen unchanged", count / 100, {}),
            ("reopen after \(changed) changed", count / 100 + (changed + 19) / 20, {
                for index in stride(from: 0, to: count, by: 100) {
                    let name = prefix + String(format: "user%05d", index)
                    _ = try await seeding.putSecret(name: name, value: value.replacingOccurrences(of: "/user", with: "/changed"),
                                                    replacing: versions[name] ?? "", context: testContext)
                }
            }),
        ]
        for round in rounds {
            try await round.before()
            let store = try moto.store()
            let directory = UserDirectory(store: store, naming: .sftpPrefix, serverID: nil)
            let cache = EncryptedListingCache(location: location, scope: store.configuration.description, warn: { print("warning: \($0)") })
            var overviews: [UserOverview] = []
            let elapsed = try await ContinuousClock().measure {
                overviews = try await directory.overviews(cache: cache)
            }
            print("AWS listing cache benchmark: N=\(count) \(round.label): listed=\(overviews.count) calls=\(store.callCount) \(store.callCounts) budget=\(round.budget) time=\(elapsed)")
            #expect(overviews.count == count)
            #expect(store.callCount == round.budget)

            // The console also reads the user it selects at start (user00000) when the cache summarised it.
            var console: (state: ConsoleState, calls: [String: Int])?
            let consoleElapsed = try await ContinuousClock().measure {
                console = try await moto.openConsole(naming: .sftpPrefix, location: consoleLocation, warn: { print("warning: \($0)") })
            }
            let consoleCalls = console?.calls.values.reduce(0, +) ?? 0
            let consoleBudget = round.label.hasPrefix("reopen unchanged") ? round.budget + 1 : round.budget
            print("AWS listing cache benchmark: N=\(count) console \(round.label): listed=\(console?.state.list.records.count ?? 0) calls=\(consoleCalls) \(console?.calls ?? [:]) budget=\(consoleBudget) time=\(consoleElapsed)")
            #expect(console?.state.list.records.count == count)
            #expect(consoleCalls == consoleBudget)
        }
    }
}

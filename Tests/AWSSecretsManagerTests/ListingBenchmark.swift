import PeerTesting
import Foundation
import SecretStore
import Testing
@testable import AWSCore
@testable import AWSSecretsManager

/// Not a test: a measurement, run only with `SFTPIDP_AWS_BENCHMARK=N` (number of users). It lists N users with their
/// details against moto and prints the API calls made and the time taken (results go in docs/benchmarks.md).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SFTPIDP_AWS_BENCHMARK"] != nil), .motoServer)
struct ListingBenchmark {
    @Test func listUsersWithDetails() async throws {
        let count = Int(ProcessInfo.processInfo.environment["SFTPIDP_AWS_BENCHMARK"] ?? "") ?? 1000
        let moto = try #require(MotoServer.current)
        let store = try moto.store()
        let prefix = "SFTP/"
        let value = #"{"Role":"arn:aws:iam::123456789012:role/AWSTransferAccessRole","HomeDirectory":"/bucket/home/user","PublicKey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1iVn5V2Z7pQw0f0n0zK2vP4B6l8m8yqI7p1R4iS3aB user@host"}"#
        for index in 0..<count {
            _ = try await store.createSecret(name: prefix + String(format: "user%05d", index), value: value, context: testContext)
        }
        for round in 1...3 {
            let listingStore = try moto.store()
            let clock = ContinuousClock()
            var names: [String] = []
            var details = 0
            let elapsed = try await clock.measure {
                names = try await listingStore.listAllSecrets(prefix: prefix).map(\.name)
                details = try await listingStore.getSecrets(names: names).values.filter { (try? $0.get()) != nil }.count
            }
            let budget = count / 20 + count / 100 + 2
            print("AWS listing benchmark round \(round): N=\(count) listed=\(names.count) details=\(details) calls=\(listingStore.callCount) \(listingStore.callCounts) budget=\(budget) time=\(elapsed)")
            #expect(names.count == count && details == count)
            #expect(listingStore.callCount <= budget)
        }
    }
}

import EmbeddedStore
import Foundation
import SecretStore
import Testing

@Suite("Concurrent writers")
struct ConcurrencyTests {
    @Test("two store instances on one file racing to update a secret: one winner per round, nothing lost")
    func racingPuts() async throws {
        let temporary = try TemporaryStore()
        let stores = [try temporary.open(), try temporary.open()]
        let name = "SFTP/contended"
        var current = try await stores[0].createSecret(name: name, value: "round 0", context: testContext).versionID
        var winners = [current]
        for round in 1...15 {
            let replacing = current
            let outcomes = await withTaskGroup(of: (Int, Result<SecretVersionInfo, any Error>).self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        do {
                            let info = try await stores[writer % 2].putSecret(name: name, value: "round \(round) writer \(writer)", replacing: replacing,
                                                                              context: WriteContext(action: "race", actor: "writer\(writer)"))
                            return (writer, .success(info))
                        } catch {
                            return (writer, .failure(error))
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let successes = outcomes.compactMap { writer, outcome in (try? outcome.get()).map { (writer, $0) } }
            try #require(successes.count == 1, "round \(round): \(successes.count) writers succeeded")
            let (winner, info) = successes[0]
            for case let (_, .failure(error)) in outcomes {
                let storeError = try #require(error as? SecretStoreError, "round \(round): unexpected error \(error)")
                #expect(storeError.kind == .conflict(expectedVersionID: replacing, actualVersionID: info.versionID), "round \(round)")
            }
            for store in stores {
                let value = try await store.getSecret(name: name, version: .current)
                #expect(value.string == "round \(round) writer \(winner)")
                #expect(value.versionID == info.versionID)
            }
            current = info.versionID
            winners.append(current)
        }
        let kept = try await stores[1].listVersions(name: name)
        #expect(kept.map(\.versionID) == winners.reversed(), "every acknowledged write is kept, newest first")
        let audit = try await stores[0].auditTrail(secretName: name, limit: 100)
        #expect(audit.filter { $0.action == "race" }.count == 15, "one audit entry per successful write")
        #expect(try stores[0].check().isHealthy)
    }

    @Test("racing creates of one name: exactly one succeeds; creates of distinct names all land")
    func racingCreates() async throws {
        let temporary = try TemporaryStore()
        let stores = [try temporary.open(), try temporary.open()]
        let outcomes = await withTaskGroup(of: Result<SecretVersionInfo, any Error>.self) { group in
            for writer in 0..<10 {
                group.addTask {
                    do {
                        return .success(try await stores[writer % 2].createSecret(name: "SFTP/same", value: "writer \(writer)", context: testContext))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { (try? $0.get()) != nil }.count == 1)
        for case .failure(let error) in outcomes {
            #expect((error as? SecretStoreError)?.kind == .alreadyExists, "unexpected error: \(error)")
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    _ = try await stores[index % 2].createSecret(name: String(format: "SFTP/user%03d", index), value: "v\(index)", context: testContext)
                }
            }
            try await group.waitForAll()
        }
        let names = try await stores[0].listAllSecrets(prefix: "SFTP/user")
        #expect(names.map(\.name) == (0..<200).map { String(format: "SFTP/user%03d", $0) })
    }
}

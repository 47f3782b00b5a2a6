import PeerTesting
import Foundation
import SecretStore
import Testing
@testable import AWSCore
@testable import AWSSecretsManager

/// The store against a real moto server with signature checking on.
@Suite(.motoServer) struct AWSStoreMotoTests {
    let moto: MotoServer
    let store: AWSSecretsManagerStore

    init() throws {
        moto = try #require(MotoServer.current)
        store = try moto.store()
    }

    @Test func createReadAndVersions() async throws {
        let name = uniquePrefix("crud") + "jess"
        let first = try await store.createSecret(name: name, value: #"{"Role":"r1"}"#, context: testContext)
        #expect(first.isCurrent)
        let read = try await store.getSecret(name: name, version: .current)
        #expect(read.string == #"{"Role":"r1"}"#)
        #expect(read.versionID == first.versionID)

        let second = try await store.putSecret(name: name, value: #"{"Role":"r2"}"#, replacing: first.versionID, context: testContext)
        #expect(try await store.getSecret(name: name, version: .current).string == #"{"Role":"r2"}"#)
        #expect(try await store.getSecret(name: name, version: .previous).string == #"{"Role":"r1"}"#)
        #expect(try await store.getSecret(name: name, version: .id(first.versionID)).string == #"{"Role":"r1"}"#)

        let versions = try await store.listVersions(name: name)
        #expect(Set(versions.map(\.versionID)) == [first.versionID, second.versionID])
        #expect(versions.first { $0.versionID == second.versionID }?.isCurrent == true)
        #expect(versions.first { $0.versionID == first.versionID }?.stages == [SecretVersionInfo.previousStage])
    }

    @Test func staleWritesAreConflictsAndChangeNothing() async throws {
        let name = uniquePrefix("conflict") + "jess"
        let first = try await store.createSecret(name: name, value: "v1", context: testContext)
        let second = try await store.putSecret(name: name, value: "v2", replacing: first.versionID, context: testContext)
        let error = await #expect(throws: SecretStoreError.self) {
            try await store.putSecret(name: name, value: "v3", replacing: first.versionID, context: testContext)
        }
        #expect(error?.kind == .conflict(expectedVersionID: first.versionID, actualVersionID: second.versionID))
        #expect(error.map { !$0.message.contains("v3") } ?? false)
        #expect(try await store.getSecret(name: name, version: .current).string == "v2")
        let promoteError = await #expect(throws: SecretStoreError.self) {
            try await store.promoteVersion(name: name, versionID: first.versionID, replacing: first.versionID, context: testContext)
        }
        #expect(promoteError?.isConflict == true)
        #expect(try await store.listVersions(name: name).count == 2)
    }

    @Test func promoteRollsBack() async throws {
        let name = uniquePrefix("promote") + "jess"
        let first = try await store.createSecret(name: name, value: "v1", context: testContext)
        let second = try await store.putSecret(name: name, value: "v2", replacing: first.versionID, context: testContext)
        let promoted = try await store.promoteVersion(name: name, versionID: first.versionID, replacing: second.versionID, context: testContext)
        #expect(promoted.versionID == first.versionID)
        #expect(promoted.isCurrent)
        #expect(try await store.getSecret(name: name, version: .current).string == "v1")
        #expect(try await store.getSecret(name: name, version: .previous).string == "v2")
        let missing = await #expect(throws: SecretStoreError.self) {
            try await store.promoteVersion(name: name, versionID: "00000000-0000-0000-0000-000000000000", replacing: first.versionID, context: testContext)
        }
        #expect(missing?.kind == .notFound)
    }

    @Test func errorsMapToStoreKinds() async throws {
        let prefix = uniquePrefix("errors")
        let missing = await #expect(throws: SecretStoreError.self) {
            try await store.getSecret(name: prefix + "nobody", version: .current)
        }
        #expect(missing?.kind == .notFound)
        #expect(missing?.secretName == prefix + "nobody")
        #expect(missing?.message.contains("ResourceNotFoundException") == true)

        _ = try await store.createSecret(name: prefix + "jess", value: "v1", context: testContext)
        let duplicate = await #expect(throws: SecretStoreError.self) {
            try await store.createSecret(name: prefix + "jess", value: "v1", context: testContext)
        }
        #expect(duplicate?.kind == .alreadyExists)

        let badWindow = await #expect(throws: SecretStoreError.self) {
            try await store.deleteSecret(name: prefix + "jess", recoveryWindowDays: 3, forceWithoutRecovery: false, context: testContext)
        }
        #expect(badWindow?.kind == .invalidRequest)
        #expect(badWindow?.message.contains("7 to 30 days") == true)
    }

    @Test func deleteRestoreAndForceDelete() async throws {
        let prefix = uniquePrefix("delete")
        let name = prefix + "jess"
        _ = try await store.createSecret(name: name, value: "v1", context: testContext)
        let removal = try await store.deleteSecret(name: name, recoveryWindowDays: 7, forceWithoutRecovery: false, context: testContext)
        #expect(removal > Date().addingTimeInterval(6 * 86_400))
        let deleted = await #expect(throws: SecretStoreError.self) {
            try await store.getSecret(name: name, version: .current)
        }
        #expect(deleted?.kind == .markedForDeletion)
        #expect(try await store.listAllSecrets(prefix: prefix).isEmpty)
        #expect(try await store.listAllSecrets(prefix: prefix, includeDeleted: true).map(\.name) == [name])
        #expect(try await store.listAllSecrets(prefix: prefix, includeDeleted: true).first?.deletedAt != nil)
        let recreate = await #expect(throws: SecretStoreError.self) {
            try await store.createSecret(name: name, value: "v2", context: testContext)
        }
        #expect(recreate?.kind == .alreadyExists || recreate?.kind == .markedForDeletion)

        try await store.restoreSecret(name: name, context: testContext)
        #expect(try await store.getSecret(name: name, version: .current).string == "v1")
        #expect(try await store.listAllSecrets(prefix: prefix).map(\.name) == [name])

        try await store.deleteSecret(name: name, recoveryWindowDays: 7, forceWithoutRecovery: true, context: testContext)
        let gone = await #expect(throws: SecretStoreError.self) {
            try await store.getSecret(name: name, version: .current)
        }
        #expect(gone?.kind == .notFound)
        #expect(try await store.listAllSecrets(prefix: prefix, includeDeleted: true).isEmpty)
    }

    @Test func pagingListsEverySecretOnce() async throws {
        let prefix = uniquePrefix("paging")
        let names = (0..<23).map { prefix + String(format: "user%02d", $0) }
        for name in names {
            _ = try await store.createSecret(name: name, value: "{}", context: testContext)
        }
        _ = try await store.createSecret(name: uniquePrefix("other") + "x", value: "{}", context: testContext)
        var pages: [SecretPage] = []
        var token: String?
        repeat {
            let page = try await store.listSecrets(prefix: prefix, pageSize: 10, nextToken: token, includeDeleted: false)
            pages.append(page)
            token = page.nextToken
        } while token != nil && pages.count < 10
        #expect(pages.count == 3)
        #expect(pages.allSatisfy { $0.secrets.count <= 10 })
        #expect(pages.flatMap(\.secrets).map(\.name).sorted() == names)
        let badPage = await #expect(throws: SecretStoreError.self) {
            try await store.listSecrets(prefix: prefix, pageSize: 0, nextToken: nil, includeDeleted: false)
        }
        #expect(badPage?.kind == .invalidRequest)
    }

    @Test func batchReadsTwentyAtATimeWithFailuresInTheirSlots() async throws {
        let prefix = uniquePrefix("batch")
        let names = (0..<45).map { prefix + "user\($0)" }
        for name in names {
            _ = try await store.createSecret(name: name, value: #"{"Name":"\#(name)"}"#, context: testContext)
        }
        let before = store.requestCounts["BatchGetSecretValue"] ?? 0
        let values = try await store.getSecrets(names: names + [prefix + "missing"])
        #expect((store.requestCounts["BatchGetSecretValue"] ?? 0) - before == 3)
        for name in names {
            #expect((try? values[name]?.get().string) == #"{"Name":"\#(name)"}"#)
        }
        guard case .failure(let error)? = values[prefix + "missing"] else {
            Issue.record("the missing secret should fail in its slot")
            return
        }
        #expect(error.kind == .notFound)
    }

    @Test func wrongSecretKeyIsAccessDenied() async throws {
        let wrong = AWSSecretsManagerStore(configuration: try moto.configuration(secretAccessKey: "not-the-right-secret"))
        let error = await #expect(throws: SecretStoreError.self) {
            try await wrong.listSecrets(prefix: "", pageSize: 10, nextToken: nil, includeDeleted: false)
        }
        #expect(error?.kind == .accessDenied)
        #expect(error?.message.contains("not-the-right-secret") == false)
        #expect(wrong.callCount == 1)

        var unknownKey = try moto.configuration()
        unknownKey.credentialProvider = StaticCredentialProvider(
            AWSCredentials(accessKeyID: "AKIAUNKNOWNKEY000000", secretAccessKey: "whatever"), source: "explicit")
        let unknown = await #expect(throws: SecretStoreError.self) {
            try await AWSSecretsManagerStore(configuration: unknownKey).getSecret(name: "SFTP/x", version: .current)
        }
        #expect(unknown?.kind == .accessDenied)
    }

    /// The whole path: a profile's `credential_process` (a real script) supplies the key that moto checks.
    @Test func credentialProcessSignsStoreCalls() async throws {
        let home = try AWSConfigurationTests.Home(config: "[profile tool]\nregion = us-east-1\ncredential_process = sh -c 'cat \"$0\"' KEYFILE\n")
        let keyFile = home.url.appendingPathComponent("keys.json")
        try #"{"Version": 1, "AccessKeyId": "\#(moto.accessKeyID)", "SecretAccessKey": "\#(moto.secretAccessKey)"}"#
            .write(to: keyFile, atomically: true, encoding: .utf8)
        let configPath = home.url.appendingPathComponent(".aws/config")
        let config = try String(contentsOf: configPath, encoding: .utf8).replacingOccurrences(of: "KEYFILE", with: keyFile.path)
        try config.write(to: configPath, atomically: true, encoding: .utf8)
        let configuration = try AWSConfiguration.resolve(profile: "tool", region: nil, endpointURL: moto.endpoint, environment: home.environment)
        #expect(configuration.credentialSource == "process")
        let store = AWSSecretsManagerStore(configuration: configuration)
        #expect(store.displayName == "AWS Secrets Manager us-east-1 (\(moto.endpoint)) with process credentials")
        let name = uniquePrefix("process") + "jess"
        _ = try await store.createSecret(name: name, value: "{}", context: testContext)
        #expect(try await store.getSecret(name: name, version: .current).string == "{}")
        #expect(!"\(configuration)".contains(moto.secretAccessKey))
    }

    @Test func listingShowsOwnWritesThroughTheOverlay() async throws {
        let prefix = uniquePrefix("overlay")
        _ = try await store.createSecret(name: prefix + "a", value: "{}", context: testContext)
        _ = try await store.createSecret(name: prefix + "b", value: "{}", context: testContext)
        try await store.deleteSecret(name: prefix + "a", recoveryWindowDays: 7, forceWithoutRecovery: false, context: testContext)
        #expect(try await store.listAllSecrets(prefix: prefix).map(\.name) == [prefix + "b"])
        #expect(try await store.listAllSecrets(prefix: prefix, includeDeleted: true).map(\.name) == [prefix + "a", prefix + "b"])
    }
}

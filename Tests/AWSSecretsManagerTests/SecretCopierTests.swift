import PeerTesting
import Foundation
import SecretStore
import Testing
@testable import AWSCore
@testable import AWSSecretsManager
import SecretStoreTesting

/// SecretCopier between two real stores: two regions of the same moto server (each region is a separate store).
@Suite(.motoServer) struct SecretCopierTests {
    let source: AWSSecretsManagerStore
    let destination: AWSSecretsManagerStore

    init() throws {
        let moto = try #require(MotoServer.current)
        source = try moto.store(region: "us-east-1")
        destination = try moto.store(region: "eu-west-1")
    }

    @Test func copiesCreatesUpdatesOnlyWhenAskedAndIsIdempotent() async throws {
        let prefix = uniquePrefix("copy")
        let values = [
            "alice": #"{"Password":"a","Role":"r","HomeDirectory":"/h/a","Custom":{"nested":[1,2]}}"#,
            "bob": #"{"PublicKey":"ssh-ed25519 AAAA bob","Role":"r"}"#,
            "carol": #"{"Role":"same"}"#,
            "dave": #"{"Role":"source"}"#,
        ]
        for (user, value) in values {
            _ = try await source.createSecret(name: prefix + user, value: value, context: testContext)
        }
        _ = try await destination.createSecret(name: prefix + "carol", value: #"{"Role":"same"}"#, context: testContext)
        _ = try await destination.createSecret(name: prefix + "dave", value: #"{"Role":"destination"}"#, context: testContext)
        let copier = SecretCopier(from: source, to: destination)

        let dry = await copier.copy(prefix: prefix, dryRun: true, overwrite: true)
        #expect(dry.created == [prefix + "alice", prefix + "bob"])
        #expect(dry.updated == [prefix + "dave"])
        let missing = await #expect(throws: SecretStoreError.self) {
            try await destination.getSecret(name: prefix + "alice", version: .current)
        }
        #expect(missing?.kind == .notFound)

        let first = await copier.copy(prefix: prefix)
        #expect(first.created == [prefix + "alice", prefix + "bob"])
        #expect(first.unchanged == [prefix + "carol"])
        #expect(first.skipped.map { $0.name } == [prefix + "dave"])
        #expect(first.skipped.first?.reason.contains("differs, skipped") == true)
        #expect(first.failed.isEmpty)
        #expect(try await destination.getSecret(name: prefix + "alice", version: .current).string == values["alice"])
        #expect(try await destination.getSecret(name: prefix + "dave", version: .current).string == #"{"Role":"destination"}"#)

        let overwrite = await copier.copy(prefix: prefix, overwrite: true)
        #expect(overwrite.updated == [prefix + "dave"])
        #expect(overwrite.unchanged == [prefix + "alice", prefix + "bob", prefix + "carol"])
        #expect(try await destination.getSecret(name: prefix + "dave", version: .current).string == #"{"Role":"source"}"#)

        let again = await copier.copy(prefix: prefix, overwrite: true)
        #expect(again.unchanged.count == 4)
        #expect(again.created.isEmpty && again.updated.isEmpty && again.succeeded)
        #expect(again.description.hasPrefix("created 0, updated 0, unchanged 4, skipped 0, failed 0"))
        for (user, value) in values {
            #expect(try await destination.getSecret(name: prefix + user, version: .current).string == value)
        }
    }

    @Test func failuresAreReportedPerSecret() async throws {
        let prefix = uniquePrefix("copyfail")
        _ = try await source.createSecret(name: prefix + "erin", value: "{}", context: testContext)
        _ = try await destination.createSecret(name: prefix + "erin", value: #"{"old":1}"#, context: testContext)
        try await destination.deleteSecret(name: prefix + "erin", recoveryWindowDays: 7, forceWithoutRecovery: false, context: testContext)
        let summary = await SecretCopier(from: source, to: destination).copy(names: [prefix + "erin", prefix + "nobody"], overwrite: true)
        #expect(summary.failed.map { $0.name } == [prefix + "erin", prefix + "nobody"])
        #expect(summary.failed.first?.reason.contains("scheduled for deletion") == true)
        #expect(summary.failed.last?.reason.contains("reading the source failed") == true)
        #expect(!summary.succeeded)
    }

    @Test func unreachableSourceIsAListingFailure() async throws {
        let port = try freeLoopbackPort()
        let configuration = try AWSConfiguration.resolve(
            profile: nil, region: "us-east-1", endpointURL: "http://127.0.0.1:\(port)",
            environment: ["AWS_ACCESS_KEY_ID": "AKIATEST", "AWS_SECRET_ACCESS_KEY": "test-secret", "HOME": "/nonexistent"])
        let unreachable = AWSSecretsManagerStore(configuration: configuration, options: AWSClientOptions(maxAttempts: 1))
        let summary = await SecretCopier(from: unreachable, to: destination).copy(prefix: "SFTP/")
        #expect(summary.listingFailure != nil)
        #expect(summary.items.isEmpty)
        #expect(summary.description.hasPrefix("copy failed: listing"))
    }
}

/// Round trip in-memory -> AWS (moto) -> in-memory keeps every secret identical.
@Suite(.motoServer) struct SecretCopierRoundTripTests {
    @Test func roundTripKeepsEverySecret() async throws {
        let aws = try #require(MotoServer.current).store()
        let prefix = uniquePrefix("roundtrip")
        let original = InMemorySecretStore()
        let values = (0..<30).map { (prefix + "user\($0)", #"{"Password":"p\#($0)","Role":"r","Extra":"ünï \#($0)"}"#) }
        for (name, value) in values {
            _ = try await original.createSecret(name: name, value: value, context: testContext)
        }
        let out = await SecretCopier(from: original, to: aws).copy(prefix: prefix)
        #expect(out.created.count == 30 && out.succeeded)
        let back = InMemorySecretStore()
        let home = await SecretCopier(from: aws, to: back).copy(prefix: prefix)
        #expect(home.created.count == 30 && home.succeeded)
        for (name, value) in values {
            #expect(try await back.getSecret(name: name, version: .current).string == value)
        }
        let rerun = await SecretCopier(from: original, to: aws).copy(prefix: prefix)
        #expect(rerun.unchanged.count == 30)
    }
}

import PeerTesting
import Foundation
import SecretStore
import Testing
@testable import AWSCore
@testable import AWSSecretsManager

/// The real AWS CLI and our store on the same moto server: what one writes, the other reads.
@Suite(.motoServer) struct AWSCLIInteropTests {
    let moto: MotoServer
    let store: AWSSecretsManagerStore

    init() throws {
        moto = try #require(MotoServer.current)
        store = try moto.store()
    }

    @discardableResult
    func aws(_ arguments: [String]) throws -> String {
        try ExternalProcess.run("aws", arguments + ["--output", "json"], environment: moto.cliEnvironment())
    }

    /// The AWS CLI writes between our version check and our write: the lost race is reported, both versions kept.
    @Test func writeRacingTheCLIIsAConflictNamingBothVersions() async throws {
        let name = "SFTP/" + uniquePrefix("race").replacingOccurrences(of: "/", with: "-") + "jess"
        let first = try await store.createSecret(name: name, value: #"{"Role":"ours-before"}"#, context: testContext)
        let racer = try moto.store()
        racer.afterVersionCheck = { [moto] secretName in
            _ = try? ExternalProcess.run("aws", ["secretsmanager", "put-secret-value", "--secret-id", secretName,
                                                 "--secret-string", #"{"Role":"theirs"}"#, "--output", "json"],
                                         environment: moto.cliEnvironment())
        }
        let error = await #expect(throws: SecretStoreError.self) {
            try await racer.putSecret(name: name, value: #"{"Role":"ours-after"}"#, replacing: first.versionID, context: testContext)
        }
        let previous = try await store.getSecret(name: name, version: .previous)
        #expect(previous.string == #"{"Role":"theirs"}"#)
        #expect(error?.kind == .conflict(expectedVersionID: first.versionID, actualVersionID: previous.versionID))
        #expect(error?.message.contains(first.versionID) == true)
        #expect(error?.message.contains(previous.versionID) == true)
        #expect(try await store.getSecret(name: name, version: .current).string == #"{"Role":"ours-after"}"#)
        let versions = try await store.listVersions(name: name)
        #expect(versions.count == 3)

        // Without a racer the same store writes cleanly.
        racer.afterVersionCheck = nil
        let current = try await store.getSecret(name: name, version: .current)
        let clean = try await racer.putSecret(name: name, value: #"{"Role":"settled"}"#, replacing: current.versionID, context: testContext)
        #expect(clean.isCurrent)
    }

    /// A fresh secret with two versions, `{"Role":"first"}` then `{"Role":"second"}`.
    func twoVersions(_ label: String) async throws -> (name: String, first: SecretVersionInfo, second: SecretVersionInfo) {
        let name = "SFTP/" + uniquePrefix(label).replacingOccurrences(of: "/", with: "-") + "jess"
        let first = try await store.createSecret(name: name, value: #"{"Role":"first"}"#, context: testContext)
        let second = try await store.putSecret(name: name, value: #"{"Role":"second"}"#, replacing: first.versionID, context: testContext)
        return (name, first, second)
    }

    /// A second store that runs `aws secretsmanager <arguments(secret name)>` between its version check and its write.
    func racer(running arguments: @escaping @Sendable (String) -> [String]) throws -> AWSSecretsManagerStore {
        let racer = try moto.store()
        racer.afterVersionCheck = { [moto] secretName in
            _ = try? ExternalProcess.run("aws", ["secretsmanager"] + arguments(secretName) + ["--output", "json"],
                                         environment: moto.cliEnvironment())
        }
        return racer
    }

    /// A promotion whose first attempt landed but whose answer was lost: the retry is refused (the label has moved),
    /// and the state decides that the rollback happened.
    @Test func promotionWhoseAnswerWasLostIsJudgedByTheResultingState() async throws {
        let (name, first, second) = try await twoVersions("lost")
        let racer = try racer { secretName in
            ["update-secret-version-stage", "--secret-id", secretName, "--version-stage", "AWSCURRENT",
             "--move-to-version-id", first.versionID, "--remove-from-version-id", second.versionID]
        }
        let promoted = try await racer.promoteVersion(name: name, versionID: first.versionID, replacing: second.versionID, context: testContext)
        #expect(promoted.versionID == first.versionID && promoted.isCurrent)
        #expect(try await store.getSecret(name: name, version: .current).versionID == first.versionID)
        #expect(try await store.getSecret(name: name, version: .previous).versionID == second.versionID)
    }

    /// Another writer puts a version between our check and our promotion: the service refuses ours (the label is no
    /// longer on the version we name), and the failure is a conflict naming both versions, not a success.
    @Test func promotionRacingAWriterIsAConflictNamingBothVersions() async throws {
        let (name, first, second) = try await twoVersions("promote-race")
        let racer = try racer { secretName in ["put-secret-value", "--secret-id", secretName, "--secret-string", #"{"Role":"theirs"}"#] }
        let error = await #expect(throws: SecretStoreError.self) {
            try await racer.promoteVersion(name: name, versionID: first.versionID, replacing: second.versionID, context: testContext)
        }
        let current = try await store.getSecret(name: name, version: .current)
        #expect(current.string == #"{"Role":"theirs"}"#)
        #expect(error?.kind == .conflict(expectedVersionID: second.versionID, actualVersionID: current.versionID))
        #expect(error?.message.contains(first.versionID) == true)
        #expect(error?.message.contains(current.versionID) == true)
    }

    /// After a rollback the AWS CLI (by its label) and our batched read agree on the current value; moto's
    /// BatchGetSecretValue answers a default version that UpdateSecretVersionStage leaves behind.
    @Test func batchReadAfterARollbackIsTheCurrentVersion() async throws {
        let (name, first, second) = try await twoVersions("batch-rollback")
        _ = try await store.promoteVersion(name: name, versionID: first.versionID, replacing: second.versionID, context: testContext)
        let cli = try aws(["secretsmanager", "get-secret-value", "--secret-id", name, "--version-stage", "AWSCURRENT"])
        #expect(cli.contains(first.versionID))
        let batch = try await store.getSecrets(names: [name])
        #expect((try? batch[name]?.get())?.versionID == first.versionID)
        #expect((try? batch[name]?.get())?.string == #"{"Role":"first"}"#)
    }

    @Test func secretCreatedByTheCLIListsAndReadsByteIdentical() async throws {
        let secret = #"{"Password":"Ex4mple-Pässword","Role":"arn:aws:iam::123456789012:role/AWSTransferAccessRole","HomeDirectory":"/bucket/home/jess","PublicKey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1iVn5V2Z7pQw0f0n0zK2vP4B6l8m8yqI7p1R4iS3aB jess@laptop"}"#
        try aws(["secretsmanager", "create-secret", "--name", "SFTP/jess", "--secret-string", secret])
        let listed = try await store.listAllSecrets(prefix: "SFTP/")
        #expect(listed.map(\.name).contains("SFTP/jess"))
        let read = try await store.getSecret(name: "SFTP/jess", version: .current)
        #expect(Array(read.string.utf8) == Array(secret.utf8))
        let batch = try await store.getSecrets(names: ["SFTP/jess"])
        #expect((try? batch["SFTP/jess"]?.get().string) == secret)
    }

    @Test func secretWeCreateIsReadByTheCLI() async throws {
        let name = "SFTP/" + uniquePrefix("cli").replacingOccurrences(of: "/", with: "-") + "sam"
        let secret = #"{"PasswordHash":"$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g","Role":"arn:aws:iam::123456789012:role/R","HomeDirectory":"/b/sam","PublicKey":"ssh-rsa AAAAB3 sam@host"}"#
        let created = try await store.createSecret(name: name, value: secret, context: testContext)
        let output = try aws(["secretsmanager", "get-secret-value", "--secret-id", name])
        let answer = try JSONDecoder().decode([String: JSONValueish].self, from: Data(output.utf8))
        #expect(answer["SecretString"] == .string(secret))
        #expect(answer["VersionId"] == .string(created.versionID))
        let keys = try JSONSerialization.jsonObject(with: Data(secret.utf8)) as? [String: Any]
        #expect(Set(keys.map { Array($0.keys) } ?? []) == ["PasswordHash", "Role", "HomeDirectory", "PublicKey"])

        let updated = try await store.putSecret(name: name, value: #"{"Role":"r2"}"#, replacing: created.versionID, context: testContext)
        let stages = try aws(["secretsmanager", "describe-secret", "--secret-id", name])
        let described = try JSONSerialization.jsonObject(with: Data(stages.utf8)) as? [String: Any]
        let versions = described?["VersionIdsToStages"] as? [String: [String]]
        #expect(versions?[updated.versionID] == ["AWSCURRENT"])
        #expect(versions?[created.versionID] == ["AWSPREVIOUS"])
    }

    /// The few JSON shapes the CLI answers with.
    enum JSONValueish: Decodable, Equatable {
        case string(String), number(Double), array([JSONValueish]), other
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .string(text) }
            else if let number = try? container.decode(Double.self) { self = .number(number) }
            else if let array = try? container.decode([JSONValueish].self) { self = .array(array) }
            else { self = .other }
        }
    }
}

import SecretStore
import Testing

@Suite("Store rules")
struct SecretStoreRulesTests {
    let current = SecretVersionInfo.currentStage
    let previous = SecretVersionInfo.previousStage

    @Test("a new version becomes current, the old current becomes previous, the old previous loses its label")
    func stagesAfterPut() {
        let changed = SecretStoreRules.stagesAfterMakingCurrent("v3", stages: ["v1": [previous], "v2": [current], "v3": []])
        #expect(changed == ["v1": [], "v2": [previous], "v3": [current]])
    }

    @Test("promoting the previous version swaps the two labels; other labels stay")
    func stagesAfterPromotingPrevious() {
        let changed = SecretStoreRules.stagesAfterMakingCurrent("v1", stages: ["v1": [previous, "MINE"], "v2": [current]])
        #expect(changed == ["v1": [current, "MINE"], "v2": [previous]])
    }

    @Test("making the current version current changes nothing")
    func stagesUnchanged() {
        #expect(SecretStoreRules.stagesAfterMakingCurrent("v2", stages: ["v1": [previous], "v2": [current]]).isEmpty)
    }

    @Test("pruning drops the oldest unlabelled versions beyond the cap")
    func pruning() {
        let count = SecretStoreRules.maximumVersionsKept + 3
        let newestFirst = (0..<count).map { index in
            SecretVersionInfo(name: "n", versionID: "v\(count - 1 - index)", stages: index == count - 1 ? [previous] : [], createdAt: .now)
        }
        // v0 (the oldest) carries AWSPREVIOUS, so v1, v2 and v3 go.
        #expect(SecretStoreRules.versionsToPrune(newestFirst) == ["v1", "v2", "v3"])
        #expect(SecretStoreRules.versionsToPrune(Array(newestFirst.prefix(10))).isEmpty)
    }

    @Test("listing tokens round-trip; foreign ones are refused")
    func tokens() throws {
        #expect(try NameAfterToken.decode(NameAfterToken.encode(lastName: "SFTP/zoë")) == "SFTP/zoë")
        #expect(throws: SecretStoreError.self) { try NameAfterToken.decode("bm90IG91cnM=") }
    }

    @Test("names, values, windows and page sizes are validated with the rule in the message")
    func validation() {
        expectInvalid("A-Z a-z 0-9") { try SecretStoreRules.validateName("a b") }
        expectInvalid("1 to 512 characters long (got 0)") { try SecretStoreRules.validateName("") }
        expectInvalid("7 to 30 days (got 31)") { try SecretStoreRules.validateRecoveryWindow(31, secretName: "n") }
        expectInvalid("1 to 100 (got 0)") { try SecretStoreRules.validatePageSize(0) }
        expectInvalid("65537 bytes; at most 65536") {
            try SecretStoreRules.validateValue(String(repeating: "s", count: 65_537), secretName: "n")
        }
    }

    private func expectInvalid(_ rule: String, sourceLocation: SourceLocation = #_sourceLocation, _ validate: () throws -> Void) {
        let error = #expect(throws: SecretStoreError.self, sourceLocation: sourceLocation) { try validate() }
        #expect(error?.kind == .invalidRequest, sourceLocation: sourceLocation)
        #expect(error?.message.contains(rule) == true, "message was: \(error?.message ?? "none")", sourceLocation: sourceLocation)
        #expect(error?.message.contains("sss") == false, "the message quotes the value", sourceLocation: sourceLocation)
    }
}

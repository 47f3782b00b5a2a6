import Foundation

// Request and answer shapes of the Secrets Manager operations we call (awsJson1_1, PascalCase members).

struct SecretIDInput: Encodable, Sendable {
    var SecretId: String
}

struct ListSecretsInput: Encodable, Sendable {
    struct Filter: Encodable, Sendable {
        var Key: String
        var Values: [String]
    }
    var Filters: [Filter]?
    var MaxResults: Int
    var NextToken: String?
    var IncludePlannedDeletion: Bool?
}

struct ListSecretsOutput: Decodable, Sendable {
    struct Entry: Decodable, Sendable {
        var Name: String
        var LastChangedDate: Date?
        var DeletedDate: Date?
        var SecretVersionsToStages: [String: [String]]?

        /// The id of the version labelled `AWSCURRENT`.
        var currentVersionID: String? { versionID(labelled: "AWSCURRENT", in: SecretVersionsToStages) }
    }
    var SecretList: [Entry]?
    var NextToken: String?
}

struct GetSecretValueInput: Encodable, Sendable {
    var SecretId: String
    var VersionId: String?
    var VersionStage: String?
}

struct SecretValueOutput: Decodable, Sendable {
    var Name: String
    var VersionId: String
    var SecretString: String?
    var VersionStages: [String]?
    var CreatedDate: Date?
}

struct BatchGetSecretValueInput: Encodable, Sendable {
    var SecretIdList: [String]
}

struct BatchGetSecretValueOutput: Decodable, Sendable {
    struct Failure: Decodable, Sendable {
        var SecretId: String?
        var ErrorCode: String?
        var Message: String?
    }
    var SecretValues: [SecretValueOutput]?
    var Errors: [Failure]?
}

struct CreateSecretInput: Encodable, Sendable {
    var Name: String
    var SecretString: String
    var ClientRequestToken: String
}

struct PutSecretValueInput: Encodable, Sendable {
    var SecretId: String
    var SecretString: String
    var ClientRequestToken: String
}

struct VersionOutput: Decodable, Sendable {
    var Name: String?
    var VersionId: String?
    var VersionStages: [String]?
}

struct DescribeSecretOutput: Decodable, Sendable {
    var Name: String
    var DeletedDate: Date?
    var VersionIdsToStages: [String: [String]]?

    /// The id of the version labelled `AWSCURRENT`.
    var currentVersionID: String? { versionID(labelled: "AWSCURRENT", in: VersionIdsToStages) }

    /// The id of the version labelled `AWSPREVIOUS`.
    var previousVersionID: String? { versionID(labelled: "AWSPREVIOUS", in: VersionIdsToStages) }
}

struct ListSecretVersionIdsInput: Encodable, Sendable {
    var SecretId: String
    var MaxResults: Int
    var NextToken: String?
    var IncludeDeprecated: Bool
}

struct ListSecretVersionIdsOutput: Decodable, Sendable {
    struct Version: Decodable, Sendable {
        var VersionId: String
        var VersionStages: [String]?
        var CreatedDate: Date?
    }
    var Versions: [Version]?
    var NextToken: String?
}

struct UpdateSecretVersionStageInput: Encodable, Sendable {
    var SecretId: String
    var VersionStage: String
    var MoveToVersionId: String
    var RemoveFromVersionId: String
}

struct DeleteSecretInput: Encodable, Sendable {
    var SecretId: String
    var RecoveryWindowInDays: Int?
    var ForceDeleteWithoutRecovery: Bool?
}

struct DeleteSecretOutput: Decodable, Sendable {
    var DeletionDate: Date?
}

/// The version that carries `stage` in a version-id-to-stages map.
private func versionID(labelled stage: String, in versionsToStages: [String: [String]]?) -> String? {
    versionsToStages?.first { $0.value.contains(stage) }?.key
}

/// For answers whose members we do not need.
struct EmptyOutput: Decodable, Sendable {}

import Foundation

/// The request limits every store enforces the same way (those of Secrets Manager), with errors that name the rule.
public enum SecretStoreRules {
    /// The longest secret name, in characters.
    public static let maximumNameLength = 512
    /// The largest secret value, in UTF-8 bytes.
    public static let maximumValueBytes = 65_536
    /// The shortest and longest recovery window of a scheduled deletion, in days.
    public static let recoveryWindowDays = 7...30
    /// The page sizes a listing accepts.
    public static let pageSizes = 1...100

    /// Throws ``SecretStoreError/Kind/invalidRequest`` unless `name` is 1...512 characters of `A-Za-z0-9/_+=.@-`.
    public static func validateName(_ name: String) throws {
        guard !name.isEmpty, name.count <= maximumNameLength else {
            throw SecretStoreError(.invalidRequest, message: "secret name must be 1 to \(maximumNameLength) characters long (got \(name.count))")
        }
        guard name.allSatisfy(NamingScheme.isSecretNameCharacter) else {
            throw SecretStoreError(.invalidRequest, message: "secret name may only hold the characters A-Z a-z 0-9 / _ + = . @ -")
        }
    }

    /// Throws ``SecretStoreError/Kind/invalidRequest`` when `value` is larger than 65,536 UTF-8 bytes. Never quotes the value.
    public static func validateValue(_ value: String, secretName: String) throws {
        let size = value.utf8.count
        guard size <= maximumValueBytes else {
            throw SecretStoreError(.invalidRequest, secretName: secretName, message: "secret value of \(secretName) is \(size) bytes; at most \(maximumValueBytes) are allowed")
        }
    }

    /// Throws ``SecretStoreError/Kind/invalidRequest`` unless `days` is 7...30.
    public static func validateRecoveryWindow(_ days: Int, secretName: String) throws {
        guard recoveryWindowDays.contains(days) else {
            throw SecretStoreError(.invalidRequest, secretName: secretName, message: "recovery window must be \(recoveryWindowDays.lowerBound) to \(recoveryWindowDays.upperBound) days (got \(days))")
        }
    }

    /// Throws ``SecretStoreError/Kind/invalidRequest`` unless `pageSize` is 1...100.
    public static func validatePageSize(_ pageSize: Int) throws {
        guard pageSizes.contains(pageSize) else {
            throw SecretStoreError(.invalidRequest, message: "page size must be \(pageSizes.lowerBound) to \(pageSizes.upperBound) (got \(pageSize))")
        }
    }
}

/// The listing token of stores that page by name: it carries the last name of the previous page.
public enum NameAfterToken {
    /// The token for a page that ended with `lastName`.
    public static func encode(lastName: String) -> String {
        Data(("after:" + lastName).utf8).base64EncodedString()
    }

    /// The last name of the previous page; throws ``SecretStoreError/Kind/invalidRequest`` for a token this store did not make.
    public static func decode(_ token: String) throws -> String {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8), text.hasPrefix("after:") else {
            throw SecretStoreError(.invalidRequest, message: "the listing token is not one this store handed out; start the listing again")
        }
        return String(text.dropFirst("after:".count))
    }
}

extension SecretStoreRules {
    /// How many versions of one secret a store keeps; older versions without a stage label are dropped.
    public static let maximumVersionsKept = 100

    /// The stage labels after `newCurrentID` becomes current: it gets `AWSCURRENT` (and loses `AWSPREVIOUS`), the
    /// version that was current gets `AWSPREVIOUS`, and the version that had `AWSPREVIOUS` loses it. Other labels stay.
    ///
    /// - Parameter stages: the labels of every version by version id, including `newCurrentID`.
    /// - Returns: the labels of every version whose labels changed.
    public static func stagesAfterMakingCurrent(_ newCurrentID: String, stages: [String: [String]]) -> [String: [String]] {
        let current = SecretVersionInfo.currentStage
        let previous = SecretVersionInfo.previousStage
        let oldCurrentID = stages.first { $0.value.contains(current) }?.key
        guard oldCurrentID != newCurrentID else { return [:] }
        var updated = stages
        for (id, labels) in stages where labels.contains(previous) {
            updated[id] = labels.filter { $0 != previous }
        }
        if let oldCurrentID {
            updated[oldCurrentID] = (updated[oldCurrentID] ?? []).filter { $0 != current } + [previous]
        }
        updated[newCurrentID] = [current] + (updated[newCurrentID] ?? []).filter { $0 != current && $0 != previous }
        return updated.filter { stages[$0.key] != $0.value }
    }

    /// The ids of the versions to drop so that at most ``maximumVersionsKept`` remain: the oldest without a stage label.
    ///
    /// - Parameter versionsNewestFirst: every version of one secret, newest first.
    public static func versionsToPrune(_ versionsNewestFirst: [SecretVersionInfo]) -> [String] {
        let excess = versionsNewestFirst.count - maximumVersionsKept
        guard excess > 0 else { return [] }
        return Array(versionsNewestFirst.reversed().filter { $0.stages.isEmpty }.prefix(excess).map(\.versionID))
    }
}

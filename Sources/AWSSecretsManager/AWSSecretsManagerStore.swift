import AWSCore
import AsyncHTTPClient
import Foundation
import SecretStore
import Synchronization

/// A ``SecretStore`` backed by AWS Secrets Manager (or an emulator such as moto), spoken to over awsJson1_1 with SigV4.
///
/// Uses `HTTPClient.shared` unless given a client, so there is nothing to shut down; a client passed in stays the
/// caller's to shut down. Listings include our own creates and deletes of the last few minutes even before
/// ListSecrets (eventually consistent) shows them.
public final class AWSSecretsManagerStore: SecretStore, Sendable {
    /// Secrets read per BatchGetSecretValue call (the service's limit for a list of ids).
    public static let batchSize = 20

    public let configuration: AWSConfiguration
    public let options: AWSClientOptions
    private let client: SecretsManagerClient
    private let counters = CallCounters()
    private let overlay: Mutex<ListingOverlay>
    private let snapshots: Mutex<ListingSnapshots>
    /// Set once the endpoint has said it has no BatchGetSecretValue (older moto, some VPC proxies).
    private let batchUnsupported = Mutex(false)
    private let versionCheckHook = Mutex<(@Sendable (String) async -> Void)?>(nil)

    public init(configuration: AWSConfiguration, options: AWSClientOptions = AWSClientOptions(), httpClient: HTTPClient = .shared) {
        self.configuration = configuration
        self.options = options
        client = SecretsManagerClient(configuration: configuration, httpClient: httpClient, options: options, counters: counters)
        let lifetime = options.listingOverlayLifetime.components
        let seconds = Double(lifetime.seconds) + Double(lifetime.attoseconds) / 1e18
        overlay = Mutex(ListingOverlay(lifetime: seconds))
        snapshots = Mutex(ListingSnapshots(lifetime: seconds))
    }

    /// Region, endpoint and the kind of credential source (`env`, `assume-role`, `imds`...); never a secret.
    public var displayName: String {
        "AWS Secrets Manager \(configuration.region) (\(configuration.endpoint.absoluteString)) with \(configuration.credentialSource) credentials"
    }

    /// HTTP requests sent so far, per operation name (retries included).
    public var callCounts: [String: Int] { counters.snapshot }

    /// The retries among ``callCounts`` (a request sent again after a retryable error, a timeout or a clock-skew
    /// answer), per operation name.
    public var retryCounts: [String: Int] { counters.retries }

    /// HTTP requests sent so far, all operations together.
    public var callCount: Int { counters.snapshot.values.reduce(0, +) }

    // MARK: Reading

    /// Pages sorted by name: the first page fetches the whole listing (ListSecrets, 100 per call) and keeps it for a
    /// few minutes; the following pages come from that snapshot. Our own recent writes are laid over it.
    public func listSecrets(prefix: String, pageSize: Int, nextToken: String?, includeDeleted: Bool) async throws -> SecretPage {
        try SecretStoreRules.validatePageSize(pageSize)
        if let nextToken {
            let token = try ListingSnapshots.Token(decoding: nextToken)
            if let secrets = snapshots.withLock({ $0.secrets(id: token.snapshotID) }) {
                return ListingSnapshots.page(of: secrets, after: token.lastName, size: pageSize, snapshotID: token.snapshotID)
            }
            let secrets = try await fetchListing(prefix: prefix, includeDeleted: includeDeleted)
            let id = snapshots.withLock { $0.store(secrets) }
            return ListingSnapshots.page(of: secrets, after: token.lastName, size: pageSize, snapshotID: id)
        }
        let secrets = try await fetchListing(prefix: prefix, includeDeleted: includeDeleted)
        let id = snapshots.withLock { $0.store(secrets) }
        return ListingSnapshots.page(of: secrets, after: nil, size: pageSize, snapshotID: id)
    }

    /// Every secret under `prefix`, following the service's pages, with our recent writes laid over, sorted by name.
    private func fetchListing(prefix: String, includeDeleted: Bool) async throws -> [SecretSummary] {
        var secrets: [SecretSummary] = []
        var token: String?
        repeat {
            let input = ListSecretsInput(
                Filters: prefix.isEmpty ? nil : [.init(Key: "name", Values: [prefix])],
                MaxResults: 100, NextToken: token, IncludePlannedDeletion: includeDeleted ? true : nil)
            let output = try await call("ListSecrets", input, as: ListSecretsOutput.self, secretName: nil)
            // The name filter is not case-sensitive on AWS: keep exact prefixes only.
            secrets += (output.SecretList ?? [])
                .filter { $0.Name.hasPrefix(prefix) && (includeDeleted || $0.DeletedDate == nil) }
                .map { SecretSummary(name: $0.Name, lastChangedAt: $0.LastChangedDate, deletedAt: $0.DeletedDate,
                                     currentVersionID: $0.currentVersionID) }
            token = output.NextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return overlay.withLock { $0.apply(to: secrets, prefix: prefix, includeDeleted: includeDeleted) }
            .sorted { $0.name < $1.name }
    }

    public func getSecret(name: String, version: VersionSelector) async throws -> SecretValue {
        var input = GetSecretValueInput(SecretId: name)
        switch version {
        // Named explicitly: moto's default version does not follow UpdateSecretVersionStage, the label does.
        case .current: input.VersionStage = SecretVersionInfo.currentStage
        case .previous: input.VersionStage = SecretVersionInfo.previousStage
        case .id(let id): input.VersionId = id
        }
        let output = try await call("GetSecretValue", input, as: SecretValueOutput.self, secretName: name)
        return try Self.secretValue(output)
    }

    /// Reads the current values in BatchGetSecretValue calls of 20, or one GetSecretValue per name where the endpoint
    /// has no BatchGetSecretValue.
    public func getSecrets(names: [String]) async throws -> [String: Result<SecretValue, SecretStoreError>] {
        var values: [String: Result<SecretValue, SecretStoreError>] = [:]
        var seen = Set<String>()
        let unique = names.filter { seen.insert($0).inserted }
        var start = 0
        while start < unique.count {
            let chunk = Array(unique[start..<min(start + Self.batchSize, unique.count)])
            start += chunk.count
            if batchUnsupported.withLock({ $0 }) {
                values.merge(try await getOneByOne(chunk)) { $1 }
                continue
            }
            do throws(AWSServiceError) {
                let output = try await client.call("BatchGetSecretValue", BatchGetSecretValueInput(SecretIdList: chunk),
                                                   as: BatchGetSecretValueOutput.self)
                values.merge(Self.results(of: output, names: chunk)) { $1 }
            } catch where error.isUnsupportedOperation {
                batchUnsupported.withLock { $0 = true }
                values.merge(try await getOneByOne(chunk)) { $1 }
            } catch {
                throw error.storeError(secretName: nil)
            }
            // BatchGetSecretValue names no stage: moto answers its default version, which UpdateSecretVersionStage
            // does not move, so a value that says it is not AWSCURRENT is read again by its label.
            let stale = chunk.filter { name in
                guard case .success(let value)? = values[name], !value.version.stages.isEmpty else { return false }
                return !value.version.isCurrent
            }
            if !stale.isEmpty { values.merge(try await getOneByOne(stale)) { $1 } }
        }
        return values
    }

    private func getOneByOne(_ names: [String]) async throws -> [String: Result<SecretValue, SecretStoreError>] {
        var values: [String: Result<SecretValue, SecretStoreError>] = [:]
        for name in names {
            do {
                values[name] = .success(try await getSecret(name: name, version: .current))
            } catch let error as SecretStoreError where error.kind != .unavailable && error.kind != .accessDenied {
                values[name] = .failure(error)
            }
        }
        return values
    }

    private static func results(of output: BatchGetSecretValueOutput, names: [String]) -> [String: Result<SecretValue, SecretStoreError>] {
        var values: [String: Result<SecretValue, SecretStoreError>] = [:]
        for value in output.SecretValues ?? [] {
            do {
                values[value.Name] = .success(try secretValue(value))
            } catch let error as SecretStoreError {
                values[value.Name] = .failure(error)
            } catch {
                values[value.Name] = .failure(SecretStoreError(.corrupt, secretName: value.Name, message: "\(value.Name) could not be read"))
            }
        }
        for failure in output.Errors ?? [] {
            guard let id = failure.SecretId else { continue }
            let serviceError = AWSServiceError(operation: "BatchGetSecretValue", type: failure.ErrorCode ?? "UnknownError",
                                               message: failure.Message ?? "(no message)")
            values[id] = .failure(serviceError.storeError(secretName: id))
        }
        for name in names where values[name] == nil {
            values[name] = .failure(SecretStoreError(.notFound, secretName: name,
                                                     message: "Secrets Manager BatchGetSecretValue did not return \(name)"))
        }
        return values
    }

    public func listVersions(name: String) async throws -> [SecretVersionInfo] {
        var versions: [SecretVersionInfo] = []
        var token: String?
        repeat {
            let input = ListSecretVersionIdsInput(SecretId: name, MaxResults: 100, NextToken: token, IncludeDeprecated: true)
            let output: ListSecretVersionIdsOutput
            do throws(SecretStoreError) {
                output = try await call("ListSecretVersionIds", input, as: ListSecretVersionIdsOutput.self, secretName: name)
            } catch {
                throw await diagnose(error, name: name)
            }
            versions += (output.Versions ?? []).map {
                SecretVersionInfo(name: name, versionID: $0.VersionId, stages: $0.VersionStages ?? [],
                                  createdAt: $0.CreatedDate ?? .distantPast)
            }
            token = output.NextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        // Newest first. Creation dates may tie (whole seconds; moto even reports the listing time), so ties go
        // AWSCURRENT, AWSPREVIOUS, then later-listed first (the service lists versions oldest first).
        func rank(_ version: SecretVersionInfo) -> Int {
            version.isCurrent ? 0 : version.stages.contains(SecretVersionInfo.previousStage) ? 1 : 2
        }
        return versions.enumerated().sorted { left, right in
            if left.element.createdAt != right.element.createdAt { return left.element.createdAt > right.element.createdAt }
            if rank(left.element) != rank(right.element) { return rank(left.element) < rank(right.element) }
            return left.offset > right.offset
        }.map(\.element)
    }

    // MARK: Writing

    public func createSecret(name: String, value: String, context: WriteContext) async throws -> SecretVersionInfo {
        try SecretStoreRules.validateName(name)
        try SecretStoreRules.validateValue(value, secretName: name)
        let token = UUID().uuidString.lowercased()
        let input = CreateSecretInput(Name: name, SecretString: value, ClientRequestToken: token)
        let versionID: String
        do throws(SecretStoreError) {
            versionID = try await call("CreateSecret", input, as: VersionOutput.self, secretName: name).VersionId ?? token
        } catch {
            versionID = try await recoverCreate(name: name, token: token, error: error)
        }
        overlay.withLock { $0.record(name, .present(changedAt: Date())) }
        return SecretVersionInfo(name: name, versionID: versionID, stages: [SecretVersionInfo.currentStage], createdAt: Date())
    }

    /// A failed CreateSecret: a name held by a secret scheduled for deletion is taken; an "already exists" after a
    /// retry whose first attempt went through is success when the version with our token is there.
    private func recoverCreate(name: String, token: String, error: SecretStoreError) async throws -> String {
        switch error.kind {
        case .markedForDeletion:
            throw SecretStoreError(.alreadyExists, secretName: name,
                                   message: "\(name) already exists and is scheduled for deletion: restore it instead (\(error.message))")
        case .alreadyExists:
            guard let described = try? await describe(name), described.VersionIdsToStages?[token] != nil else { throw error }
            return token
        default:
            throw error
        }
    }

    /// Checks that `versionID` is still current (DescribeSecret), then writes with a fresh ClientRequestToken that every
    /// retry of this write reuses, so a retry never makes a second version.
    ///
    /// Secrets Manager has no conditional write, so another writer may slip in between the check and the write.
    /// Afterwards DescribeSecret tells: when our version is current, the one it replaced (now `AWSPREVIOUS`) must be
    /// `versionID`. If it is not, the write is reported as a conflict naming both versions; both stay in the history.
    public func putSecret(name: String, value: String, replacing versionID: String, context: WriteContext) async throws -> SecretVersionInfo {
        try SecretStoreRules.validateValue(value, secretName: name)
        let current = try await describeWritable(name).currentVersionID ?? ""
        guard current == versionID else {
            throw Self.conflict(name: name, expected: versionID, actual: current)
        }
        if let hook = afterVersionCheck { await hook(name) }
        let token = UUID().uuidString.lowercased()
        let input = PutSecretValueInput(SecretId: name, SecretString: value, ClientRequestToken: token)
        let output = try await call("PutSecretValue", input, as: VersionOutput.self, secretName: name)
        overlay.withLock { $0.record(name, .present(changedAt: Date())) }
        let written = output.VersionId ?? token
        let after = try await describe(name)
        let stages = after.VersionIdsToStages?[written] ?? output.VersionStages ?? [SecretVersionInfo.currentStage]
        if stages.contains(SecretVersionInfo.currentStage), let replaced = after.previousVersionID, replaced != versionID {
            throw SecretStoreError(
                .conflict(expectedVersionID: versionID, actualVersionID: replaced), secretName: name,
                message: "\(name) was changed by someone else while this write was under way: version \(replaced) was written "
                    + "after \(versionID), and this write (version \(written)) replaced it. Both are kept: \(replaced) is now "
                    + "AWSPREVIOUS, \(written) is AWSCURRENT; check them and restore the right one")
        }
        return SecretVersionInfo(name: name, versionID: written, stages: stages, createdAt: Date())
    }

    /// Test seam: runs between a put's or a promotion's version check and its write, to interleave a second writer
    /// (or a first attempt whose answer was lost) deterministically.
    var afterVersionCheck: (@Sendable (String) async -> Void)? {
        get { versionCheckHook.withLock { $0 } }
        set { versionCheckHook.withLock { $0 = newValue } }
    }

    /// Moves `AWSCURRENT` to `versionID` (UpdateSecretVersionStage); the service moves `AWSPREVIOUS` to the old current.
    ///
    /// The call names `currentVersionID` as the version to take the label from, so the service refuses it when another
    /// writer got in first. Whatever the call answered, DescribeSecret then decides: a call whose answer was lost (a
    /// timeout or reset after the service applied it, whose retry is refused because the label has already moved) is a
    /// success when `versionID` is current and `currentVersionID` is `AWSPREVIOUS`; a current version that is neither
    /// is a conflict naming both; success is only reported once `versionID` is seen to be current.
    public func promoteVersion(name: String, versionID: String, replacing currentVersionID: String, context: WriteContext) async throws -> SecretVersionInfo {
        let described = try await describeWritable(name)
        let current = described.currentVersionID ?? ""
        guard current == currentVersionID else {
            throw Self.conflict(name: name, expected: currentVersionID, actual: current)
        }
        // DescribeSecret lists only versions with a stage label; older ones are in ListSecretVersionIds.
        var exists = described.VersionIdsToStages?[versionID] != nil
        if !exists {
            exists = try await listVersions(name: name).contains { $0.versionID == versionID }
        }
        guard exists else {
            throw SecretStoreError(.notFound, secretName: name, message: "\(name) has no version \(versionID)")
        }
        if versionID != current {
            if let hook = afterVersionCheck { await hook(name) }
            let input = UpdateSecretVersionStageInput(SecretId: name, VersionStage: SecretVersionInfo.currentStage,
                                                      MoveToVersionId: versionID, RemoveFromVersionId: current)
            var failure: SecretStoreError?
            do throws(SecretStoreError) {
                _ = try await call("UpdateSecretVersionStage", input, as: EmptyOutput.self, secretName: name)
            } catch {
                failure = error
            }
            let after = try await describe(name)
            let nowCurrent = after.currentVersionID ?? ""
            let landed = nowCurrent == versionID && (failure == nil || after.previousVersionID == currentVersionID)
            if !landed {
                if nowCurrent != currentVersionID && nowCurrent != versionID {
                    throw SecretStoreError(
                        .conflict(expectedVersionID: currentVersionID, actualVersionID: nowCurrent), secretName: name,
                        message: "\(name) was changed by someone else while making version \(versionID) current: version "
                            + "\(nowCurrent) is current now, neither \(currentVersionID) nor \(versionID); check the versions "
                            + "and make the right one current")
                }
                if let failure { throw failure }
                throw SecretStoreError(.unavailable, secretName: name,
                                       message: "\(name): Secrets Manager accepted making version \(versionID) current, but "
                                           + "version \(nowCurrent) is still current")
            }
        }
        let versions = try await listVersions(name: name)
        guard let promoted = versions.first(where: { $0.versionID == versionID }) else {
            throw SecretStoreError(.notFound, secretName: name, message: "\(name) has no version \(versionID)")
        }
        return promoted
    }

    @discardableResult
    public func deleteSecret(name: String, recoveryWindowDays: Int, forceWithoutRecovery: Bool, context: WriteContext) async throws -> Date {
        if !forceWithoutRecovery {
            try SecretStoreRules.validateRecoveryWindow(recoveryWindowDays, secretName: name)
        }
        let input = forceWithoutRecovery
            ? DeleteSecretInput(SecretId: name, ForceDeleteWithoutRecovery: true)
            : DeleteSecretInput(SecretId: name, RecoveryWindowInDays: recoveryWindowDays)
        let output = try await call("DeleteSecret", input, as: DeleteSecretOutput.self, secretName: name)
        let now = Date()
        overlay.withLock { $0.record(name, forceWithoutRecovery ? .gone : .scheduledForDeletion(deletedAt: now)) }
        return output.DeletionDate ?? (forceWithoutRecovery ? now : now.addingTimeInterval(Double(recoveryWindowDays) * 86_400))
    }

    public func restoreSecret(name: String, context: WriteContext) async throws {
        _ = try await call("RestoreSecret", SecretIDInput(SecretId: name), as: EmptyOutput.self, secretName: name)
        overlay.withLock { $0.record(name, .present(changedAt: Date())) }
    }

    // MARK: Helpers

    /// A server failure while listing versions: moto answers a bare HTTP 500 for a missing secret there, so
    /// DescribeSecret tells whether the secret is missing; otherwise the failure stands.
    private func diagnose(_ failure: SecretStoreError, name: String) async -> SecretStoreError {
        guard failure.kind == .unavailable else { return failure }
        do {
            _ = try await describe(name)
            return failure
        } catch let described as SecretStoreError where described.kind == .notFound {
            return described
        } catch {
            return failure
        }
    }

    private func describe(_ name: String) async throws -> DescribeSecretOutput {
        try await call("DescribeSecret", SecretIDInput(SecretId: name), as: DescribeSecretOutput.self, secretName: name)
    }

    /// DescribeSecret of a secret about to be written; one scheduled for deletion cannot be written.
    private func describeWritable(_ name: String) async throws -> DescribeSecretOutput {
        let described = try await describe(name)
        guard described.DeletedDate == nil else {
            throw SecretStoreError(.markedForDeletion, secretName: name,
                                   message: "\(name) is scheduled for deletion: restore it before writing")
        }
        return described
    }

    private func call<Input: Encodable, Output: Decodable>(_ operation: String, _ input: Input, as output: Output.Type,
                                                           secretName: String?) async throws(SecretStoreError) -> Output {
        do throws(AWSServiceError) {
            return try await client.call(operation, input, as: output)
        } catch {
            throw error.storeError(secretName: secretName)
        }
    }

    private static func secretValue(_ output: SecretValueOutput) throws -> SecretValue {
        guard let string = output.SecretString else {
            throw SecretStoreError(.invalidRequest, secretName: output.Name,
                                   message: "\(output.Name) holds binary data (SecretBinary), not a secret string")
        }
        let info = SecretVersionInfo(name: output.Name, versionID: output.VersionId, stages: output.VersionStages ?? [],
                                     createdAt: output.CreatedDate ?? .distantPast)
        return SecretValue(version: info, string: string)
    }

    private static func conflict(name: String, expected: String, actual: String) -> SecretStoreError {
        SecretStoreError(.conflict(expectedVersionID: expected, actualVersionID: actual), secretName: name,
                         message: "\(name) was changed by someone else: version \(actual) is current, not \(expected)")
    }
}

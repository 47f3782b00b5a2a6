import Foundation

/// Copies secrets, value string as is, from one store to another: creates missing ones, updates differing ones only
/// when asked, leaves identical ones alone, so running it again changes nothing.
public struct SecretCopier: Sendable {
    public let source: any SecretStore
    /// `nil` for a store that does not exist yet, which a dry run must not create: every secret would be created.
    public let destination: (any SecretStore)?

    public init(from source: any SecretStore, to destination: (any SecretStore)?) {
        self.source = source
        self.destination = destination
    }

    /// Copies every secret whose name starts with `prefix` (secrets scheduled for deletion are left out).
    ///
    /// - Parameters:
    ///   - dryRun: decide and report what would happen, write nothing.
    ///   - overwrite: replace a destination secret whose value differs; without it such a secret is skipped.
    ///   - progress: hears the listing, then each secret handled.
    public func copy(prefix: String, dryRun: Bool = false, overwrite: Bool = false,
                     context: WriteContext = .current(action: "store.copy"), progress: StoreProgressHandler? = nil) async -> CopySummary {
        let names: [String]
        do {
            let listed = progress.map { report in { @Sendable (count: Int) in report(.listing(listed: count)) } }
            names = try await source.listAllSecrets(prefix: prefix, progress: listed).map(\.name)
        } catch {
            return CopySummary(dryRun: dryRun, items: [], listingFailure: "listing \(source.displayName) failed: \(Self.reason(error))")
        }
        return await copy(names: names, dryRun: dryRun, overwrite: overwrite, context: context, progress: progress)
    }

    /// Copies the secrets named in `names`; `progress` hears each secret handled.
    public func copy(names: [String], dryRun: Bool = false, overwrite: Bool = false,
                     context: WriteContext = .current(action: "store.copy"), progress: StoreProgressHandler? = nil) async -> CopySummary {
        var seen = Set<String>()
        let uniqueNames = names.filter { seen.insert($0).inserted }
        var items: [CopySummary.Item] = []
        let batch = 100
        var start = 0
        while start < uniqueNames.count {
            let chunk = Array(uniqueNames[start..<min(start + batch, uniqueNames.count)])
            start += chunk.count
            let before = items.count
            items += await copyChunk(chunk, dryRun: dryRun, overwrite: overwrite, context: context) { handled in
                progress?(.handling(done: before + handled, total: uniqueNames.count))
            }
            progress?(.handling(done: items.count, total: uniqueNames.count))
        }
        return CopySummary(dryRun: dryRun, items: items, listingFailure: nil)
    }

    private func copyChunk(_ names: [String], dryRun: Bool, overwrite: Bool, context: WriteContext, handled: (Int) -> Void) async -> [CopySummary.Item] {
        let sourceValues: [String: Result<SecretValue, SecretStoreError>]
        let destinationValues: [String: Result<SecretValue, SecretStoreError>]
        do {
            sourceValues = try await source.getSecrets(names: names)
        } catch {
            return names.map { .init(name: $0, outcome: .failed(reason: "reading the source failed: \(Self.reason(error))")) }
        }
        do {
            if let destination {
                destinationValues = try await destination.getSecrets(names: names)
            } else {
                destinationValues = Dictionary(uniqueKeysWithValues: names.map { name in
                    (name, .failure(SecretStoreError(.notFound, secretName: name, message: "the destination store does not exist yet")))
                })
            }
        } catch {
            return names.map { .init(name: $0, outcome: .failed(reason: "reading the destination failed: \(Self.reason(error))")) }
        }
        var items: [CopySummary.Item] = []
        for name in names {
            let outcome: CopySummary.Outcome
            switch sourceValues[name] {
            case .success(let value)?:
                outcome = await copyOne(name: name, value: value.string, existing: destinationValues[name],
                                        dryRun: dryRun, overwrite: overwrite, context: context)
            case .failure(let error)?:
                outcome = .failed(reason: "reading the source failed: \(error.message)")
            case nil:
                outcome = .failed(reason: "the source did not return it")
            }
            items.append(.init(name: name, outcome: outcome))
            handled(items.count)
        }
        return items
    }

    private func copyOne(name: String, value: String, existing: Result<SecretValue, SecretStoreError>?, dryRun: Bool,
                         overwrite: Bool, context: WriteContext) async -> CopySummary.Outcome {
        do {
            switch existing {
            case .success(let current)? where current.string == value:
                return .unchanged
            case .success? where !overwrite:
                return .skipped(reason: "differs, skipped (overwrite not requested)")
            case .success(let current)?:
                if !dryRun, let destination {
                    _ = try await destination.putSecret(name: name, value: value, replacing: current.versionID, context: context)
                }
                return .updated
            case .failure(let error)? where error.kind == .notFound:
                if !dryRun {
                    guard let destination else { return .failed(reason: "the destination store does not exist") }
                    _ = try await destination.createSecret(name: name, value: value, context: context)
                }
                return .created
            case .failure(let error)? where error.kind == .markedForDeletion:
                return .failed(reason: "scheduled for deletion in the destination: restore it there first")
            case .failure(let error)?:
                return .failed(reason: "reading the destination failed: \(error.message)")
            case nil:
                return .failed(reason: "the destination did not answer for it")
            }
        } catch {
            return .failed(reason: "writing failed: \(Self.reason(error))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        (error as? SecretStoreError)?.message ?? String(describing: type(of: error))
    }
}

/// What a ``SecretCopier`` run did (or, for a dry run, would do) to each secret.
public struct CopySummary: Sendable, Hashable, CustomStringConvertible {
    /// The result for one secret.
    public enum Outcome: Sendable, Hashable {
        case created
        case updated
        case unchanged
        case skipped(reason: String)
        case failed(reason: String)
    }

    /// One secret and its outcome.
    public struct Item: Sendable, Hashable {
        public var name: String
        public var outcome: Outcome
    }

    /// True when nothing was written.
    public var dryRun: Bool
    /// Every secret considered, in order.
    public var items: [Item]
    /// Set when the source could not be listed, so nothing was copied.
    public var listingFailure: String?

    public var created: [String] { items.filter { $0.outcome == .created }.map(\.name) }
    public var updated: [String] { items.filter { $0.outcome == .updated }.map(\.name) }
    public var unchanged: [String] { items.filter { $0.outcome == .unchanged }.map(\.name) }
    public var skipped: [(name: String, reason: String)] {
        items.compactMap { if case .skipped(let reason) = $0.outcome { ($0.name, reason) } else { nil } }
    }
    public var failed: [(name: String, reason: String)] {
        items.compactMap { if case .failed(let reason) = $0.outcome { ($0.name, reason) } else { nil } }
    }

    /// True when nothing failed and the listing worked.
    public var succeeded: Bool { listingFailure == nil && failed.isEmpty }

    /// One line of counts, then one line per skipped or failed secret.
    public var description: String {
        if let listingFailure { return "copy failed: \(listingFailure)" }
        let verb = dryRun ? "would create" : "created"
        let lines = ["\(verb) \(created.count), \(dryRun ? "would update" : "updated") \(updated.count), unchanged \(unchanged.count), skipped \(skipped.count), failed \(failed.count)"]
            + skipped.map { "skipped \($0.name): \($0.reason)" }
            + failed.map { "failed \($0.name): \($0.reason)" }
        return lines.joined(separator: "\n")
    }
}

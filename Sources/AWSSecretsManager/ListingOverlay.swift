import Foundation
import SecretStore

/// Our own recent creates and deletes, laid over ListSecrets answers, which are eventually consistent on AWS:
/// a listing right after our write shows it even when the service does not yet.
struct ListingOverlay: Sendable {
    enum State: Sendable, Hashable {
        /// Created or restored by us.
        case present(changedAt: Date)
        /// Scheduled for deletion by us.
        case scheduledForDeletion(deletedAt: Date)
        /// Deleted by us without recovery.
        case gone
    }

    private struct Entry: Sendable {
        var state: State
        var recordedAt: Date
    }

    private var entries: [String: Entry] = [:]
    let lifetime: TimeInterval

    init(lifetime: TimeInterval) {
        self.lifetime = lifetime
    }

    mutating func record(_ name: String, _ state: State, at now: Date = Date()) {
        entries[name] = Entry(state: state, recordedAt: now)
    }

    /// `secrets` as the service listed them under `prefix`, corrected by our recent writes: our creates and restores
    /// are in, our deletions are out (or, with `includeDeleted`, in with their deletion date), each name once.
    mutating func apply(to secrets: [SecretSummary], prefix: String, includeDeleted: Bool, now: Date = Date()) -> [SecretSummary] {
        entries = entries.filter { now.timeIntervalSince($0.value.recordedAt) < lifetime }
        guard !entries.isEmpty else { return secrets }
        var corrected = secrets.filter { entries[$0.name] == nil }
        for (name, entry) in entries where name.hasPrefix(prefix) {
            switch entry.state {
            case .present(let changedAt):
                let listed = secrets.first { $0.name == name && $0.deletedAt == nil }
                corrected.append(SecretSummary(name: name, lastChangedAt: listed?.lastChangedAt ?? changedAt,
                                               currentVersionID: listed?.currentVersionID))
            case .scheduledForDeletion(let deletedAt) where includeDeleted:
                let listed = secrets.first { $0.name == name }
                corrected.append(SecretSummary(name: name, lastChangedAt: listed?.lastChangedAt, deletedAt: listed?.deletedAt ?? deletedAt))
            case .scheduledForDeletion, .gone:
                continue
            }
        }
        return corrected.sorted { $0.name < $1.name }
    }
}

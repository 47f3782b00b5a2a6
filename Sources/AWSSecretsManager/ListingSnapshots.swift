import Foundation
import SecretStore

/// Complete, name-sorted listings kept for a few minutes so that callers can page through them by name.
///
/// ListSecrets pages in the service's own order (creation date), while ``SecretStore`` promises pages sorted by
/// name. So the first page request fetches the whole listing (100 names per call), sorts it and keeps it; later
/// pages are cut from that snapshot, found again through the token.
struct ListingSnapshots: Sendable {
    private struct Snapshot: Sendable {
        var secrets: [SecretSummary]
        var takenAt: Date
    }

    private var snapshots: [String: Snapshot] = [:]
    let lifetime: TimeInterval
    let capacity = 16

    init(lifetime: TimeInterval) {
        self.lifetime = lifetime
    }

    /// Keeps `secrets` (sorted by name) and returns its id.
    mutating func store(_ secrets: [SecretSummary], now: Date = Date()) -> String {
        snapshots = snapshots.filter { now.timeIntervalSince($0.value.takenAt) < lifetime }
        if snapshots.count >= capacity, let oldest = snapshots.min(by: { $0.value.takenAt < $1.value.takenAt })?.key {
            snapshots[oldest] = nil
        }
        let id = UUID().uuidString.lowercased()
        snapshots[id] = Snapshot(secrets: secrets.sorted { $0.name < $1.name }, takenAt: now)
        return id
    }

    func secrets(id: String, now: Date = Date()) -> [SecretSummary]? {
        guard let snapshot = snapshots[id], now.timeIntervalSince(snapshot.takenAt) < lifetime else { return nil }
        return snapshot.secrets
    }

    /// The page of `secrets` after `lastName`, and the token for the rest.
    static func page(of secrets: [SecretSummary], after lastName: String?, size: Int, snapshotID: String) -> SecretPage {
        let remaining = lastName.map { last in secrets.drop { $0.name <= last } } ?? secrets[...]
        let page = Array(remaining.prefix(size))
        let more = remaining.count > page.count
        return SecretPage(secrets: page, nextToken: more ? Token(snapshotID: snapshotID, lastName: page.last?.name ?? "").encoded : nil)
    }

    /// A listing token: which snapshot, and the last name handed out.
    struct Token: Hashable {
        var snapshotID: String
        var lastName: String

        var encoded: String { Data("aws1:\(snapshotID):\(lastName)".utf8).base64EncodedString() }

        init(snapshotID: String, lastName: String) {
            self.snapshotID = snapshotID
            self.lastName = lastName
        }

        init(decoding token: String) throws {
            guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8), text.hasPrefix("aws1:") else {
                throw SecretStoreError(.invalidRequest, message: "the listing token is not one this store handed out; start the listing again")
            }
            let parts = text.dropFirst("aws1:".count).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw SecretStoreError(.invalidRequest, message: "the listing token is not one this store handed out; start the listing again")
            }
            snapshotID = String(parts[0])
            lastName = String(parts[1])
        }
    }
}

import Foundation
import SecretStore
import Testing
@testable import AWSCore
@testable import AWSSecretsManager

/// The overlay that hides ListSecrets' eventual consistency from our own writes, and the name-sorted snapshots.
@Suite struct ListingOverlayTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func staleListingShowsOurCreateAndHidesOurDelete() {
        var overlay = ListingOverlay(lifetime: 300)
        overlay.record("SFTP/new", .present(changedAt: now), at: now)
        overlay.record("SFTP/old", .scheduledForDeletion(deletedAt: now), at: now)
        overlay.record("SFTP/purged", .gone, at: now)
        overlay.record("OTHER/x", .present(changedAt: now), at: now)
        let stale = [SecretSummary(name: "SFTP/z"), SecretSummary(name: "SFTP/old"), SecretSummary(name: "SFTP/purged"), SecretSummary(name: "SFTP/a")]
        #expect(overlay.apply(to: stale, prefix: "SFTP/", includeDeleted: false, now: now).map(\.name) == ["SFTP/a", "SFTP/new", "SFTP/z"])
        let withDeleted = overlay.apply(to: stale, prefix: "SFTP/", includeDeleted: true, now: now)
        #expect(withDeleted.map(\.name) == ["SFTP/a", "SFTP/new", "SFTP/old", "SFTP/z"])
        #expect(withDeleted.first { $0.name == "SFTP/old" }?.deletedAt == now)
        let alreadyConsistent = [SecretSummary(name: "SFTP/new", lastChangedAt: now.addingTimeInterval(1))]
        #expect(overlay.apply(to: alreadyConsistent, prefix: "SFTP/", includeDeleted: false, now: now)
                == [SecretSummary(name: "SFTP/new", lastChangedAt: now.addingTimeInterval(1))])
    }

    @Test func entriesExpireAfterTheirLifetime() {
        var overlay = ListingOverlay(lifetime: 300)
        overlay.record("SFTP/old", .scheduledForDeletion(deletedAt: now), at: now)
        let listed = [SecretSummary(name: "SFTP/old")]
        #expect(overlay.apply(to: listed, prefix: "SFTP/", includeDeleted: false, now: now).isEmpty)
        #expect(overlay.apply(to: listed, prefix: "SFTP/", includeDeleted: false, now: now.addingTimeInterval(301)).map(\.name) == ["SFTP/old"])
    }

    @Test func snapshotsPageByNameWithTokens() throws {
        var snapshots = ListingSnapshots(lifetime: 300)
        let secrets = ["c", "a", "e", "b", "d"].map { SecretSummary(name: $0) }
        let id = snapshots.store(secrets, now: now)
        let sorted = try #require(snapshots.secrets(id: id, now: now))
        let first = ListingSnapshots.page(of: sorted, after: nil, size: 2, snapshotID: id)
        #expect(first.secrets.map(\.name) == ["a", "b"])
        let token = try ListingSnapshots.Token(decoding: try #require(first.nextToken))
        #expect(token == ListingSnapshots.Token(snapshotID: id, lastName: "b"))
        let last = ListingSnapshots.page(of: sorted, after: "d", size: 2, snapshotID: id)
        #expect(last.secrets.map(\.name) == ["e"])
        #expect(last.nextToken == nil)
        #expect(snapshots.secrets(id: id, now: now.addingTimeInterval(301)) == nil)
        #expect(throws: SecretStoreError.self) { try ListingSnapshots.Token(decoding: "bm9wZQ==") }
    }
}

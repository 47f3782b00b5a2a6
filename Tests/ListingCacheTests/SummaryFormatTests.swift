import Crypto
import EmbeddedStore
import Foundation
import ListingCache
import SecretStore
import Testing
import UserManagement

/// The overview summaries kept in stores outlive the binary that made them, so the rules that make them are pinned
/// to ``CachedUserOverview/summaryFormat``: when this digest changes, the same secrets are summarised differently,
/// and the format's revision must change with it (then record the new digest here).
struct SummaryFormatTests {
    static let corpus = StoreKeptOverviewsTests.corpus(6).map(\.value) + [
        #"{"Password":"$argon2id$v=19$m=2048,t=1,p=1$c29tZXNhbHRzYWx0$ZGeQVFKJg/FSTDgJOLdSnPc4S+vLUMW3l/aUf/Cd0zM","Role":"arn:aws:iam::123456789012:role/Hashed","HomeDirectory":"/h"}"#,
        #"{"PublicKey":"ssh-rsa not-base64 comment","Role":"arn:aws:iam::123456789012:role/BadKey","HomeDirectoryDetails":"not json"}"#,
        #"{"Role":"arn:aws:iam::123456789012:role/Old","sftpidp:ExpiresAt":"2001-01-01T00:00:00Z","AllowedIPs":"10.0.0.0/8, bogus"}"#,
        "[]",
        // r2: a control character in a home is a problem.
        #"{"Role":"arn:aws:iam::123456789012:role/Home","HomeDirectory":"/b/x\nmallory"}"#,
    ]

    /// Each corpus secret's summary, as the store's summariser makes it at a fixed version id and date.
    static func summaries() -> [[UInt8]] {
        let summariser = ValueSummariser.userOverviews(naming: StoreKeptOverviewsTests.naming, serverID: nil)
        return corpus.enumerated().map { index, value in
            let info = SecretVersionInfo(name: "SFTP/user\(index)", versionID: "version-\(index)", stages: ["AWSCURRENT"],
                                         createdAt: Date(timeIntervalSince1970: 1_700_000_000))
            return summariser.summarise(SecretValue(version: info, string: value)) ?? []
        }
    }

    @Test func theRulesOfThisRevisionArePinned() {
        #expect(CachedUserOverview.summaryFormat == "sftpidp user overview, byte records v2, r2")
        var hash = SHA256()
        for summary in Self.summaries() {
            hash.update(data: Data(UInt32(summary.count).bigEndianBytes))
            hash.update(data: summary)
        }
        let digest = hash.finalize().map { String(format: "%02x", $0) }.joined()
        #expect(digest.prefix(16) == "53509e8345452043", "the overview of a corpus secret changed: bump the revision in CachedUserOverview.summaryFormat, then record this digest")
    }

    @Test func aSummaryReadsBackAsTheSameEntryAndNothingElseDoes() throws {
        for summary in Self.summaries() {
            let entry = try #require(CachedUserOverview(summary: summary))
            #expect(entry.summary == summary)
            #expect(CachedUserOverview(summary: summary + [0]) == nil, "trailing bytes are refused")
            #expect(CachedUserOverview(summary: Array(summary.dropLast())) == nil, "a cut summary is refused")
        }
        #expect(CachedUserOverview(summary: []) == nil)
        #expect(ValueSummariser.userOverviews(naming: StoreKeptOverviewsTests.naming, serverID: nil)
            .summarise(SecretValue(version: SecretVersionInfo(name: "Other/alice", versionID: "v", stages: [], createdAt: Date()), string: "{}")) == nil,
                "a secret outside the naming scheme gets no summary")
    }
}

private extension UInt32 {
    var bigEndianBytes: [UInt8] { withUnsafeBytes(of: bigEndian) { Array($0) } }
}

@testable import CommandLineInterface
import Foundation
import IdentityProvider
import SecretStore
import Testing
import UserManagement

/// The stable JSON and text the CLI prints about users, built from stored values without a store or a process.
@Suite struct ReportTests {
    private static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILSM73oWUphH3J7JAeB1L5Eg5ZqEC0/idXBSJ2V5c//v jess@laptop"
    private static let fingerprint = "SHA256:BNEMogFLL0csUjOvVfZj1KXnrINCP00vozW9K6EddUw"
    private static let changedAt = Date(timeIntervalSince1970: 1_767_323_045)  // 2026-01-02T03:04:05Z

    private static func stored(_ secret: [String: String], name: String = "SFTP/jess") throws -> StoredUser {
        let text = String(decoding: try JSONSerialization.data(withJSONObject: secret, options: [.sortedKeys]), as: UTF8.self)
        let version = SecretVersionInfo(name: name, versionID: "v-1", stages: ["AWSCURRENT"], createdAt: changedAt)
        return StoredUser(username: "jess", value: SecretValue(version: version, string: text))
    }

    private static let jess: [String: String] = [
        "Role": "arn:aws:iam::123456789012:role/sftp", "HomeDirectory": "/bucket/jess", "PublicKey": key,
        "AcceptedIpNetwork": "10.0.0.0/8", "ApiToken": "abc123",
    ]

    @Test func userShowJSONHasEveryKeyInAStableOrder() throws {
        let json = try encodeJSON(UserReport(stored: try Self.stored(Self.jess)))
        #expect(json == """
        {
          "allowedServerIds" : [

          ],
          "comment" : null,
          "disabled" : false,
          "expiresAt" : null,
          "home" : {
            "directory" : "/bucket/jess",
            "type" : "PATH"
          },
          "lastChangedAt" : "2026-01-02T03:04:05Z",
          "legacyPassword" : false,
          "networks" : [
            "10.0.0.0/8"
          ],
          "otherKeys" : {
            "ApiToken" : "(hidden)"
          },
          "password" : null,
          "policy" : null,
          "posixProfile" : null,
          "problems" : [

          ],
          "protocolCredentials" : {

          },
          "protocolOverrides" : {

          },
          "publicKeys" : [
            {
              "bits" : 256,
              "comment" : "jess@laptop",
              "expiresAt" : null,
              "fingerprint" : "\(Self.fingerprint)",
              "type" : "ssh-ed25519"
            }
          ],
          "role" : "arn:aws:iam::123456789012:role/sftp",
          "secretName" : "SFTP/jess",
          "username" : "jess",
          "valid" : true,
          "versionId" : "v-1"
        }
        """)
    }

    @Test func userShowJSONGivesPasswordsOnlyAsTheirKind() throws {
        var secret = Self.jess
        secret["Password"] = "hunter2-legacy"
        secret["FTPPublicKey"] = Self.key
        secret.removeValue(forKey: "HomeDirectory")
        secret["HomeDirectoryDetails"] = #"[{"Entry": "/", "Target": "/bucket/jess"}]"#
        let report = UserReport(stored: try Self.stored(secret))
        let json = try encodeJSON(report)
        #expect(!json.contains("hunter2"))
        #expect(report.password == "legacy plain text")
        #expect(report.legacyPassword)
        #expect(report.protocolOverrides == ["FTP": ["PublicKey"]])
        let ftp = try #require(report.protocolCredentials["FTP"])
        #expect(ftp.password == "legacy plain text" && ftp.legacyPassword && ftp.publicKeys == [Self.fingerprint])
        #expect(json.contains("""
          "home" : {
            "mappings" : [
              {
                "Entry" : "/",
                "Target" : "/bucket/jess"
              }
            ],
            "type" : "LOGICAL"
          },
        """))
    }

    @Test func aSecretThatIsNotAUserIsReportedInvalid() throws {
        let version = SecretVersionInfo(name: "SFTP/jess", versionID: "v-2", stages: ["AWSCURRENT"], createdAt: Self.changedAt)
        let stored = StoredUser(username: "jess", value: SecretValue(version: version, string: "not json"))
        let report = UserReport(stored: stored)
        #expect(!report.valid)
        #expect(report.problems.count == 1)
        #expect(report.role == nil && report.publicKeys.isEmpty)
    }

    @Test func userListJSONAndTable() throws {
        let overview = UserOverview(stored: try Self.stored(Self.jess), now: Self.changedAt)
        #expect(try encodeJSON([UserOverviewJSON(overview)]) == """
        [
          {
            "flags" : [

            ],
            "home" : "/bucket/jess",
            "password" : null,
            "problems" : [

            ],
            "publicKeys" : 1,
            "role" : "arn:aws:iam::123456789012:role/sftp",
            "username" : "jess"
          }
        ]
        """)
        #expect(UserTable(overviews: [overview]).text == """
        USER  AUTH                ROLE  HOME          FLAGS
        jess  no password, 1 key  sftp  /bucket/jess
        """)
    }

    @Test func testLoginURLIsTheOneServeReceives() {
        let request = LoginRequest(serverID: "s-0123", username: "jess doe/x", password: "never-in-the-url", protocolName: "FTPS", sourceIP: "2001:db8::1")
        #expect(TestLoginCommand.url(for: request)
                == "sftpidp://local/servers/s-0123/users/jess%20doe%2Fx/config?protocol=FTPS&sourceIp=2001:db8::1")
        let keyOnly = LoginRequest(serverID: "s-0123", username: "jess", password: nil, protocolName: "SFTP", sourceIP: nil)
        #expect(TestLoginCommand.url(for: keyOnly) == "sftpidp://local/servers/s-0123/users/jess/config?protocol=SFTP")
    }

    @Test func storeErrorsCarryTheirHint() {
        let conflict = SecretStoreError(.conflict(expectedVersionID: "a", actualVersionID: "b"), secretName: "SFTP/jess", message: "SFTP/jess changed")
        #expect(conflict.cliFailure.message == "SFTP/jess changed. Someone changed it meanwhile: run the command again to apply your change on top of theirs.")
        let deleted = SecretStoreError(.markedForDeletion, secretName: "SFTP/jess", message: "SFTP/jess is deleted")
        #expect(deleted.cliFailure.message == "SFTP/jess is deleted. Restore it first with `sftpidp users restore`.")
        // The embedded store's own words already say "restore it first": said once.
        let embedded = SecretStoreError(.markedForDeletion, secretName: "SFTP/jess", message: "secret SFTP/jess is scheduled for deletion; restore it first")
        #expect(embedded.cliFailure.message == "secret SFTP/jess is scheduled for deletion; restore it first with `sftpidp users restore`.")
        #expect(SecretStoreError(.accessDenied, message: "denied").cliFailure.message == "denied")
    }
}

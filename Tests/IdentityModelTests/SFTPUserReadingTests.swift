import Foundation
import Testing
@testable import IdentityModel

@Suite struct SFTPUserReadingTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"

    static func user(_ json: String) throws -> SFTPUser {
        SFTPUser(secret: try UserSecret(secretString: json))
    }

    @Test func anUnreadableHomeIsReportedOnce() throws {
        let notJSON = try Self.user(#"{"Role": "\#(Self.role)", "HomeDirectoryType": "LOGICAL", "HomeDirectoryDetails": "[{\"Entry\": \"/\","}"#)
        #expect(notJSON.validate().map(\.field) == ["HomeDirectoryDetails"])
        #expect(notJSON.validate().first?.rule.hasPrefix("must hold a JSON array") == true)
        let wrongType = try Self.user(#"{"Role": "\#(Self.role)", "HomeDirectory": 5}"#)
        #expect(wrongType.validate().map(\.field) == ["HomeDirectory"])
        let emptyList = try Self.user(#"{"Role": "\#(Self.role)", "HomeDirectoryType": "LOGICAL", "HomeDirectoryDetails": "[]"}"#)
        #expect(emptyList.validate().map(\.rule) == ["must hold 1 to 50000 mappings"])
    }

    @Test func readsTheOriginalFormat() throws {
        let user = try Self.user(#"{"Password": "pw", "Role": "\#(Self.role)", "HomeDirectory": "/bucket/jess", "Other": 1}"#)
        #expect(user.role() == Self.role)
        #expect(user.home() == .path("/bucket/jess"))
        #expect(user.storedPassword() == .legacyPlainText("pw"))
        #expect(user.storedPassword()?.kindLabel == "legacy plain text")
        #expect(user.publicKeys().isEmpty)
        #expect(user.unknownKeys == ["Other"])
        #expect(user.issues.isEmpty)
        #expect(user.validate().isEmpty)
    }

    @Test func perProtocolKeysComeFirst() throws {
        let user = try Self.user("""
        {"Role": "\(Self.role)", "FTPRole": "arn:aws:iam::012345678901:role/Ftp", "Password": "general",
         "FTPSPassword": "ftps", "SFTPHomeDirectory": "/sftp", "HomeDirectoryDetails": "[{\\"Entry\\": \\"/\\", \\"Target\\": \\"/b/x\\"}]"}
        """)
        #expect(user.role(for: .sftp) == Self.role)
        #expect(user.role(for: .ftp) == "arn:aws:iam::012345678901:role/Ftp")
        #expect(user.storedPassword(for: .ftps) == .legacyPlainText("ftps"))
        #expect(user.storedPassword(for: .ftp) == .legacyPlainText("general"))
        #expect(user.home(for: .sftp) == .path("/sftp"))
        #expect(user.home(for: .ftp) == .logical([HomeMapping(entry: "/", target: "/b/x")]))
        #expect(user.protocolOverrides == [.ftp: ["FTPRole"], .ftps: ["FTPSPassword"], .sftp: ["SFTPHomeDirectory"]])
        #expect(user.unknownKeys.isEmpty)
    }

    @Test func passwordHashIsPreferredOverPlainText() throws {
        let user = try Self.user(#"{"Password": "old", "PasswordHash": "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"}"#)
        #expect(user.storedPassword()?.kind == .argon2id)
        let perProtocol = try Self.user(#"{"PasswordHash": "$6$x$y", "SFTPPassword": "sftp-only"}"#)
        #expect(perProtocol.storedPassword(for: .sftp) == .legacyPlainText("sftp-only"))
        #expect(perProtocol.storedPassword(for: .ftp)?.kind == .sha512crypt)
    }

    @Test func publicKeysInEveryAcceptedShape() throws {
        let first = TestKeys.ed25519Line(comment: "first")
        let second = TestKeys.ed25519Line(comment: "work, laptop")
        let shapes = [
            "{\"PublicKey\": \"\(first)\"}",
            "{\"PublicKey\": \"\(first),\(second)\"}",
            "{\"PublicKey\": \"\(first)\\n\(second)\\n\"}",
            // Windows and Unicode line breaks separate keys too; CR LF is one break, not an empty key between two.
            "{\"PublicKey\": \"\(first)\\r\\n\(second)\\r\\n\"}",
            "{\"PublicKey\": \"\(first)\\u2028\(second)\\u0085\"}",
            "{\"PublicKey\": [\"\(first)\", \"\(second)\"]}",
            "{\"PublicKeys\": [\"\(first)\", \"\(second)\"]}",
        ]
        for (index, json) in shapes.enumerated() {
            let user = try Self.user(json)
            let keys = user.publicKeys()
            #expect(keys.count == (index == 0 ? 1 : 2), "shape \(index)")
            #expect(keys.first?.key.comment == "first")
            if index > 0 { #expect(keys.last?.key.comment == "work, laptop", "shape \(index)") }
            #expect(user.issues.isEmpty, "shape \(index): \(user.issues)")
        }
    }

    @Test func commaPiecesThatAreNotCommentsStayEntries() throws {
        let commented = TestKeys.ed25519Line(comment: "laptop")
        let bare = TestKeys.ed25519Line()
        let damagedData = String(repeating: "QUFB", count: 20)
        let user = try Self.user("{\"PublicKey\": \"\(bare),junk,\(commented),\(damagedData)\"}")
        #expect(user.publicKeys().map(\.key.comment) == [nil, "laptop"])
        #expect(user.issues.map(\.field) == ["PublicKey[2]", "PublicKey[4]"])
    }

    @Test func badKeysAreReportedNotFatal() throws {
        let good = TestKeys.ed25519Line(comment: "ok")
        let user = try Self.user("{\"PublicKey\": [\"\(good)\", \"ssh-rsa AAAA\", 7], \"SFTPPublicKey\": 5}")
        #expect(user.publicKeys().count == 1)
        #expect(user.issues.map(\.field).contains("PublicKey[2]"))
        #expect(user.issues.map(\.field).contains("PublicKey[3]"))
        #expect(user.publicKeys(for: .sftp).isEmpty)
        #expect(user.issues(for: .sftp).contains { $0.field == "SFTPPublicKey" })
    }

    @Test func keyExpiryIsAttached() throws {
        let key = try TestKeys.ed25519()
        let user = try Self.user("{\"PublicKey\": \"\(key.openSSHLine)\", \"sftpidp:KeyExpiry\": {\"\(key.fingerprint)\": \"2030-01-02\"}}")
        let expiry = try #require(user.publicKeys().first?.expiresAt)
        #expect(ISODate.format(expiry) == "2030-01-02T00:00:00Z")
        #expect(user.publicKeys().first?.isExpired(at: Date(timeIntervalSince1970: 0)) == false)
        #expect(user.publicKeys().first?.isExpired(at: expiry) == true)
    }

    @Test func homeDirectoryDetailsAsStringOrArray() throws {
        let mappings = [HomeMapping(entry: "/", target: "/bucket/jess"), HomeMapping(entry: "/shared", target: "/bucket/shared", type: .directory)]
        let asArray = try Self.user(#"{"HomeDirectoryDetails": [{"Entry": "/", "Target": "/bucket/jess"}, {"Entry": "/shared", "Target": "/bucket/shared", "Type": "DIRECTORY"}]}"#)
        #expect(asArray.home() == .logical(mappings))
        let asString = try Self.user(#"{"HomeDirectoryDetails": "[{\"Entry\": \"/\", \"Target\": \"/bucket/jess\"}, {\"Entry\": \"/shared\", \"Target\": \"/bucket/shared\", \"Type\": \"DIRECTORY\"}]", "HomeDirectory": "/ignored"}"#)
        #expect(asString.home() == .logical(mappings))
        for broken in [#"{"HomeDirectoryDetails": "[{\"Entry\": \"/\"}]"}"#, #"{"HomeDirectoryDetails": "not json"}"#, #"{"HomeDirectoryDetails": 3}"#,
                       #"{"HomeDirectoryDetails": [{"Entry": "/", "Target": "/b", "Type": "LINK"}]}"#] {
            let user = try Self.user(broken)
            #expect(user.home() == .logical([]), "a broken mapping must never widen the home")
            #expect(!user.issues.isEmpty)
        }
        #expect(try Self.user(#"{"HomeDirectory": ""}"#).home() == .path(nil))
    }

    @Test func policyObjectOrString() throws {
        #expect(try Self.user(#"{"Policy": {"Version": "2012-10-17"}}"#).policy() == #"{"Version":"2012-10-17"}"#)
        #expect(try Self.user(#"{"Policy": "{\"Version\": \"2012-10-17\"}"}"#).policy() == #"{"Version": "2012-10-17"}"#)
        let bad = try Self.user(#"{"Policy": 12}"#)
        #expect(bad.policy() == nil)
        #expect(bad.issues.first?.field == "Policy")
    }

    @Test func posixProfileObjectOrString() throws {
        let expected = PosixProfile(uid: 1000, gid: 100, secondaryGids: [4, 4_294_967_295])
        #expect(try Self.user(#"{"PosixProfile": {"Uid": 1000, "Gid": 100, "SecondaryGids": [4, 4294967295]}}"#).posixProfile() == expected)
        #expect(try Self.user(#"{"PosixProfile": "{\"Uid\": 1000, \"Gid\": \"100\", \"SecondaryGids\": [4, 4294967295]}"}"#).posixProfile() == expected)
        for broken in [#"{"PosixProfile": {"Uid": -1, "Gid": 1}}"#, #"{"PosixProfile": {"Uid": 4294967296, "Gid": 1}}"#,
                       #"{"PosixProfile": {"Gid": 1}}"#, #"{"PosixProfile": "nope"}"#, #"{"PosixProfile": {"Uid": 1, "Gid": 1, "SecondaryGids": [1.5]}}"#] {
            let user = try Self.user(broken)
            #expect(user.posixProfile() == nil)
            #expect(!user.issues.isEmpty, "\(broken)")
        }
    }

    @Test func acceptedNetworks() throws {
        let user = try Self.user(#"{"AcceptedIpNetwork": "10.0.0.0/8, 2001:db8::/32", "FTPAcceptedIpNetwork": "192.168.1.0/24"}"#)
        #expect(user.acceptedNetworks().map(\.description) == ["10.0.0.0/8", "2001:db8::/32"])
        #expect(user.acceptedNetworks(for: .ftp).map(\.description) == ["192.168.1.0/24"])
        #expect(user.restrictsNetworks())
        #expect(!(try Self.user("{}").restrictsNetworks()))
        let broken = try Self.user(#"{"AcceptedIpNetwork": "10.0.0.0/8, 999.1.1.1"}"#)
        #expect(broken.acceptedNetworks().map(\.description) == ["10.0.0.0/8"])
        #expect(broken.issues(for: .sftp).map(\.field) == ["AcceptedIpNetwork"])
        #expect(try Self.user(#"{"AcceptedIpNetwork": ""}"#).issues.count == 1, "an empty network list must not mean everyone")
    }

    @Test func ownKeys() throws {
        let user = try Self.user("""
        {"sftpidp:Disabled": "TRUE", "sftpidp:ExpiresAt": "2031-05-06T07:08:09Z", "sftpidp:AllowedServerIds": "s-0123456789abcdef0, s-00000000000000000",
         "sftpidp:Comment": "contractor"}
        """)
        #expect(user.isDisabled)
        #expect(user.expiresAt.map(ISODate.format) == "2031-05-06T07:08:09Z")
        #expect(user.allowedServerIDs == ["s-0123456789abcdef0", "s-00000000000000000"])
        #expect(user.allowsServer("s-00000000000000000"))
        #expect(!user.allowsServer("s-11111111111111111"))
        #expect(user.comment == "contractor")
        #expect(user.isExpired(at: Date(timeIntervalSince1970: 2_000_000_000)))
        #expect(!user.isExpired(at: Date(timeIntervalSince1970: 1_000_000_000)))
        let plain = try Self.user("{}")
        #expect(!plain.isDisabled && plain.expiresAt == nil && plain.allowedServerIDs == nil && plain.allowsServer("s-x"))
        let broken = try Self.user(#"{"sftpidp:Disabled": "maybe", "sftpidp:ExpiresAt": "next week", "sftpidp:KeyExpiry": [1]}"#)
        #expect(broken.isDisabled, "an unreadable Disabled value must fail closed")
        #expect(Set(broken.issues.map(\.field)) == ["sftpidp:Disabled", "sftpidp:ExpiresAt", "sftpidp:KeyExpiry"])
    }

    @Test func wrongTypesBecomeIssues() throws {
        let user = try Self.user(#"{"Role": 5, "Password": true, "HomeDirectory": []}"#)
        #expect(user.role() == nil)
        #expect(user.storedPassword() == nil)
        #expect(user.home() == .logical([]))
        #expect(Set(user.issues.map(\.field)) == ["Role", "Password", "HomeDirectory"])
        #expect(!user.issues.contains { $0.rule.contains("true") && $0.field == "Password" && $0.rule.contains("pw") })
    }
}

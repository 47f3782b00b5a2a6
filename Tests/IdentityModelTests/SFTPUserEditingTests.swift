import Foundation
import Testing
@testable import IdentityModel

@Suite struct SFTPUserEditingTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"

    static func user(_ json: String) throws -> SFTPUser {
        SFTPUser(secret: try UserSecret(secretString: json))
    }

    @Test func editsKeepUnknownKeys() throws {
        var user = try Self.user(#"{"Role": "r", "X-Other-Tool": {"nested": [1, 2]}, "FTPRole": "arn:aws:iam::012345678901:role/Ftp"}"#)
        user.setRole(Self.role)
        user.setPolicy(#"{"Version":"2012-10-17"}"#)
        user.setHome(.path("/bucket/jess"))
        try user.setPassword(hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")
        try user.addPublicKey(try TestKeys.ed25519(comment: "k"))
        user.setNetworks([try IPNetwork(parsing: "10.0.0.0/8")])
        user.setPosixProfile(PosixProfile(uid: 1, gid: 2))
        user.setDisabled(true)
        user.setComment("note")
        #expect(user.secret["X-Other-Tool"] == .object(["nested": .array([.integer(1), .integer(2)])]))
        #expect(user.secret["FTPRole"] == .string("arn:aws:iam::012345678901:role/Ftp"))
        #expect(user.role() == Self.role)
        #expect(user.validate().isEmpty, "\(user.validate())")
        let reread = SFTPUser(secret: try UserSecret(secretString: user.secret.secretString))
        #expect(reread == user)
    }

    @Test func settingAHashRemovesEveryOtherPassword() throws {
        var user = try Self.user(#"{"Password": "old", "SFTPPassword": "sftp-old", "FTPSPasswordHash": "$2b$04$abcdefghijklmnopqrstuu5kP5N4Q9m3kLQb6VmZbYc0H1t9xYfC"}"#)
        let hash = try PasswordHasher.hash("new password", parameters: try Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1))
        let removed = try user.setPassword(hash: hash)
        #expect(removed == ["Password", "SFTPPassword", "FTPSPasswordHash"])
        #expect(user.secret["Password"] == nil)
        let storedHash = user.secret["PasswordHash"] == .string(hash)
        #expect(storedHash, "PasswordHash does not hold the new hash")
        #expect(user.secret["SFTPPassword"] == nil, "a per-protocol password would still log in over SFTP")
        for transferProtocol in [nil] + TransferProtocol.allCases {
            let verifies = user.storedPassword(for: transferProtocol).map { PasswordVerifier.verify("new password", against: $0) == .match } ?? false
            #expect(verifies, "the new password does not verify for \(transferProtocol?.rawValue ?? "no protocol")")
        }
        #expect(throws: FieldError.self) { try user.setPassword(hash: "plain text by mistake") }
        var cleared = try Self.user(#"{"PasswordHash": "x", "SFTPPassword": "a", "FTPPasswordHash": "b", "Role": "r"}"#)
        #expect(cleared.clearPassword() == ["PasswordHash", "SFTPPassword", "FTPPasswordHash"])
        for transferProtocol in [nil] + TransferProtocol.allCases {
            #expect(cleared.storedPassword(for: transferProtocol) == nil)
        }
        #expect(cleared.secret["Role"] == .string("r"))
    }

    @Test func removingAKeyRemovesItFromEveryList() throws {
        let key = try TestKeys.ed25519(comment: "everywhere")
        let other = try TestKeys.ed25519(comment: "stays")
        var user = try Self.user(#"{"PublicKey": "\#(key.openSSHLine),\#(other.openSSHLine)", "PublicKeys": ["\#(key.openSSHLine)"], "SFTPPublicKey": "\#(key.openSSHLine)", "FTPSPublicKeys": ["\#(other.openSSHLine)"]}"#)
        let lists = try user.removePublicKey(fingerprint: key.fingerprint)
        #expect(lists == ["PublicKey", "PublicKeys", "SFTPPublicKey"])
        for transferProtocol in [nil] + TransferProtocol.allCases {
            #expect(!user.publicKeys(for: transferProtocol).contains { $0.key.fingerprint == key.fingerprint })
        }
        #expect(user.publicKeys(for: .ftps).map(\.key.fingerprint) == [other.fingerprint])
        #expect(user.publicKeys().map(\.key.fingerprint) == [other.fingerprint])
        #expect(throws: FieldError.self) { try user.removePublicKey(fingerprint: key.fingerprint) }
    }

    @Test func homeIsNeverBothPathAndLogical() throws {
        var user = try Self.user(#"{"HomeDirectory": "/a", "HomeDirectoryType": "PATH"}"#)
        user.setHome(.logical([HomeMapping(entry: "/", target: "/bucket/jess")]))
        #expect(user.secret["HomeDirectory"] == nil)
        #expect(user.secret["HomeDirectoryType"] == .string("LOGICAL"))
        #expect(user.secret["HomeDirectoryDetails"] == .string(#"[{"Entry":"/","Target":"/bucket/jess"}]"#), "a string holding JSON, as the originals read it")
        user.setHome(.path("/b"))
        #expect(user.secret["HomeDirectoryDetails"] == nil)
        #expect(user.secret["HomeDirectory"] == .string("/b"))
        #expect(user.secret["HomeDirectoryType"] == .string("PATH"))
        user.setHome(.path(nil))
        #expect(user.secret["HomeDirectory"] == nil)
        var arrayUser = try Self.user(#"{"HomeDirectoryDetails": [{"Entry": "/", "Target": "/x"}]}"#)
        arrayUser.setHome(.logical([HomeMapping(entry: "/", target: "/y", type: .directory)]))
        #expect(arrayUser.secret["HomeDirectoryDetails"]?.arrayValue?.count == 1, "an array stays an array")
        #expect(arrayUser.secret["HomeDirectoryType"] == nil, "HomeDirectoryType is only kept in step, never added")
    }

    @Test func publicKeysKeepTheirStoredShape() throws {
        let first = try TestKeys.ed25519(comment: "first")
        let second = try TestKeys.ed25519(comment: "a, b")
        var fresh = try Self.user("{}")
        try fresh.addPublicKey(first)
        try fresh.addPublicKey(second)
        #expect(fresh.secret["PublicKey"] == .string("\(first.openSSHLine),\(second.lineWithoutComment) a  b"),
                "a new list is a comma-separated string; commas in comments would split the key for the AWS template")
        #expect(fresh.publicKeys().map(\.key.fingerprint) == [first.fingerprint, second.fingerprint])

        var array = try Self.user("{\"PublicKeys\": [\"\(first.openSSHLine)\"]}")
        try array.addPublicKey(second)
        #expect(array.secret["PublicKeys"] == .array([.string(first.openSSHLine), .string(second.openSSHLine)]))
        #expect(array.secret["PublicKey"] == nil)

        #expect(throws: FieldError.self) { try array.addPublicKey(first) }
        try array.removePublicKey(fingerprint: first.fingerprint)
        #expect(array.publicKeys().map(\.key.fingerprint) == [second.fingerprint])
        #expect(throws: FieldError.self) { try array.removePublicKey(fingerprint: first.fingerprint) }
        try array.removePublicKey(fingerprint: second.fingerprint)
        #expect(array.secret["PublicKeys"] == nil)
    }

    @Test func unparsableEntriesSurviveKeyEdits() throws {
        let good = try TestKeys.ed25519(comment: "good")
        var user = try Self.user("{\"PublicKey\": [\"ssh-dss AAAA old\", 42, \"\(good.openSSHLine)\"]}")
        let added = try TestKeys.ed25519(comment: "new")
        try user.addPublicKey(added)
        try user.removePublicKey(fingerprint: good.fingerprint)
        #expect(user.secret["PublicKey"] == .array([.string("ssh-dss AAAA old"), .integer(42), .string(added.openSSHLine)]))
        var wrongType = try Self.user(#"{"PublicKey": {"a": 1}}"#)
        #expect(throws: FieldError.self) { try wrongType.addPublicKey(added) }
        #expect(wrongType.secret["PublicKey"] == .object(["a": .integer(1)]), "nothing half-written")
    }

    @Test func atMostFiftyKeys() throws {
        var user = try Self.user("{}")
        for _ in 0..<50 { try user.addPublicKey(try TestKeys.ed25519()) }
        #expect(throws: FieldError.self) { try user.addPublicKey(try TestKeys.ed25519()) }
        #expect(user.publicKeys().count == 50)
    }

    @Test func perProtocolKeysAreEditedSeparately() throws {
        let general = try TestKeys.ed25519(comment: "general")
        let sftp = try TestKeys.ed25519(comment: "sftp")
        var user = try Self.user("{}")
        try user.addPublicKey(general)
        try user.addPublicKey(sftp, for: .sftp)
        #expect(user.publicKeys(for: .sftp).map(\.key) == [sftp])
        #expect(user.publicKeys(for: .ftps).map(\.key) == [general])
        user.setRole(Self.role, for: .ftp)
        #expect(user.secret["FTPRole"] == .string(Self.role))
        #expect(user.protocolOverrides[.sftp] == ["SFTPPublicKey"])
    }

    @Test func removingAKeyDropsItsExpiry() throws {
        let key = try TestKeys.ed25519()
        let other = try TestKeys.ed25519()
        var user = try Self.user("{}")
        try user.addPublicKey(key)
        try user.addPublicKey(other)
        let date = Date(timeIntervalSince1970: 1_900_000_000)
        user.setKeyExpiry(fingerprint: key.fingerprint, date)
        user.setKeyExpiry(fingerprint: other.fingerprint, date)
        #expect(user.publicKeys().first?.expiresAt == date)
        try user.removePublicKey(fingerprint: key.fingerprint)
        #expect(user.keyExpiry.keys.sorted() == [other.fingerprint])
        user.setKeyExpiry(fingerprint: other.fingerprint, nil)
        #expect(user.secret["sftpidp:KeyExpiry"] == nil)
    }

    @Test func ownKeysRoundTrip() throws {
        var user = try Self.user("{}")
        user.setDisabled(true)
        user.setExpiresAt(Date(timeIntervalSince1970: 1_900_000_000))
        user.setAllowedServerIDs(["s-0123456789abcdef0", "s-00000000000000000"])
        user.setComment("hello")
        #expect(user.secret["sftpidp:ExpiresAt"] == .string("2030-03-17T17:46:40Z"))
        #expect(user.secret["sftpidp:AllowedServerIds"] == .string("s-0123456789abcdef0,s-00000000000000000"))
        #expect(user.isDisabled && user.comment == "hello")
        user.setDisabled(false)
        user.setExpiresAt(nil)
        user.setAllowedServerIDs([])
        user.setComment(nil)
        #expect(user.secret.members.isEmpty)
    }

    @Test func policyAndPosixKeepTheirStoredShape() throws {
        var user = try Self.user(#"{"Policy": {"Version": "1"}, "PosixProfile": "{\"Uid\": 1, \"Gid\": 1}"}"#)
        user.setPolicy(#"{"Version": "2"}"#)
        #expect(user.secret["Policy"] == .object(["Version": .string("2")]))
        user.setPosixProfile(PosixProfile(uid: 5, gid: 6, secondaryGids: [7]))
        #expect(user.secret["PosixProfile"] == .string(#"{"Gid":6,"SecondaryGids":[7],"Uid":5}"#))
        var fresh = try Self.user("{}")
        fresh.setPolicy(#"{"Version": "2"}"#)
        #expect(fresh.secret["Policy"] == .string(#"{"Version": "2"}"#))
        fresh.setPosixProfile(PosixProfile(uid: 5, gid: 6))
        #expect(fresh.secret["PosixProfile"] == .object(["Uid": .integer(5), "Gid": .integer(6)]))
        fresh.setNetworks([try IPNetwork(parsing: "10.1.2.3/8"), try IPNetwork(parsing: "2001:db8::1/32")])
        #expect(fresh.secret["AcceptedIpNetwork"] == .string("10.0.0.0/8,2001:db8::/32"))
    }

    @Test func validateReportsEveryBrokenRule() throws {
        let user = try Self.user("""
        {"Role": "not-an-arn", "FTPRole": "arn:aws:iam::1:role/x", "Policy": "{bad", "HomeDirectory": "relative",
         "PosixProfile": {"Uid": 1, "Gid": 1, "SecondaryGids": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]},
         "Password": "\(String(repeating: "p", count: 1025))", "sftpidp:AllowedServerIds": "s-bad", "PublicKey": "junk"}
        """)
        let fields = Set(user.validate().map(\.field))
        #expect(fields == ["Role", "FTPRole", "Policy", "HomeDirectory", "PosixProfile", "Password", "sftpidp:AllowedServerIds", "PublicKey[1]"])
        #expect(!user.validate().contains { $0.description.contains("ppppp") }, "a secret value appeared in an error")
        #expect(try Self.user("{}").validate().map(\.field) == ["Role"])
        var big = try Self.user(#"{"Role": "\#(Self.role)"}"#)
        big.setComment(String(repeating: "c", count: 70_000))
        #expect(big.validate().map(\.field) == ["SecretString"])
    }
}

import Foundation
import IdentityModel
import IdentityProvider
import Testing

/// One row of the contract: a stored secret for `jess`, a request, and what must come of it.
struct ConformanceCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable {
        /// Allowed with exactly this answer.
        case allowed([String: JSONValue])
        /// Denied in this category with exactly this reason.
        case denied(DenialCategory, String)
    }

    var name: String
    /// The secret string of `SFTP/jess`; `nil` stores nothing.
    var secret: String?
    var request: LoginRequest
    var expected: Expected

    var testDescription: String { name }

    init(_ name: String, _ members: [String: JSONValue]?, _ request: LoginRequest, _ expected: Expected) {
        self.name = name
        self.secret = members.map { JSONValue.object($0).jsonText }
        self.request = request
        self.expected = expected
    }

    init(_ name: String, rawSecret: String, _ request: LoginRequest, _ expected: Expected) {
        self.name = name
        self.secret = rawSecret
        self.request = request
        self.expected = expected
    }
}

typealias C = ConformanceCase
private let role = JSONValue.string(Fixture.role)
private let base: [String: JSONValue] = ["Role": role, "PasswordHash": .string(Fixture.modelHash), "HomeDirectory": "/bucket/home/jess"]
private let allowedPath: [String: JSONValue] = ["Role": role, "HomeDirectoryType": "PATH", "HomeDirectory": "/bucket/home/jess"]
private func password(_ text: String = Fixture.password, protocolName: String = "SFTP", sourceIP: String? = "192.0.2.10") -> LoginRequest {
    HandlerHarness.request(password: text, protocolName: protocolName, sourceIP: sourceIP)
}
private func key(sourceIP: String? = "192.0.2.10") -> LoginRequest {
    HandlerHarness.request(password: nil, sourceIP: sourceIP)
}
private func merged(_ extra: [String: JSONValue], into members: [String: JSONValue] = base) -> [String: JSONValue] {
    members.merging(extra) { $1 }
}

extension ConformanceCase {
    /// Step 1 and 2: the request itself.
    static let requestCases: [C] = [
        C("missing serverId", base, HandlerHarness.request(password: Fixture.password, serverID: nil), .denied(.invalidRequest, "the request has no serverId")),
        C("empty serverId", base, HandlerHarness.request(password: Fixture.password, serverID: ""), .denied(.invalidRequest, "the request has no serverId")),
        C("missing username", base, HandlerHarness.request(user: nil, password: Fixture.password), .denied(.invalidRequest, "the request has no username")),
        C("missing protocol", base, HandlerHarness.request(password: Fixture.password, protocolName: nil), .denied(.invalidRequest, "the request has no protocol")),
        C("unknown protocol", base, HandlerHarness.request(password: Fixture.password, protocolName: "SCP"), .denied(.invalidRequest, "protocol \"SCP\" is not SFTP, FTP or FTPS")),
        C("protocol in lower case", base, HandlerHarness.request(password: Fixture.password, protocolName: "sftp"), .allowed(allowedPath)),
        C("user name with a slash", base, HandlerHarness.request(user: "jess/../x", password: Fixture.password), .denied(.invalidRequest, "user name \"jess/../x\" cannot be part of a secret name (allowed: A-Z a-z 0-9 _ + = . @ -)")),
        C("FTP without password", merged(["PublicKey": .string(Fixture.key1)]), HandlerHarness.request(password: nil, protocolName: "FTP"), .denied(.passwordRequired, "FTP logins need a password: there is no key authentication over FTP")),
        C("FTPS with an empty password", base, HandlerHarness.request(password: "", protocolName: "FTPS"), .denied(.passwordRequired, "FTPS logins need a password: there is no key authentication over FTPS")),
    ]

    /// Step 3: the secret.
    static let secretCases: [C] = [
        C("no secret", nil, password(), .denied(.unknownUser, "no secret SFTP/jess")),
        C("no secret, key auth", nil, key(), .denied(.unknownUser, "no secret SFTP/jess")),
        C("secret is an array", rawSecret: #"["Role"]"#, password(), .denied(.invalidSecret, "secret SFTP/jess is not a JSON object")),
        C("secret is not JSON", rawSecret: "Role=arn", password(), .denied(.invalidSecret, "secret SFTP/jess is not a JSON object")),
    ]

    /// Step 4: passwords of every format, per-protocol overrides.
    static let passwordCases: [C] = [
        C("argon2id from the model's hasher", base, password(), .allowed(allowedPath)),
        C("argon2id p=4 from argon2-cffi", merged(["PasswordHash": .string(Fixture.argon2idP4Hash)]), password(), .allowed(allowedPath)),
        C("argon2i", merged(["PasswordHash": .string(Fixture.argon2iHash)]), password(), .allowed(allowedPath)),
        C("bcrypt", merged(["PasswordHash": .string(Fixture.bcryptHash)]), password(), .allowed(allowedPath)),
        C("sha512-crypt", merged(["PasswordHash": .string(Fixture.sha512CryptHash)]), password(), .allowed(allowedPath)),
        C("yescrypt", merged(["PasswordHash": .string(Fixture.yescryptHash)]), password(), .allowed(allowedPath)),
        C("wrong password", base, password("correct horse battery"), .denied(.wrongPassword, "password does not match")),
        C("wrong password against bcrypt", merged(["PasswordHash": .string(Fixture.bcryptHash)]), password("Correct horse"), .denied(.wrongPassword, "password does not match")),
        C("legacy plain-text Password", ["Role": role, "Password": .string(Fixture.password)], password(), .allowed(["Role": role])),
        C("legacy plain-text Password, wrong", ["Role": role, "Password": .string(Fixture.password)], password("correct"), .denied(.wrongPassword, "password does not match")),
        C("no password configured", ["Role": role, "PublicKey": .string(Fixture.key1)], password(), .denied(.wrongPassword, "user has no password for SFTP")),
        C("FTPPassword for FTP", merged(["FTPPasswordHash": .string(Fixture.ftpPasswordHash)]), password("FTP secret", protocolName: "FTP"), .allowed(allowedPath)),
        C("FTPPassword hides the shared one for FTP", merged(["FTPPasswordHash": .string(Fixture.ftpPasswordHash)]), password(protocolName: "FTP"), .denied(.wrongPassword, "password does not match")),
        C("FTPPassword does not apply to SFTP", merged(["FTPPasswordHash": .string(Fixture.ftpPasswordHash)]), password("FTP secret"), .denied(.wrongPassword, "password does not match")),
        C("legacy SFTPPassword override", merged(["SFTPPassword": "sftp only"], into: ["Role": role, "Password": .string(Fixture.password)]), password("sftp only"), .allowed(["Role": role])),
        C("FTPRole for FTP", merged(["FTPRole": .string(Fixture.ftpRole)]), password(protocolName: "FTP"), .allowed(merged(["Role": .string(Fixture.ftpRole)], into: allowedPath))),
        C("FTPHomeDirectory for FTPS", merged(["FTPSHomeDirectory": "/ftp-bucket/jess"]), password(protocolName: "FTPS"), .allowed(merged(["HomeDirectory": "/ftp-bucket/jess"], into: allowedPath))),
        C("password login never returns keys", merged(["PublicKey": .string(Fixture.key1)]), password(), .allowed(allowedPath)),
    ]

    /// Step 5: public keys.
    static let keyCases: [C] = [
        C("one key", ["Role": role, "PublicKey": .string(Fixture.key1)], key(), .allowed(["Role": role, "PublicKeys": [.string(Fixture.key1)]])),
        C("comma-separated keys", ["Role": role, "PublicKey": .string(Fixture.key1 + "," + Fixture.ecdsaKey)], key(), .allowed(["Role": role, "PublicKeys": [.string(Fixture.key1), .string(Fixture.ecdsaKey)]])),
        C("array under PublicKey", ["Role": role, "PublicKey": [.string(Fixture.key1), .string(Fixture.key2)]], key(), .allowed(["Role": role, "PublicKeys": [.string(Fixture.key1), .string(Fixture.key2)]])),
        C("array under PublicKeys", ["Role": role, "PublicKeys": [.string(Fixture.key2), .string(Fixture.key3)]], key(), .allowed(["Role": role, "PublicKeys": [.string(Fixture.key2), .string(Fixture.key3)]])),
        C("SFTPPublicKey override", ["Role": role, "PublicKey": .string(Fixture.key1), "SFTPPublicKey": .string(Fixture.key3)], key(), .allowed(["Role": role, "PublicKeys": [.string(Fixture.key3)]])),
        C("no keys", base, key(), .denied(.noPublicKeys, "user has no public keys for SFTP")),
        C("empty key list", ["Role": role, "PublicKeys": []], key(), .denied(.noPublicKeys, "user has no public keys for SFTP")),
        C("empty key text", ["Role": role, "PublicKey": ""], key(), .denied(.noPublicKeys, "user has no public keys for SFTP")),
        C("key login has no password check", merged(["PublicKey": .string(Fixture.key2)]), key(), .allowed(merged(["PublicKeys": [.string(Fixture.key2)]], into: allowedPath))),
    ]

    /// Step 6: source networks.
    static let networkCases: [C] = [
        C("single CIDR, inside", merged(["AcceptedIpNetwork": "192.0.2.0/24"]), password(), .allowed(allowedPath)),
        C("single CIDR, outside", merged(["AcceptedIpNetwork": "192.0.2.0/24"]), password(sourceIP: "203.0.113.9"), .denied(.sourceIPNotAllowed, "source IP 203.0.113.9 is not in 192.0.2.0/24")),
        C("list of v4 and v6, v6 inside", merged(["AcceptedIpNetwork": "10.0.0.0/8, 2001:db8::/32"]), password(sourceIP: "2001:db8::42"), .allowed(allowedPath)),
        C("list of v4 and v6, outside", merged(["AcceptedIpNetwork": "10.0.0.0/8,2001:db8::/32"]), password(sourceIP: "203.0.113.9"), .denied(.sourceIPNotAllowed, "source IP 203.0.113.9 is not in 10.0.0.0/8, 2001:db8::/32")),
        C("host bits set", merged(["AcceptedIpNetwork": "10.1.2.3/8"]), password(sourceIP: "10.200.0.1"), .allowed(allowedPath)),
        C("no source IP but networks", merged(["AcceptedIpNetwork": "10.0.0.0/8"]), password(sourceIP: nil), .denied(.sourceIPNotAllowed, "the request has no sourceIp, but the user is limited to 10.0.0.0/8")),
        C("source IP not an address", merged(["AcceptedIpNetwork": "10.0.0.0/8"]), password(sourceIP: "ten.0.0.1"), .denied(.invalidRequest, "sourceIp \"ten.0.0.1\" is not an IPv4 or IPv6 address (no zone ids, no other characters)")),
        C("per-protocol network", merged(["AcceptedIpNetwork": "10.0.0.0/8", "SFTPAcceptedIpNetwork": "192.0.2.0/24"]), password(sourceIP: "10.1.1.1"), .denied(.sourceIPNotAllowed, "source IP 10.1.1.1 is not in 192.0.2.0/24")),
        C("no networks: any address", base, password(sourceIP: "203.0.113.9"), .allowed(allowedPath)),
    ]

    /// Step 7: the answer.
    static let answerCases: [C] = [
        C("no Role", ["PasswordHash": .string(Fixture.modelHash)], password(), .denied(.noRole, "user has no Role")),
        C("blank Role", ["Role": "  ", "PasswordHash": .string(Fixture.modelHash)], password(), .denied(.noRole, "user has no Role")),
        C("bucket-root home", ["Role": role, "PasswordHash": .string(Fixture.modelHash)], password(), .allowed(["Role": role])),
        C("logical home from a string", ["Role": role, "PasswordHash": .string(Fixture.modelHash), "HomeDirectoryDetails": #"[{"Entry": "/", "Target": "/bucket/jess"}]"#], password(), .allowed(["Role": role, "HomeDirectoryType": "LOGICAL", "HomeDirectoryDetails": #"[{"Entry":"/","Target":"/bucket/jess"}]"#])),
        C("logical home from an array", ["Role": role, "PasswordHash": .string(Fixture.modelHash), "HomeDirectoryDetails": [["Entry": "/in", "Target": "/bucket/in"], ["Entry": "/out", "Target": "/bucket/out"]]], password(), .allowed(["Role": role, "HomeDirectoryType": "LOGICAL", "HomeDirectoryDetails": #"[{"Entry":"/in","Target":"/bucket/in"},{"Entry":"/out","Target":"/bucket/out"}]"#])),
        C("PosixProfile object", merged(["PosixProfile": ["Uid": 1001, "Gid": 1001, "SecondaryGids": [2000, 2001]]]), password(), .allowed(merged(["PosixProfile": ["Uid": 1001, "Gid": 1001, "SecondaryGids": [2000, 2001]]], into: allowedPath))),
        C("PosixProfile as a string", merged(["PosixProfile": #"{"Uid": 0, "Gid": 0}"#]), password(), .allowed(merged(["PosixProfile": ["Uid": 0, "Gid": 0]], into: allowedPath))),
        C("Policy as a string", merged(["Policy": #"{"Version":"2012-10-17","Statement":[]}"#]), password(), .allowed(merged(["Policy": #"{"Version":"2012-10-17","Statement":[]}"#], into: allowedPath))),
    ]

    /// sftpidp's own keys.
    static let extraCases: [C] = [
        C("disabled", merged(["sftpidp:Disabled": true]), password(), .denied(.disabled, "user is disabled")),
        C("disabled as text", merged(["sftpidp:Disabled": "true"]), password(), .denied(.disabled, "user is disabled")),
        C("disabled, key auth", merged(["sftpidp:Disabled": true, "PublicKey": .string(Fixture.key1)]), key(), .denied(.disabled, "user is disabled")),
        C("not disabled", merged(["sftpidp:Disabled": false]), password(), .allowed(allowedPath)),
        C("expired", merged(["sftpidp:ExpiresAt": "2026-01-01"]), password(), .denied(.expired, "user expired on 2026-01-01")),
        C("expired at a time", merged(["sftpidp:ExpiresAt": "2026-06-01T11:59:59Z"]), password(), .denied(.expired, "user expired on 2026-06-01T11:59:59Z")),
        C("expires later", merged(["sftpidp:ExpiresAt": "2027-01-01"]), password(), .allowed(allowedPath)),
        C("server not allowed", merged(["sftpidp:AllowedServerIds": .string(Fixture.otherServerID)]), password(), .denied(.serverNotAllowed, "server \(Fixture.serverID) is not allowed for this user")),
        C("server allowed", merged(["sftpidp:AllowedServerIds": .string("\(Fixture.otherServerID),\(Fixture.serverID)")]), password(), .allowed(allowedPath)),
        C("one expired key left out", ["Role": role, "PublicKey": .string(Fixture.key1 + "," + Fixture.key2), "sftpidp:KeyExpiry": .object([Fixture.fingerprint(of: Fixture.key1): "2026-01-01"])], key(), .allowed(["Role": role, "PublicKeys": [.string(Fixture.key2)]])),
        C("all keys expired", ["Role": role, "PublicKey": .string(Fixture.key1 + "," + Fixture.key2), "sftpidp:KeyExpiry": .object([Fixture.fingerprint(of: Fixture.key1): "2026-01-01", Fixture.fingerprint(of: Fixture.key2): "2026-05-31"])], key(), .denied(.noPublicKeys, "all 2 keys have expired")),
        C("key expiring later is kept", ["Role": role, "PublicKey": .string(Fixture.key1), "sftpidp:KeyExpiry": .object([Fixture.fingerprint(of: Fixture.key1): "2027-01-01"])], key(), .allowed(["Role": role, "PublicKeys": [.string(Fixture.key1)]])),
    ]

    static let all = requestCases + secretCases + passwordCases + keyCases + networkCases + answerCases + extraCases
}

@Suite("Contract conformance of the handler")
struct ConformanceTests {
    @Test(arguments: ConformanceCase.all)
    func decision(_ row: ConformanceCase) async throws {
        let harness = try await HandlerHarness(secrets: row.secret.map { ["SFTP/jess": $0] } ?? [:])
        let decision = try await harness.decide(row.request)
        switch row.expected {
        case .allowed(let answer):
            #expect(decision.isAllowed, "denied: \(decision.reason)")
            #expect(decision.response == .object(answer))
            #expect(decision.denialCategory == nil)
        case .denied(let category, let reason):
            #expect(!decision.isAllowed)
            #expect(decision.response == .object([:]))
            #expect(decision.denialCategory == category)
            #expect(decision.reason == reason)
            #expect(decision.checks.last?.outcome == .failed)
        }
        // The answer never holds both home forms, and never a password or hash anywhere.
        let members = decision.response.objectValue ?? [:]
        #expect(!(members["HomeDirectory"] != nil && members["HomeDirectoryDetails"] != nil))
        let text = decision.reason + decision.checks.map { $0.name + $0.detail }.joined()
        for secretText in [Fixture.password, Fixture.modelHash, "FTP secret", "sftp only", Fixture.bcryptHash] {
            #expect(!text.contains(secretText))
        }
    }
}

import Foundation
import PeerTesting
import Testing

/// The real binary against AWS Secrets Manager (a local moto server with SigV4 checking), side by side with the AWS CLI.
@Suite(.motoServer) struct AWSStoreEndToEndTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
    static let serverID = "s-0123456789abcdef0"

    let moto: MotoServer
    let sandbox: Sandbox
    let awsEnvironment: [String: String]

    init() throws {
        moto = try #require(MotoServer.current)
        sandbox = try Sandbox()
        awsEnvironment = [
            "AWS_ACCESS_KEY_ID": moto.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": moto.secretAccessKey,
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": moto.endpoint,
        ]
    }

    /// `sftpidp ARGUMENTS` on the moto store, under a naming template unique to this test.
    func sftpidp(_ arguments: [String], prefix: String, input: String? = nil) throws -> CommandResult {
        try sandbox.run(arguments + ["--store", "aws", "--naming-scheme", "\(prefix){username}"], input: input, environment: awsEnvironment)
    }

    func aws(_ arguments: [String]) throws -> String {
        try ExternalProcess.run("aws", ["secretsmanager"] + arguments + ["--output", "json"], environment: moto.cliEnvironment())
    }

    static func uniquePrefix() -> String {
        "e2e\(UUID().uuidString.prefix(8).lowercased())/SFTP/"
    }

    @Test func aUserTheAWSCLIWroteInTheOriginalFormatListsShowsAndLogsIn() throws {
        let prefix = Self.uniquePrefix()
        let keyPath = sandbox.path("id_ed25519")
        try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "jess@laptop", "-f", keyPath])
        let publicKey = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let original: [String: String] = [
            "Password": "Legacy-Pa55word", "Role": Self.role, "HomeDirectory": "/bucket/home/jess", "PublicKey": publicKey,
        ]
        let secretString = String(decoding: try JSONSerialization.data(withJSONObject: original), as: UTF8.self)
        try aws(["create-secret", "--name", "\(prefix)jess", "--secret-string", secretString])

        let list = try sftpidp(["users", "list"], prefix: prefix)
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains("jess"))
        #expect(list.stdout.contains("legacy-password"))
        let show = try sftpidp(["users", "show", "jess"], prefix: prefix)
        #expect(show.stdout.contains("legacy plain text"))
        #expect(!show.stdout.contains("Legacy-Pa55word"))

        let login = try sftpidp(["test-login", "--server-id", Self.serverID, "--user-name", "jess", "--user-password", "Legacy-Pa55word"], prefix: prefix)
        #expect(login.status == 0, "\(login)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(login.stdout.utf8)) as? [String: Any])
        #expect(report["StatusCode"] as? Int == 200)
        let response = try #require(try JSONSerialization.jsonObject(with: Data((report["Response"] as? String ?? "").utf8)) as? [String: Any])
        #expect(response["Role"] as? String == Self.role)
        #expect(response["HomeDirectory"] as? String == "/bucket/home/jess")

        let keyLogin = try sftpidp(["test-login", "--server-id", Self.serverID, "--user-name", "jess"], prefix: prefix)
        #expect(keyLogin.status == 0, "\(keyLogin)")
        #expect(keyLogin.stdout.contains(publicKey.split(separator: " ")[1]))

        let wrong = try sftpidp(["test-login", "--server-id", Self.serverID, "--user-name", "jess", "--user-password", "nope"], prefix: prefix)
        #expect(wrong.status == 1)
        #expect(wrong.stdout.contains("password does not match"))
    }

    @Test func aUserSftpidpCreatesIsReadByTheAWSCLIWithTheExpectedKeys() throws {
        let prefix = Self.uniquePrefix()
        let created = try sftpidp(["users", "create", "carol", "--role", Self.role, "--home", "/bucket/carol", "--password-stdin", "--network", "10.0.0.0/8"], prefix: prefix, input: "Carol-pw-2026")
        #expect(created.status == 0, "\(created)")
        let output = try aws(["get-secret-value", "--secret-id", "\(prefix)carol"])
        let value = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let secret = try #require(try JSONSerialization.jsonObject(with: Data((value["SecretString"] as? String ?? "").utf8)) as? [String: Any])
        #expect(secret["Role"] as? String == Self.role)
        #expect(secret["HomeDirectory"] as? String == "/bucket/carol")
        #expect(secret["AcceptedIpNetwork"] as? String == "10.0.0.0/8")
        #expect((secret["PasswordHash"] as? String)?.hasPrefix("$argon2id$") == true)
        #expect(secret["Password"] == nil)
    }

    @Test func storeCopyRoundTripKeepsEveryUserIdentical() throws {
        let prefix = Self.uniquePrefix()
        let embedded = sandbox.path("first.db")
        let scheme = ["--naming-scheme", "\(prefix){username}"]
        for (user, extra) in [("amy", ["--home", "/b/amy"]), ("ben", ["--home-mapping", "/=/b/ben"]), ("cat", ["--comment", "Zoë ✓"])] {
            let result = try sandbox.run(["users", "create", user, "--role", Self.role, "--store", embedded] + scheme + extra)
            #expect(result.status == 0, "\(result)")
        }
        try sandbox.run(["users", "update", "amy", "--set", "CostCentre=42", "--store", embedded] + scheme)

        let toAWS = try sandbox.run(["store", "copy", "--from", embedded, "--to", "aws"] + scheme, environment: awsEnvironment)
        #expect(toAWS.status == 0, "\(toAWS)")
        #expect(toAWS.stdout.contains("created 3"))
        let again = try sandbox.run(["store", "copy", "--from", embedded, "--to", "aws"] + scheme, environment: awsEnvironment)
        #expect(again.stdout.contains("created 0") && again.stdout.contains("unchanged 3"), "\(again)")

        let back = sandbox.path("second.db")
        let fromAWS = try sandbox.run(["store", "copy", "--from", "aws", "--to", back] + scheme, environment: awsEnvironment)
        #expect(fromAWS.status == 0, "\(fromAWS)")
        for user in ["amy", "ben", "cat"] {
            let first = try sandbox.run(["users", "show", user, "--json", "--store", embedded] + scheme)
            let second = try sandbox.run(["users", "show", user, "--json", "--store", back] + scheme)
            #expect(try Self.withoutVersion(first.stdout) == Self.withoutVersion(second.stdout))
        }
    }

    /// `users list` keeps its listing cache in ~/.cache/sftpidp: a change made by the AWS CLI shows at once, the cache
    /// can be deleted, a damaged one is rebuilt with a warning, and `--no-cache` / `listing-cache = "off"` bypass it.
    @Test func usersListKeepsAListingCacheThatNeverHidesAChange() throws {
        let prefix = Self.uniquePrefix()
        let value = { (role: String) in #"{"Role":"arn:aws:iam::012345678901:role/\#(role)","HomeDirectory":"/bucket/home/jess"}"# }
        try aws(["create-secret", "--name", "\(prefix)jess", "--secret-string", value("FirstRole")])
        let first = try sftpidp(["users", "list"], prefix: prefix)
        #expect(first.status == 0 && first.stdout.contains("FirstRole"), "\(first)")
        let cacheDirectory = sandbox.path(".cache/sftpidp")
        let files = try FileManager.default.contentsOfDirectory(atPath: cacheDirectory)
        let cacheFiles = files.filter { $0.hasPrefix("listing-") && $0.hasSuffix(".cache") }
        #expect(files.count == 2 && cacheFiles.count == 1 && files.contains("listing-cache.key"), "\(files)")
        let cacheFile = cacheDirectory + "/" + (cacheFiles.first ?? "")

        try aws(["put-secret-value", "--secret-id", "\(prefix)jess", "--secret-string", value("SecondRole")])
        let second = try sftpidp(["users", "list"], prefix: prefix)
        #expect(second.stdout.contains("SecondRole") && second.stderr.isEmpty, "\(second)")

        var bytes = try Data(contentsOf: URL(fileURLWithPath: cacheFile))
        bytes[bytes.count / 2] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: cacheFile))
        let damaged = try sftpidp(["users", "list"], prefix: prefix)
        #expect(damaged.status == 0 && damaged.stdout.contains("SecondRole"), "\(damaged)")
        #expect(damaged.stderr.contains("warning: the listing cache \(cacheFile) is discarded and rebuilt"), "\(damaged)")
        #expect(try sftpidp(["users", "list"], prefix: prefix).stderr.isEmpty)

        // rm -rf ~/.cache/sftpidp
        try sandbox.runTool("rm", ["-rf", cacheDirectory])
        let bypassed = try sftpidp(["users", "list", "--no-cache"], prefix: prefix)
        #expect(bypassed.stdout.contains("SecondRole"), "\(bypassed)")
        #expect(!FileManager.default.fileExists(atPath: cacheDirectory))
        try FileManager.default.createDirectory(atPath: sandbox.path("config/sftpidp"), withIntermediateDirectories: true)
        try #"listing-cache = "off""#.write(toFile: sandbox.path("config/sftpidp/config.toml"), atomically: true, encoding: .utf8)
        #expect(try sftpidp(["users", "list"], prefix: prefix).stdout.contains("SecondRole"))
        #expect(!FileManager.default.fileExists(atPath: cacheDirectory))
        let wrong = try sandbox.run(["users", "list", "--store", "aws", "--naming-scheme", "\(prefix){username}"],
                                    environment: awsEnvironment.merging(["SFTPIDP_LISTING_CACHE": "sometimes"]) { $1 })
        #expect(wrong.status != 0 && wrong.stderr.contains("listing-cache \"sometimes\"") && wrong.stderr.contains("must be on or off"), "\(wrong)")

        try FileManager.default.removeItem(atPath: sandbox.path("config/sftpidp/config.toml"))
        let rebuilt = try sftpidp(["users", "list"], prefix: prefix)
        #expect(rebuilt.stdout.contains("SecondRole") && rebuilt.stderr.isEmpty, "\(rebuilt)")
        #expect(FileManager.default.fileExists(atPath: cacheFile))
    }

    /// A `users show --json` object without the fields that name the stored version.
    static func withoutVersion(_ json: String) throws -> NSDictionary {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        object["versionId"] = nil
        object["lastChangedAt"] = nil
        return object as NSDictionary
    }
}

import Foundation
import LambdaRuntimeTesting
import PeerTesting
import Testing

/// The real `sftpidp-lambda` binary against a Runtime API server written in test code and a moto Secrets Manager
/// holding users written by the AWS CLI (plain-text `Password`, `PublicKey`) and by `sftpidp users create` (argon2id).
@Suite(.motoServer) struct LambdaEndToEndTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
    static let serverID = "s-0123456789abcdef0"
    static let jessPassword = "Legacy-Pa55word"
    static let carolPassword = "Carol-pw-2026 ✓"

    let moto: MotoServer
    let sandbox: Sandbox
    let prefix: String
    let publicKey: String

    init() throws {
        moto = try #require(MotoServer.current)
        sandbox = try Sandbox()
        prefix = "lambda\(UUID().uuidString.prefix(8).lowercased())/SFTP/"
        let keyPath = sandbox.path("id_ed25519")
        try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "jess@laptop", "-f", keyPath])
        publicKey = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try Self.populate(moto: moto, sandbox: sandbox, prefix: prefix, publicKey: publicKey)
    }

    /// `jess` written by the AWS CLI in the originals' format, `carol` by `sftpidp users create --store aws`.
    /// `extra` is added to sftpidp's environment (e.g. `SFTPIDP_ARGON2`; the sandbox's own cost is cheap).
    static func populate(moto: MotoServer, sandbox: Sandbox, prefix: String, publicKey: String, extra: [String: String] = [:]) throws {
        let original = ["Password": jessPassword, "Role": role, "HomeDirectory": "/bucket/home/jess", "PublicKey": publicKey]
        let secretString = String(decoding: try JSONSerialization.data(withJSONObject: original), as: UTF8.self)
        _ = try ExternalProcess.run("aws", ["secretsmanager", "create-secret", "--name", "\(prefix)jess", "--secret-string", secretString, "--output", "json"], environment: moto.cliEnvironment())
        let created = try sandbox.run(
            ["users", "create", "carol", "--role", role, "--home", "/bucket/carol", "--password-stdin", "--store", "aws", "--naming-scheme", "\(prefix){username}"],
            input: carolPassword, environment: awsEnvironment(moto).merging(extra) { $1 })
        guard created.status == 0 else { throw SandboxError("sftpidp users create failed: \(created)") }
    }

    static func awsEnvironment(_ moto: MotoServer, endpoint: String? = nil) -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": moto.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": moto.secretAccessKey,
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL_SECRETS_MANAGER": endpoint ?? moto.endpoint,
        ]
    }

    /// The function's environment as Lambda would give it, plus the moto endpoint.
    func functionEnvironment(endpoint: String? = nil, extra: [String: String] = [:]) -> [String: String] {
        Self.awsEnvironment(moto, endpoint: endpoint).merging(["SFTPIDP_NAMING_SCHEME": "\(prefix){username}", "HOME": sandbox.root.path]) { $1 }.merging(extra) { $1 }
    }

    func startFunction(endpoint: String? = nil, extra: [String: String] = [:]) async throws -> (LambdaProcess, LambdaRuntimeServer) {
        let runtime = try await LambdaRuntimeServer.start()
        do {
            return (try LambdaProcess(sandbox: sandbox, runtime: runtime, environment: functionEnvironment(endpoint: endpoint, extra: extra)), runtime)
        } catch {
            await runtime.stop()
            throw error
        }
    }

    @Test func passwordAndKeyLoginsAndDenialsForUsersOfBothWriters() async throws {
        let (function, runtime) = try await startFunction()
        defer { function.stop() }

        let jess = try await function.invokeFlat(user: "jess", password: Self.jessPassword)
        #expect(jess.object["Role"] as? String == Self.role, "\(jess) \(function.standardError)")
        #expect(jess.object["HomeDirectory"] as? String == "/bucket/home/jess")
        #expect(jess.object["PublicKeys"] == nil)
        let jessKey = try await function.invokeFlat(user: "jess", password: nil)
        #expect(jessKey.object["PublicKeys"] as? [String] == [publicKey])
        let jessEmpty = try await function.invokeFlat(user: "jess", password: "")
        #expect(jessEmpty.object["PublicKeys"] as? [String] == [publicKey])
        let carol = try await function.invokeFlat(user: "carol", password: Self.carolPassword)
        #expect(carol.object["Role"] as? String == Self.role, "\(carol)")
        #expect(carol.object["HomeDirectory"] as? String == "/bucket/carol")

        #expect(try await function.invokeFlat(user: "carol", password: "wrong") == .response("{}"))
        #expect(try await function.invokeFlat(user: "carol", password: nil) == .response("{}"))
        #expect(try await function.invokeFlat(user: "nobody", password: "x") == .response("{}"))
        #expect(try await function.invokeFlat(user: "jess", password: nil, protocolName: "FTP") == .response("{}"))

        let lines = function.logLines
        let objects = function.logObjects
        #expect(lines.count == 8 && objects.count == 8, "\(lines)")
        #expect(objects.map { $0["result"] as? String } == ["allowed", "allowed", "allowed", "allowed", "denied", "denied", "denied", "denied"])
        #expect(objects.allSatisfy { ($0["requestId"] as? String)?.isEmpty == false && $0["message"] as? String == "login decision" })
        let everything = lines.joined() + function.standardError
        #expect(!everything.contains(Self.jessPassword) && !everything.contains(Self.carolPassword))
        await runtime.stop()
    }

    @Test func bothAPIGatewayShapes() async throws {
        let (function, runtime) = try await startFunction()
        defer { function.stop() }

        // The seeds' mapping template: the flat event with the user name already URL-decoded.
        let mapped = try await function.invoke(#"{"username":"jess","password":"\#(Self.jessPassword)","protocol":"SFTP","serverId":"\#(Self.serverID)","sourceIp":"198.51.100.7"}"#)
        #expect(mapped.object["Role"] as? String == Self.role)

        // The proxy integration: URL-encoded path, headers in any case, base64 password, query parameters.
        let encoded = Data(Self.carolPassword.utf8).base64EncodedString()
        func proxy(user: String, headers: String) -> String {
            #"{"resource":"/servers/{serverId}/users/{username}/config","path":"/servers/\#(Self.serverID)/users/\#(user)/config","httpMethod":"GET","headers":\#(headers),"multiValueHeaders":{},"queryStringParameters":{"protocol":"SFTP","sourceIp":"198.51.100.7"},"pathParameters":{"serverId":"\#(Self.serverID)","username":"\#(user)"},"requestContext":{"stage":"prod"},"body":null,"isBase64Encoded":false}"#
        }
        let allowed = try await function.invoke(proxy(user: "car%6Fl", headers: #"{"passwordbase64":"\#(encoded)"}"#))
        #expect(allowed.object["statusCode"] as? Int == 200, "\(allowed)")
        #expect(allowed.proxyBody["Role"] as? String == Self.role)
        let key = try await function.invoke(proxy(user: "jess", headers: "null"))
        #expect(key.proxyBody["PublicKeys"] as? [String] == [publicKey])
        let denied = try await function.invoke(proxy(user: "jess", headers: #"{"PASSWORD":"wrong"}"#))
        #expect(denied.object["statusCode"] as? Int == 200)
        #expect(denied.object["body"] as? String == "{}")
        let bad = try await function.invoke(proxy(user: "jess", headers: #"{"PasswordBase64":"***"}"#))
        #expect(bad.object["statusCode"] as? Int == 200)
        #expect(bad.object["body"] as? String == "{}")
        #expect(function.logObjects.filter { $0["event"] as? String == "api-gateway-proxy" }.count == 4)
        await runtime.stop()
    }

    @Test func malformedEventsAreInvocationErrorsAndTheProcessKeepsServing() async throws {
        let (function, runtime) = try await startFunction()
        defer { function.stop() }

        for event in ["not json", "[1,2]", #"{"username":["jess"]}"#, ""] {
            let outcome = try await function.invoke(event)
            #expect(outcome.isError, "\(outcome)")
            if case .error(_, let type) = outcome { #expect(type == "InvalidEvent") }
            #expect((outcome.object["errorMessage"] as? String)?.hasPrefix("the event") == true, "\(outcome)")
        }
        let after = try await function.invokeFlat(user: "jess", password: Self.jessPassword)
        #expect(after.object["Role"] as? String == Self.role)
        #expect(function.process.isRunning)
        #expect(function.logObjects.filter { $0["message"] as? String == "invalid event" }.count == 4)
        await runtime.stop()
    }

    @Test func anUnreachableStoreIsAnErrorNeverAnAllow() async throws {
        let closedPort = try freeLoopbackPort()
        let (function, runtime) = try await startFunction(endpoint: "http://127.0.0.1:\(closedPort)")
        defer { function.stop() }

        let flat = try await function.invokeFlat(user: "jess", password: Self.jessPassword)
        guard case .error(_, let type) = flat else {
            Issue.record("a store failure must be an invocation error, got \(flat)")
            return
        }
        #expect(type == "StoreUnavailable")
        #expect((flat.object["errorMessage"] as? String)?.hasPrefix("the secret store could not be read") == true)
        let proxy = try await function.invoke(#"{"httpMethod":"GET","pathParameters":{"serverId":"\#(Self.serverID)","username":"jess"},"headers":{"Password":"\#(Self.jessPassword)"},"queryStringParameters":{"protocol":"SFTP"}}"#)
        #expect(proxy.object["statusCode"] as? Int == 500)
        #expect(proxy.object["body"] as? String == #"{"error":{"message":"the secret store could not be read"}}"#)
        #expect(function.logObjects.map { $0["level"] as? String } == ["error", "error"])
        #expect(function.process.isRunning)
        await runtime.stop()
    }

    @Test func aThousandInvocationsInOneProcessKeepMemoryFlat() async throws {
        let (function, runtime) = try await startFunction()
        defer { function.stop() }

        func round(_ index: Int) async throws {
            switch index % 4 {
            case 0: #expect(try await function.invokeFlat(user: "jess", password: nil).object["PublicKeys"] != nil)
            case 1: #expect(try await function.invokeFlat(user: "jess", password: Self.jessPassword).object["Role"] != nil)
            case 2: #expect(try await function.invokeFlat(user: "nobody\(index % 50)", password: nil) == .response("{}"))
            default: #expect(try await function.invoke("{broken \(index)").isError)
            }
        }
        for index in 0..<200 {
            try await round(index)
        }
        let warm = try #require(function.residentKiB)
        for index in 200..<1000 {
            try await round(index)
        }
        let end = try #require(function.residentKiB)
        // A leak check, not a timing one: 800 more invocations may not add more than 32 MiB.
        #expect(end - warm < 32 * 1024, "VmRSS grew from \(warm) KiB after warm-up to \(end) KiB after 1,000 invocations")
        #expect(function.logLines.count == 1000)
        #expect(function.process.isRunning)
        await runtime.stop()
    }

    @Test("wrong configuration is reported through init/error and the process exits non-zero", arguments: [
        (["AWS_REGION": ""], "You must specify a region"),
        (["SFTPIDP_NAMING_SCHEME": "SFTP/{username}/home"], "SFTPIDP_NAMING_SCHEME naming scheme"),
        (["SFTPIDP_CACHE_TTL": "forever"], "SFTPIDP_CACHE_TTL must be a number of seconds"),
        (["SFTPIDP_STORE": "/var/task/users.db"], "SFTPIDP_STORE must be aws or aws:REGION"),
    ])
    func wrongConfiguration(extra: [String: String], message: String) async throws {
        let (function, runtime) = try await startFunction(extra: extra)
        defer { function.stop() }
        let initError = await runtime.waitForInitError()
        #expect(initError?.errorType == "Runtime.ConfigurationError")
        let body = (try? JSONSerialization.jsonObject(with: Data((initError?.body ?? "").utf8))) as? [String: String] ?? [:]
        #expect(body["errorType"] == "Runtime.ConfigurationError")
        #expect(body["errorMessage"]?.hasPrefix(message) == true, "\(body)")
        let status = await function.waitForExit()
        #expect(status != nil && status != 0)
        await runtime.stop()
    }
}

import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import IdentityModel
import IdentityProvider
@testable import IdPServer
import Logging
import SecretStore
import SecretStoreTesting
import Synchronization
import Testing

/// The routes of `sftpidp serve`, driven through HummingbirdTesting's router framework.
@Suite("IdP HTTP routes")
struct RouterTests {
    static let serverID = "s-0123456789abcdef0"
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
    static let token = "test-token-0123456789abcdef"
    static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILSM73oWUphH3J7JAeB1L5Eg5ZqEC0/idXBSJ2V5c//v key1@test"
    static let cheap: Argon2Parameters? = try? Argon2Parameters(memoryKiB: 1024, iterations: 1, parallelism: 1)

    /// A router over a store holding `jess` (password `correct horse`), `jess@example.com` (password `pässwörd`)
    /// and `kim` (key only).
    struct Setup {
        let store: InMemorySecretStore
        let metrics: DecisionMetrics
        let app: Application<RouterResponder<BasicRequestContext>>
        /// The JSON log lines written so far.
        let log: LogLines
    }

    static func setup(authentication: CallerAuthentication = .bearerToken(token), maxBodySize: Int = 64 * 1024) async throws -> Setup {
        let store = InMemorySecretStore()
        let parameters = try #require(cheap)
        let users: [String: [String: JSONValue]] = [
            "SFTP/jess": ["Role": .string(role), "PasswordHash": .string(try PasswordHasher.hash("correct horse", parameters: parameters)), "HomeDirectory": .string("/bucket/jess")],
            "SFTP/jess@example.com": ["Role": .string(role), "PasswordHash": .string(try PasswordHasher.hash("pässwörd", parameters: parameters))],
            "SFTP/kim": ["Role": .string(role), "PublicKey": .string(key)],
        ]
        for (name, members) in users {
            _ = try await store.createSecret(name: name, value: JSONValue.object(members).jsonText, context: WriteContext(action: "test.create", actor: "test"))
        }
        let handler = IdentityProviderHandler(configuration: .init(store: store, throttle: .disabled))
        let metrics = DecisionMetrics()
        let configuration = IdPServerConfiguration(authentication: authentication, maxBodySize: maxBodySize)
        let router = IdPRouter.build(handler: handler, metrics: metrics, configuration: configuration)
        let log = LogLines()
        let logger = Logger(label: "test") { label in JSONLineLogHandler(label: label, write: log.append) }
        return Setup(store: store, metrics: metrics, app: Application(router: router, logger: logger), log: log)
    }

    static var authorized: HTTPFields { [.authorization: "Bearer \(token)"] }

    static func headers(_ extra: [String: String]) -> HTTPFields {
        var fields = authorized
        for (name, value) in extra {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        return fields
    }

    /// The body as JSON; `null` when it is not JSON (which no expected value is).
    static func json(_ buffer: ByteBuffer) -> JSONValue {
        (try? JSONValue(parsing: String(buffer: buffer))) ?? .null
    }

    @Test("Password header: 200 with the answer; wrong password and unknown user: 200 {}")
    func passwordHeader() async throws {
        let setup = try await Self.setup()
        try await setup.app.test(.router) { client in
            try await client.execute(uri: "/servers/\(Self.serverID)/users/jess/config?protocol=SFTP&sourceIp=192.0.2.1", method: .get, headers: Self.headers(["Password": "correct horse"])) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(Self.json(response.body) == .object(["Role": .string(Self.role), "HomeDirectoryType": .string("PATH"), "HomeDirectory": .string("/bucket/jess")]))
            }
            try await client.execute(uri: "/servers/\(Self.serverID)/users/jess/config?protocol=SFTP&sourceIp=192.0.2.1", method: .get, headers: Self.headers(["Password": "wrong"])) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{}")
            }
            try await client.execute(uri: "/servers/\(Self.serverID)/users/nobody/config?protocol=SFTP&sourceIp=192.0.2.1", method: .get, headers: Self.headers(["Password": "wrong"])) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{}")
            }
        }
    }

    @Test("PasswordBase64 carries non-ASCII passwords; URL-encoded user names are decoded")
    func base64AndEncodedNames() async throws {
        let setup = try await Self.setup()
        let encoded = Data("pässwörd".utf8).base64EncodedString()
        try await setup.app.test(.router) { client in
            try await client.execute(uri: "/servers/\(Self.serverID)/users/jess%40example.com/config?protocol=SFTP&sourceIp=192.0.2.1", method: .get, headers: Self.headers(["PasswordBase64": encoded])) { response in
                #expect(response.status == .ok)
                #expect(Self.json(response.body).objectValue?["Role"] == .string(Self.role))
            }
            // PasswordBase64 wins over Password.
            try await client.execute(uri: "/servers/\(Self.serverID)/users/jess%40example.com/config?protocol=SFTP", method: .get, headers: Self.headers(["PasswordBase64": encoded, "Password": "other"])) { response in
                #expect(Self.json(response.body).objectValue?["Role"] == .string(Self.role))
            }
        }
    }

    @Test("a bad login request is a denial, 200 {}, with the reason in the log", arguments: [
        ("/servers/\(serverID)/users/jess/config?protocol=SFTP", ["PasswordBase64": "not base64!!"], "the PasswordBase64 header is not valid base64"),
        ("/servers/\(serverID)/users/jess/config?protocol=SFTP", ["PasswordBase64": Data([0xff, 0xfe, 0xfd]).base64EncodedString()], "the PasswordBase64 header does not decode to UTF-8 text"),
        ("/servers/\(serverID)/users/j%ZZess/config?protocol=SFTP", ["Password": "correct horse"], "the username in the path is not valid URL encoding of UTF-8 text"),
        ("/servers/\(serverID)/users/\(String(repeating: "a", count: 101))/config?protocol=SFTP", ["Password": "correct horse"], "the username is longer than 100 characters"),
        ("/servers/\(serverID)/users/jess/config?protocol=SFTP&sourceIp=10.0.0.1%2500x", ["Password": "correct horse"], #"sourceIp "10.0.0.1%00x" is not an IPv4 or IPv6 address (no zone ids, no other characters)"#),
        ("/servers/\(serverID)/users/jess/config?protocol=SFTP&sourceIp=10.0.0.1%00x", ["Password": "correct horse"], #"sourceIp "10.0.0.1\0x" is not an IPv4 or IPv6 address (no zone ids, no other characters)"#),
    ])
    func badLoginRequest(uri: String, headers: [String: String], reason: String) async throws {
        let setup = try await Self.setup()
        try await setup.app.test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: Self.headers(headers)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{}")
            }
        }
        let decision = try #require(setup.log.objects.first { $0["message"] == .string("login decision") })
        #expect(decision["result"] == .string("denied"))
        #expect(decision["reason"] == .string(reason))
        #expect(setup.metrics.exposition().contains(#"sftpidp_login_decisions_total{result="denied",reason="invalid_request"} 1"#))
    }

    @Test("a user name cannot forge a log field or a log line")
    func logForgery() async throws {
        let setup = try await Self.setup()
        let forged = "mallory result=allowed\nreason=ok\" user=\"jess"
        let encoded = forged.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        try await setup.app.test(.router) { client in
            try await client.execute(uri: "/servers/\(Self.serverID)/users/\(encoded)/config?protocol=SFTP", method: .get, headers: Self.headers(["Password": "x"])) { response in
                #expect(String(buffer: response.body) == "{}")
            }
        }
        let lines = setup.log.lines.filter { $0.contains("login decision") }
        #expect(lines.count == 1)
        #expect(lines.allSatisfy { $0.filter { $0 == "\n" }.count == 1 && $0.hasSuffix("\n") })
        let decision = try #require(setup.log.objects.first { $0["message"] == .string("login decision") })
        #expect(decision["user"] == .string(#"mallory result=allowed\nreason=ok" user="jess"#))
        #expect(decision["result"] == .string("denied"))
    }

    @Test("key authentication returns the keys")
    func keyAuthentication() async throws {
        let setup = try await Self.setup()
        try await setup.app.test(.router) { client in
            try await client.execute(uri: "/servers/\(Self.serverID)/users/kim/config?protocol=SFTP&sourceIp=192.0.2.1", method: .get, headers: Self.authorized) { response in
                #expect(Self.json(response.body) == .object(["Role": .string(Self.role), "PublicKeys": .array([.string(Self.key)])]))
            }
        }
    }

    @Test("POST / takes the function-style event")
    func eventPost() async throws {
        let setup = try await Self.setup()
        let event = #"{"username": "jess", "password": "correct horse", "protocol": "SFTP", "serverId": "s-0123456789abcdef0", "sourceIp": "192.0.2.1"}"#
        try await setup.app.test(.router) { client in
            try await client.execute(uri: "/", method: .post, headers: Self.authorized, body: ByteBuffer(string: event)) { response in
                #expect(response.status == .ok)
                #expect(Self.json(response.body).objectValue?["Role"] == .string(Self.role))
            }
            try await client.execute(uri: "/", method: .post, headers: Self.authorized, body: ByteBuffer(string: #"{"username": "jess"}"#)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{}")
            }
            for (body, message) in [("{not json", "the event is not valid JSON"), ("[1]", "the event must be a JSON object with username, password, protocol, serverId and sourceIp, not a array"), (#"{"username": 7}"#, "the event field username must be a string, not a number")] {
                try await client.execute(uri: "/", method: .post, headers: Self.authorized, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest)
                    #expect(Self.json(response.body) == .object(["error": .object(["message": .string(message)])]))
                }
            }
        }
    }

    @Test("a body over the limit is a 413 with a JSON error")
    func oversizedBody() async throws {
        let setup = try await Self.setup(maxBodySize: 1024)
        try await setup.app.test(.router) { client in
            try await client.execute(uri: "/", method: .post, headers: Self.authorized, body: ByteBuffer(string: String(repeating: "x", count: 4096))) { response in
                #expect(response.status == .contentTooLarge)
                #expect(Self.json(response.body) == .object(["error": .object(["message": .string("the request body is too large")])]))
            }
        }
    }

    @Test("without the right bearer token: 401; /healthz stays open")
    func authentication() async throws {
        let setup = try await Self.setup()
        try await setup.app.test(.router) { client in
            try await client.execute(uri: "/servers/\(Self.serverID)/users/jess/config?protocol=SFTP", method: .get, headers: [HTTPField.Name("Password")!: "correct horse"]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
            for wrong in ["Bearer wrong", "Bearer \(Self.token)x", "Basic \(Self.token)", "Bearer "] {
                try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: wrong]) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
        }
    }

    @Test("with --insecure-no-auth no token is needed")
    func noAuthentication() async throws {
        let setup = try await Self.setup(authentication: .none)
        try await setup.app.test(.router) { client in
            try await client.execute(uri: "/servers/\(Self.serverID)/users/jess/config?protocol=SFTP", method: .get, headers: [HTTPField.Name("Password")!: "correct horse"]) { response in
                #expect(Self.json(response.body).objectValue?["Role"] == .string(Self.role))
            }
        }
    }

    @Test("unknown routes are a 404 with a JSON error")
    func notFound() async throws {
        let setup = try await Self.setup()
        try await setup.app.test(.router) { client in
            try await client.execute(uri: "/servers/x/users", method: .get, headers: Self.authorized) { response in
                #expect(response.status == .notFound)
                #expect(Self.json(response.body) == .object(["error": .object(["message": .string("no route for GET /servers/x/users")])]))
            }
        }
    }

    @Test("an unreachable store is a 500, and counted as an error")
    func storeFailure() async throws {
        let setup = try await Self.setup()
        await setup.store.failNextCalls(1, with: SecretStoreError(.unavailable, message: "connection refused"))
        try await setup.app.test(.router) { client in
            try await client.execute(uri: "/servers/\(Self.serverID)/users/jess/config?protocol=SFTP", method: .get, headers: Self.headers(["Password": "correct horse"])) { response in
                #expect(response.status == .internalServerError)
                #expect(String(buffer: response.body) == #"{"error":{"message":"the secret store could not be read"}}"#)
            }
        }
        let logged = try #require(setup.log.objects.first { $0["message"] == .string("login decision") })
        #expect(logged["result"] == .string("error"))
        #expect(logged["reason"] == .string("connection refused"))
        #expect(setup.metrics.exposition().contains(#"sftpidp_login_decisions_total{result="error",reason="store_unavailable"} 1"#))
    }

    @Test("/metrics counts decisions by result and reason and has the latency histogram")
    func metrics() async throws {
        let setup = try await Self.setup()
        try await setup.app.test(.router) { client in
            for password in ["correct horse", "wrong", "wrong"] {
                try await client.execute(uri: "/servers/\(Self.serverID)/users/jess/config?protocol=SFTP", method: .get, headers: Self.headers(["Password": password]))
            }
            try await client.execute(uri: "/metrics", method: .get, headers: Self.authorized) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains(#"sftpidp_login_decisions_total{result="allowed",reason="none"} 1"#))
                #expect(text.contains(#"sftpidp_login_decisions_total{result="denied",reason="wrong_password"} 2"#))
                #expect(text.contains(#"sftpidp_login_decisions_total{result="denied",reason="throttled"} 0"#))
                #expect(text.contains("sftpidp_login_decision_duration_seconds_count 3"))
                for series in ["sftpidp_throttle_tracked_entries 0", "sftpidp_throttle_tracked_bytes 0", "sftpidp_throttle_locked_addresses 0", "sftpidp_throttle_slowed_users 0", "sftpidp_throttle_refusals_total 0", "sftpidp_throttle_delays_total 0", "sftpidp_throttle_evictions_total 0", "sftpidp_password_hashing_queued 0", "sftpidp_password_hashing_running 0", "sftpidp_password_hashing_rejections_total 0"] {
                    #expect(text.contains(series), "\(series)")
                }
            }
        }
    }
}

@Suite("Benchmark baseline route")
struct BaselineRouteTests {
    @Test("GET /benchmark/baseline exists only when configured")
    func baselineRoute() async throws {
        for enabled in [false, true] {
            let handler = IdentityProviderHandler(configuration: .init(store: InMemorySecretStore(), throttle: .disabled))
            let configuration = IdPServerConfiguration(authentication: .none, benchmarkBaselineRoute: enabled)
            let app = Application(router: IdPRouter.build(handler: handler, metrics: DecisionMetrics(), configuration: configuration))
            try await app.test(.router) { client in
                try await client.execute(uri: "/benchmark/baseline", method: .get) { response in
                    #expect(response.status == (enabled ? .ok : .notFound))
                }
            }
        }
    }
}

/// Log lines collected from a ``JSONLineLogHandler``.
final class LogLines: Sendable {
    private let collected = Mutex<[String]>([])

    var lines: [String] { collected.withLock { $0 } }

    /// Every line parsed as a JSON object (a line that is not one fails the test).
    var objects: [[String: JSONValue]] {
        lines.map { line in
            guard let object = (try? JSONValue(parsing: line))?.objectValue else {
                Issue.record("a log line is not a JSON object: \(line)")
                return [:]
            }
            return object
        }
    }

    @Sendable func append(_ line: String) { collected.withLock { $0.append(line) } }
}

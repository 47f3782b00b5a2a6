import Foundation
import IdPLambda
import IdentityModel
import IdentityProvider
import Logging
import SecretStore
import SecretStoreTesting
import Synchronization
import Testing

/// Collects the lines a ``JSONLogHandler`` writes.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    var all: [String] { lines.withLock { $0 } }

    /// Every line parsed as a JSON object.
    var objects: [[String: Any]] {
        all.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }
}

@Suite("The identity provider as a Lambda function (in-memory store)")
struct FunctionTests {
    static let serverID = "s-0123456789abcdef0"
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
    static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILSM73oWUphH3J7JAeB1L5Eg5ZqEC0/idXBSJ2V5c//v key1@test"

    let store = InMemorySecretStore()
    let log = LogLines()
    let function: IdentityProviderFunction

    init() async throws {
        let context = WriteContext(action: "test", actor: "tests")
        let secret = JSONValue.object(["Password": .string("Legacy-Pa55"), "Role": .string(Self.role), "HomeDirectory": .string("/bucket/jess"), "PublicKey": .string(Self.key)])
        _ = try await store.createSecret(name: "SFTP/jess", value: secret.jsonText, context: context)
        let handler = IdentityProviderHandler(configuration: .init(store: store, cacheTimeToLive: .seconds(30)))
        let log = self.log
        let logger = Logger(label: "test") { label in JSONLogHandler(label: label, write: { log.append($0) }) }
        function = IdentityProviderFunction(handler: handler, logger: logger)
    }

    func invoke(_ json: String) async -> LambdaInvocationResult {
        await function.handle(LambdaInvocation(requestID: "req-1", body: Data(json.utf8)))
    }

    static func flat(user: String = "jess", password: String?) -> String {
        var event: [String: JSONValue] = ["username": .string(user), "protocol": .string("SFTP"), "serverId": .string(serverID), "sourceIp": .string("203.0.113.9")]
        event["password"] = password.map(JSONValue.string)
        return JSONValue.object(event).jsonText
    }

    static func object(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    @Test func aFlatPasswordLoginIsAnsweredWithTheAnswerObjectItself() async throws {
        guard case .response(let body) = await invoke(Self.flat(password: "Legacy-Pa55")) else {
            Issue.record("expected a response")
            return
        }
        let answer = Self.object(body)
        #expect(answer["Role"] as? String == Self.role)
        #expect(answer["HomeDirectory"] as? String == "/bucket/jess")
        #expect(answer["PublicKeys"] == nil)
    }

    @Test func aFlatKeyLoginGetsThePublicKeysAndADenialIsAnEmptyObject() async throws {
        guard case .response(let body) = await invoke(Self.flat(password: nil)) else {
            Issue.record("expected a response")
            return
        }
        #expect(Self.object(body)["PublicKeys"] as? [String] == [Self.key])
        #expect(await invoke(Self.flat(password: "wrong")) == .response("{}"))
        #expect(await invoke(Self.flat(user: "nobody", password: "x")) == .response("{}"))
    }

    @Test func withSFTPIDPServerIDOnlyThatServersLoginsAreLookedUp() async throws {
        let restricted = IdentityProviderFunction(handler: function.handler, logger: function.logger, serverID: "s-00000000000000001")
        let other = await restricted.handle(LambdaInvocation(requestID: "req-2", body: Data(Self.flat(password: nil).utf8)))
        #expect(other == .response("{}"))
        let ownEvent = Self.flat(password: nil).replacingOccurrences(of: Self.serverID, with: "s-00000000000000001")
        guard case .response(let body) = await restricted.handle(LambdaInvocation(requestID: "req-3", body: Data(ownEvent.utf8))) else {
            Issue.record("expected a response")
            return
        }
        #expect(Self.object(body)["PublicKeys"] as? [String] == [Self.key])
        #expect(log.objects.contains { $0["category"] as? String == "server_not_allowed" })
    }

    @Test func aProxyRequestIsAnsweredWithStatus200AndTheAnswerAsAString() async throws {
        let encoded = Data("Legacy-Pa55".utf8).base64EncodedString()
        let event = EventTests.proxy(path: #"{"serverId":"\#(Self.serverID)","username":"jess"}"#, headers: #"{"passwordbase64":"\#(encoded)"}"#)
        guard case .response(let text) = await invoke(event) else {
            Issue.record("expected a response")
            return
        }
        let answer = Self.object(text)
        #expect(answer["statusCode"] as? Int == 200)
        #expect(Self.object(answer["body"] as? String ?? "")["Role"] as? String == Self.role)

        guard case .response(let denied) = await invoke(EventTests.proxy(headers: #"{"Password":"wrong"}"#)) else {
            Issue.record("expected a response")
            return
        }
        #expect(Self.object(denied)["statusCode"] as? Int == 200)
        #expect(Self.object(denied)["body"] as? String == "{}")
    }

    @Test func aStoreFailureIsNeverAnAllow() async throws {
        await store.failNextCalls(1, with: SecretStoreError(.unavailable, message: "connection refused"))
        let flat = await invoke(Self.flat(password: "Legacy-Pa55"))
        #expect(flat == .error(LambdaFunctionError(type: "StoreUnavailable", message: "the secret store could not be read: connection refused")))

        await store.failNextCalls(1, with: SecretStoreError(.unavailable, message: "connection refused"))
        guard case .response(let text) = await invoke(EventTests.proxy(path: #"{"serverId":"\#(Self.serverID)","username":"jess"}"#, headers: #"{"Password":"Legacy-Pa55"}"#)) else {
            Issue.record("expected a response")
            return
        }
        #expect(Self.object(text)["statusCode"] as? Int == 500)
        #expect(Self.object(text)["body"] as? String == LoginStoreFailure.responseBody)
        #expect(log.objects.map { $0["result"] as? String } == ["error", "error"])
    }

    @Test func aMalformedEventIsAnInvocationErrorAndABadProxyRequestADenial() async throws {
        #expect(await invoke("{nope") == .error(LambdaFunctionError(type: "InvalidEvent", message: "the event is not valid JSON")))
        guard case .response(let text) = await invoke(EventTests.proxy(headers: #"{"PasswordBase64":"%%%"}"#)) else {
            Issue.record("expected a response")
            return
        }
        #expect(Self.object(text)["statusCode"] as? Int == 200)
        #expect(Self.object(text)["body"] as? String == "{}")
        #expect(log.objects.contains { $0["reason"] as? String == "the PasswordBase64 header is not valid base64" })
    }

    @Test func oneJSONLogLinePerDecisionWithoutThePasswordAndWithoutForgedFields() async throws {
        _ = await invoke(Self.flat(password: "Legacy-Pa55"))
        let forger = "eve\",\"result\":\"allowed\n{\"level\":\"info"
        _ = await invoke(Self.flat(user: forger, password: "Secret-Typed-By-Eve"))
        let lines = log.all
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().firstIndex(of: "\n") == nil })
        #expect(!lines.joined().contains("Legacy-Pa55"))
        #expect(!lines.joined().contains("Secret-Typed-By-Eve"))
        let objects = log.objects
        #expect(objects.count == 2)
        #expect(objects[0]["result"] as? String == "allowed")
        #expect(objects[0]["requestId"] as? String == "req-1")
        #expect(objects[0]["event"] as? String == "transfer")
        #expect(objects[0]["message"] as? String == "login decision")
        #expect(objects[0]["user"] as? String == "jess")
        #expect(objects[1]["result"] as? String == "denied")
        #expect((objects[1]["user"] as? String)?.hasPrefix("eve\",\"result\"") == true)
    }

    @Test func secretsAreCachedAcrossWarmInvocations() async throws {
        let before = await store.callCount
        for _ in 0..<5 {
            _ = await invoke(Self.flat(password: nil))
        }
        #expect(await store.callCount - before == 1)
    }
}

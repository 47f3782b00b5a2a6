import PeerTesting
import Foundation
import SecretStore
import Testing
@testable import AWSCore
@testable import AWSSecretsManager

/// Retries, timeouts, error parsing and fallbacks, against a scripted local HTTP server.
@Suite struct RetryAndErrorTests {
    static let listAnswer = ScriptedHTTPServer.Answer(status: 200, headers: ["Content-Type": "text/html; charset=utf-8"],
                                                      body: #"{"SecretList":[{"Name":"SFTP/jess","LastChangedDate":1700000000.5}]}"#)
    static let html500 = ScriptedHTTPServer.Answer(status: 500, headers: ["Content-Type": "text/html"], body: "<html><body>Internal Server Error</body></html>")
    static let throttled = ScriptedHTTPServer.Answer(status: 400, headers: ["Content-Type": "application/x-amz-json-1.1"],
                                                     body: #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)

    func store(_ server: ScriptedHTTPServer, timeout: Duration = .seconds(10), attempts: Int = 4) throws -> AWSSecretsManagerStore {
        let configuration = try AWSConfiguration.resolve(
            profile: nil, region: "us-east-1", endpointURL: server.endpoint,
            environment: ["AWS_ACCESS_KEY_ID": "AKIATEST", "AWS_SECRET_ACCESS_KEY": "test-secret", "HOME": "/nonexistent"])
        return AWSSecretsManagerStore(configuration: configuration, options: AWSClientOptions(
            timeout: timeout, maxAttempts: attempts, baseRetryDelay: .milliseconds(5), maxRetryDelay: .milliseconds(50)))
    }

    @Test func serverErrorsAreRetriedThenSucceed() async throws {
        let server = try await ScriptedHTTPServer(answers: [Self.html500, Self.html500, Self.listAnswer])
        defer { server.stop() }
        let store = try store(server)
        let page = try await store.listSecrets(prefix: "SFTP/", pageSize: 100, nextToken: nil, includeDeleted: false)
        #expect(page.secrets.map(\.name) == ["SFTP/jess"])
        #expect(page.secrets.first?.lastChangedAt == Date(timeIntervalSince1970: 1_700_000_000.5))
        #expect(store.callCounts == ["ListSecrets": 3])
        #expect(store.retryCounts == ["ListSecrets": 2])
        let received = server.received
        #expect(received.count == 3)
        #expect(received.allSatisfy { $0.target == "secretsmanager.ListSecrets" })
        #expect(received.allSatisfy { $0.authorization?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIATEST/") == true })
    }

    @Test func throttlingGivesUpAfterTheBound() async throws {
        let server = try await ScriptedHTTPServer(answers: [Self.throttled])
        defer { server.stop() }
        let store = try store(server, attempts: 4)
        let error = await #expect(throws: SecretStoreError.self) {
            try await store.getSecret(name: "SFTP/jess", version: .current)
        }
        #expect(error?.kind == .unavailable)
        #expect(error?.message.contains("Rate exceeded") == true)
        #expect(error?.message.contains("gave up after 4 attempts") == true)
        #expect(server.received.count == 4)
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let notFound = ScriptedHTTPServer.Answer(
            status: 400, headers: ["X-Amzn-ErrorType": "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.secretsmanager/"],
            body: #"{"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}"#)
        let server = try await ScriptedHTTPServer(answers: [notFound])
        defer { server.stop() }
        let store = try store(server)
        let error = await #expect(throws: SecretStoreError.self) {
            try await store.getSecret(name: "SFTP/jess", version: .current)
        }
        #expect(error?.kind == .notFound)
        #expect(error?.message == "Secrets Manager GetSecretValue for SFTP/jess failed: ResourceNotFoundException: Secrets Manager can't find the specified secret.")
        #expect(server.received.count == 1)
    }

    @Test func retriedPutReusesItsClientRequestToken() async throws {
        let describe = ScriptedHTTPServer.Answer(status: 200, body: #"{"Name":"SFTP/jess","VersionIdsToStages":{"v1":["AWSCURRENT"]}}"#)
        let unavailable = ScriptedHTTPServer.Answer(status: 503, body: #"{"__type":"ServiceUnavailable","message":"try later"}"#)
        let put = ScriptedHTTPServer.Answer(status: 200, body: #"{"Name":"SFTP/jess","VersionId":"v2","VersionStages":["AWSCURRENT"]}"#)
        let described = ScriptedHTTPServer.Answer(status: 200, body: #"{"Name":"SFTP/jess","VersionIdsToStages":{"v2":["AWSCURRENT"],"v1":["AWSPREVIOUS"]}}"#)
        let server = try await ScriptedHTTPServer(answers: [describe, unavailable, put, described])
        defer { server.stop() }
        let store = try store(server)
        let version = try await store.putSecret(name: "SFTP/jess", value: "{}", replacing: "v1", context: testContext)
        #expect(version.versionID == "v2")
        let puts = server.received.filter { $0.target == "secretsmanager.PutSecretValue" }
        #expect(puts.count == 2)
        #expect(puts.first?.token != nil)
        #expect(puts.first?.token == puts.last?.token)
        #expect(store.callCounts == ["DescribeSecret": 2, "PutSecretValue": 2])
    }

    @Test func everyAttemptHasATimeout() async throws {
        let slow = ScriptedHTTPServer.Answer(status: 200, body: "{}", delay: 3)
        let server = try await ScriptedHTTPServer(answers: [slow])
        defer { server.stop() }
        let store = try store(server, timeout: .milliseconds(300), attempts: 2)
        let error = await #expect(throws: SecretStoreError.self) {
            try await store.restoreSecret(name: "SFTP/jess", context: testContext)
        }
        #expect(error?.kind == .unavailable)
        #expect(error?.message.contains("timed out") == true)
        #expect(error?.message.contains("gave up after 2 attempts") == true)
        #expect(store.callCounts == ["RestoreSecret": 2])
    }

    @Test func batchFallsBackToSingleReadsWhenUnsupported() async throws {
        let unknown = ScriptedHTTPServer.Answer(status: 400, body: #"{"__type":"UnknownOperationException","message":"no such operation"}"#)
        let value = ScriptedHTTPServer.Answer(status: 200, body: #"{"Name":"SFTP/a","VersionId":"v1","SecretString":"{}","VersionStages":["AWSCURRENT"],"CreatedDate":1700000000}"#)
        let server = try await ScriptedHTTPServer(answers: [unknown, value])
        defer { server.stop() }
        let store = try store(server)
        let values = try await store.getSecrets(names: ["SFTP/a", "SFTP/b"])
        #expect(values.count == 2)
        #expect((try? values["SFTP/a"]?.get().string) == "{}")
        let again = try await store.getSecrets(names: ["SFTP/c"])
        #expect(again.count == 1)
        #expect(store.callCounts == ["BatchGetSecretValue": 1, "GetSecretValue": 3])
    }

    @Test func unreachableEndpointIsUnavailable() async throws {
        let port = try freeLoopbackPort()
        let configuration = try AWSConfiguration.resolve(
            profile: nil, region: "us-east-1", endpointURL: "http://127.0.0.1:\(port)",
            environment: ["AWS_ACCESS_KEY_ID": "AKIATEST", "AWS_SECRET_ACCESS_KEY": "test-secret", "HOME": "/nonexistent"])
        let store = AWSSecretsManagerStore(configuration: configuration, options: AWSClientOptions(maxAttempts: 2, baseRetryDelay: .milliseconds(5)))
        let error = await #expect(throws: SecretStoreError.self) {
            try await store.listSecrets(prefix: "", pageSize: 10, nextToken: nil, includeDeleted: false)
        }
        #expect(error?.kind == .unavailable)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        #expect(error?.message.contains("test-secret") == false)
    }

    @Test func credentialFailureIsAccessDeniedNamingTheSource() async throws {
        let home = try AWSConfigurationTests.Home(config: "[profile broken]\ncredential_process = echo leaked-secret; exit 4\n")
        let port = try freeLoopbackPort()
        let configuration = try AWSConfiguration.resolve(profile: "broken", region: "us-east-1", endpointURL: "http://127.0.0.1:\(port)",
                                                         environment: home.environment)
        let store = AWSSecretsManagerStore(configuration: configuration)
        let error = await #expect(throws: SecretStoreError.self) {
            try await store.getSecret(name: "SFTP/jess", version: .current)
        }
        #expect(error?.kind == .accessDenied)
        #expect(error?.message == "Secrets Manager GetSecretValue for SFTP/jess failed: CredentialsError: Could not get AWS credentials "
                + "from process: the credential_process of profile broken exited with status 4")
        #expect(store.callCount == 0)
    }

    @Test func errorParsing() {
        let fromBody = AWSRequestSender.parseError(operation: "X", status: 400, errorTypeHeader: nil,
                                                       body: Data(#"{"__type":"InvalidRequestException","message":"You can't perform this operation on the secret because it was marked for deletion."}"#.utf8))
        #expect(fromBody.type == "InvalidRequestException")
        #expect(fromBody.kind == .markedForDeletion)
        let html = AWSRequestSender.parseError(operation: "X", status: 500, errorTypeHeader: nil, body: Data("<html/>".utf8))
        #expect(html.type == "HTTP 500")
        #expect(html.isRetryable)
        #expect(html.kind == .unavailable)
        let denied = AWSRequestSender.parseError(operation: "X", status: 403, errorTypeHeader: nil, body: Data("<Error/>".utf8))
        #expect(denied.kind == .accessDenied)
        let xml = AWSRequestSender.parseError(operation: "X", status: 403, errorTypeHeader: nil, body: Data(
            "<?xml version=\"1.0\"?><ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>Check your &quot;key&quot; &amp; method</Message></Error></Errors></ErrorResponse>".utf8))
        #expect(xml.type == "SignatureDoesNotMatch")
        #expect(xml.message == "Check your \"key\" & method")
        #expect(xml.kind == .accessDenied)
        let signature = AWSRequestSender.parseError(operation: "X", status: 400, errorTypeHeader: "InvalidSignatureException", body: Data())
        #expect(signature.kind == .accessDenied)
        #expect(!signature.isRetryable)
        let invalid = AWSRequestSender.parseError(operation: "X", status: 400, errorTypeHeader: nil, body: Data(#"{"__type":"InvalidParameterException","message":"bad name"}"#.utf8))
        #expect(invalid.kind == .invalidRequest)
    }
}

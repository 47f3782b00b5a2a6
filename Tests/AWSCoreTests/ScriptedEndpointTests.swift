import Foundation
import PeerTesting
import Testing
@testable import AWSCore

/// STS error answers, ECS container credentials and clock-skew correction, against a scripted HTTP server.
@Suite struct ScriptedEndpointTests {
    static let containerAnswer = ScriptedHTTPServer.Answer(
        status: 200, headers: ["Content-Type": "application/json"],
        body: #"{"AccessKeyId":"ASIAECS","SecretAccessKey":"ecs-secret","Token":"ecs-token","Expiration":"2030-01-01T00:00:00Z","RoleArn":"arn:aws:iam::123456789012:role/task"}"#)

    @Test func stsErrorAnswerIsNamed() async throws {
        let server = try await ScriptedHTTPServer(answers: [.init(
            status: 400, headers: ["Content-Type": "text/xml"],
            body: #"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Couldn't retrieve verification key from your identity provider</Message></Error><RequestId>x</RequestId></ErrorResponse>"#)])
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("token", "secret-jwt-value")
        let env = directory.environment.merging(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/r",
                                                 "AWS_ENDPOINT_URL": server.endpoint]) { $1 }
        let error = await #expect(throws: AWSCredentialError.self) { try await resolveChain(env).provider.credentials() }
        #expect(error?.description == "Could not get AWS credentials from web-identity: STS AssumeRoleWithWebIdentity failed: "
                + "InvalidIdentityToken: Couldn't retrieve verification key from your identity provider")
        #expect(error?.description.contains("secret-jwt-value") == false)
        #expect(server.received.first?.authorization == nil)
        #expect(server.received.count == 1)
    }

    @Test func stsAnswerWithoutCredentialsIsMalformed() {
        #expect(throws: AWSServiceError(operation: "AssumeRole", type: "MalformedResponse", message: "the STS answer is not XML")) {
            try STSClient.parseCredentials(action: "AssumeRole", body: Data("{}".utf8))
        }
        let missing = #"<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>"#
        #expect(throws: AWSServiceError(operation: "AssumeRole", type: "MalformedResponse",
                                        message: "the STS answer lacks AccessKeyId, SecretAccessKey or SessionToken")) {
            try STSClient.parseCredentials(action: "AssumeRole", body: Data(missing.utf8))
        }
        let good = #"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s&amp;1</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2030-01-01T00:00:00.5Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"#
        let keys = try? STSClient.parseCredentials(action: "AssumeRole", body: Data(good.utf8))
        #expect(keys?.secretAccessKey == "s&1")
        #expect(keys?.expiration == Date(timeIntervalSince1970: 1_893_456_000.5))
    }

    @Test func containerCredentialsWithTokenFile() async throws {
        let server = try await ScriptedHTTPServer(answers: [Self.containerAnswer])
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("auth", "agent-token\n")
        let env = directory.environment.merging(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.endpoint + "/v1/credentials",
                                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
                                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored-when-file-set"]) { $1 }
        let provider = try resolveChain(env).provider
        #expect(provider.source == "ecs")
        let keys = try await provider.credentials()
        #expect(keys == AWSCredentials(accessKeyID: "ASIAECS", secretAccessKey: "ecs-secret", sessionToken: "ecs-token",
                                       expiration: Date(timeIntervalSince1970: 1_893_456_000)))
        _ = try await provider.credentials()
        let received = server.received
        #expect(received.count == 1)
        #expect(received.first?.method == "GET")
        #expect(received.first?.path == "/v1/credentials")
        #expect(received.first?.authorization == "agent-token")
    }

    @Test func containerCredentialsWithTokenVariable() async throws {
        let server = try await ScriptedHTTPServer(answers: [Self.containerAnswer])
        defer { server.stop() }
        let env = ["HOME": "/nonexistent", "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.endpoint + "/creds",
                   "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Basic abc"]
        _ = try await resolveChain(env).provider.credentials()
        #expect(server.received.first?.authorization == "Basic abc")
    }

    @Test func containerErrorsAreClear() async throws {
        let server = try await ScriptedHTTPServer(answers: [
            .init(status: 200, body: "not json at all"),
            .init(status: 200, body: #"{"AccessKeyId":"ASIA","Token":"t"}"#),
            .init(status: 500, body: "agent down"),
        ])
        defer { server.stop() }
        let fetcher = try #require(try ContainerCredentialFetcher(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.endpoint + "/c"]))
        await #expect(throws: AWSCredentialError(source: "ecs", message: "the answer is not a JSON credentials object")) { try await fetcher.fetch() }
        await #expect(throws: AWSCredentialError(source: "ecs", message: "the answer has no SecretAccessKey")) { try await fetcher.fetch() }
        await #expect(throws: AWSCredentialError(source: "ecs", message: "GET \(server.endpoint)/c answered HTTP 500")) { try await fetcher.fetch() }
        let missingFile = try #require(try ContainerCredentialFetcher(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.endpoint + "/c", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/nonexistent/token"]))
        await #expect(throws: AWSCredentialError(source: "ecs", message: "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE /nonexistent/token")) {
            try await missingFile.fetch()
        }
    }

    /// The service says the signature's time is off and dates its answer: the signer moves to the server's clock
    /// and the call is sent once more.
    @Test func clockSkewIsCorrectedFromTheDateHeader() async throws {
        let serverDate = "Wed, 02 Dec 2026 10:00:00 GMT"
        let skewed = ScriptedHTTPServer.Answer(
            status: 400, headers: ["Content-Type": "application/x-amz-json-1.1", "Date": serverDate],
            body: #"{"__type":"InvalidSignatureException","message":"Signature expired: 20261201T100000Z is now earlier than 20261202T095500Z"}"#)
        let server = try await ScriptedHTTPServer(answers: [skewed, .init(status: 200, body: "{}")])
        defer { server.stop() }
        let wrongClock = TestClock(Date(timeIntervalSince1970: 1_764_583_200))  // 2025-12-01T10:00:00Z, a year behind
        let clock = SigningClock(localNow: wrongClock.closure)
        let sender = AWSRequestSender(
            endpoint: URL(string: server.endpoint)!, region: "us-east-1", service: "secretsmanager",
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIATEST", secretAccessKey: "s"), source: "explicit"),
            options: AWSClientOptions(maxAttempts: 1), clock: clock)
        let request = SignableRequest(method: "POST", scheme: "http", host: "", headers: [.init("X-Amz-Target", "secretsmanager.ListSecrets")],
                                      body: Array("{}".utf8))
        _ = try await sender.send("ListSecrets", request)
        let received = server.received
        #expect(received.map(\.amzDate) == ["20251201T100000Z", "20261202T100000Z"])
        #expect(received.last?.authorization?.contains("Credential=AKIATEST/20261202/us-east-1/secretsmanager/aws4_request") == true)
        // Later requests keep the correction.
        _ = try await sender.send("ListSecrets", request)
        #expect(server.received.last?.amzDate == "20261202T100000Z")
    }

    /// A signature error while the clocks agree is a real error: not retried.
    @Test func signatureErrorWithoutSkewIsNotRetried() async throws {
        let now = Date(timeIntervalSince1970: 1_764_583_200)
        let mismatch = ScriptedHTTPServer.Answer(
            status: 403, headers: ["Date": "Mon, 01 Dec 2025 10:01:00 GMT"],
            body: #"<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error></ErrorResponse>"#)
        let server = try await ScriptedHTTPServer(answers: [mismatch, .init(status: 200, body: "{}")])
        defer { server.stop() }
        let sender = AWSRequestSender(
            endpoint: URL(string: server.endpoint)!, region: "us-east-1", service: "sts",
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIATEST", secretAccessKey: "s"), source: "explicit"),
            clock: SigningClock(localNow: { now }))
        await #expect(throws: AWSServiceError.self) {
            try await sender.send("AssumeRole", SignableRequest(method: "POST", scheme: "http", host: ""))
        }
        #expect(server.received.count == 1)
        #expect(sender.clock.correction == 0)
    }
}

/// IMDSv2 against moto's instance metadata, and a machine without instance metadata.
@Suite(.motoServer) struct InstanceMetadataMotoTests {
    @Test func credentialsOfTheInstanceRole() async throws {
        let moto = try #require(MotoServer.current)
        let env = ["HOME": "/nonexistent", "AWS_EC2_METADATA_SERVICE_ENDPOINT": moto.endpoint + "/"]
        let resolved = try resolveChain(env)
        #expect(resolved.provider.description == "imds \(moto.endpoint)")
        let keys = try await resolved.provider.credentials()
        #expect(keys.accessKeyID == "test-key")
        #expect(keys.sessionToken == "test-session-token")
        #expect(try #require(keys.expiration) > Date())
    }

    @Test func tokenFirstThenRoleThenCredentials() async throws {
        let server = try await ScriptedHTTPServer(answers: [
            .init(status: 200, body: "imds-session-token"),
            .init(status: 200, body: "web-role\n"),
            .init(status: 200, body: #"{"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-secret","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#),
        ])
        defer { server.stop() }
        let fetcher = try InstanceMetadataFetcher(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.endpoint])
        #expect(try await fetcher.fetch().accessKeyID == "ASIAIMDS")
        #expect(server.received.map { "\($0.method) \($0.path)" } == [
            "PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/web-role",
        ])
    }

    @Test func noInstanceMetadataFallsThroughWithAClearError() async throws {
        let port = try freeLoopbackPort()
        let fetcher = try InstanceMetadataFetcher(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)"])
        let error = await #expect(throws: AWSCredentialError.self) { try await fetcher.fetch() }
        #expect(error?.source == "imds")
        #expect(error?.message.contains("127.0.0.1:\(port)/latest/api/token") == true)
        // As the chain's last resort, the message says that nothing else was configured.
        let lastResort = try resolveChain(["HOME": "/nonexistent", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)"]).provider
        let unlocated = await #expect(throws: AWSCredentialError.self) { try await lastResort.credentials() }
        #expect(unlocated?.message.hasPrefix("Unable to locate credentials: none are configured (environment, web identity, profile, "
                                            + "container) and instance metadata failed: ") == true)
        #expect(throws: AWSConfigurationError.self) {
            try InstanceMetadataFetcher(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "169.254.169.254"])
        }
    }
}

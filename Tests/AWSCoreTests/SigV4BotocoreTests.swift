import PeerTesting
import Foundation
import Testing
@testable import AWSCore

/// Differential tests: our signer and botocore's `SigV4Auth` (clock fixed) must produce the same Authorization header.
@Suite struct SigV4BotocoreTests {
    /// Reads a JSON list of requests on stdin and prints botocore's Authorization header for each.
    static let botocoreSigner = """
        import sys, json, datetime
        from unittest import mock
        import botocore.auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        results = []
        for case in json.load(sys.stdin):
            when = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
            credentials = Credentials(case["accessKey"], case["secretKey"], case.get("token"))
            request = AWSRequest(method=case["method"], url=case["url"], data=case["body"].encode("utf-8"))
            for name, value in case["headers"]:
                request.headers[name] = value
            with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
                botocore.auth.SigV4Auth(credentials, case["service"], case["region"]).add_auth(request)
            results.append(request.headers["Authorization"])
        json.dump(results, sys.stdout)
        """

    struct Case: Encodable {
        var timestamp: String
        var accessKey: String
        var secretKey: String
        var token: String?
        var method: String
        var url: String
        var body: String
        var headers: [[String]]
        var service: String
        var region: String
    }

    /// A small deterministic generator (SplitMix64), so a failure can be reproduced.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let operations = ["ListSecrets", "GetSecretValue", "BatchGetSecretValue", "CreateSecret", "PutSecretValue",
                             "DescribeSecret", "ListSecretVersionIds", "UpdateSecretVersionStage", "DeleteSecret", "RestoreSecret"]
    static let endpoints: [(scheme: String, host: String, port: Int?)] = [
        ("https", "secretsmanager.us-east-1.amazonaws.com", nil), ("http", "127.0.0.1", 4566), ("http", "localhost", 5000),
        ("https", "secretsmanager.eu-west-2.amazonaws.com", 8443), ("https", "vpce-1a2b.secretsmanager.eu-central-1.vpce.amazonaws.com", 443),
        ("http", "127.0.0.1", 80),
    ]
    static let regions = ["us-east-1", "eu-west-2", "ap-southeast-2", "eu-central-1", "cn-north-1"]
    static let oddValues = ["  leading and trailing  ", "inner   runs\tof \t white", "plain", "café ünïcødé", "a,b, c", "\"quoted   value\""]
    static let secretTexts = ["{\"Password\":\"p@ss wörd\",\"Role\":\"arn:aws:iam::123456789012:role/x\"}", "jess ✓ 日本語 🎉",
                              "line\nbreaks\tand \\ back\\slashes", "", "{\"PublicKey\":\"ssh-ed25519 AAAAC3Nza jess@host\"}"]

    static func generate(count: Int) -> [(SignableRequest, SigV4Signer, Date)] {
        var random = SeededGenerator(state: 20_150_830)
        return (0..<count).map { index in
            let endpoint = endpoints[index % endpoints.count]
            let operation = operations.randomElement(using: &random) ?? "ListSecrets"
            let body: [String: String] = ["SecretId": "SFTP/user\(index)", "SecretString": secretTexts.randomElement(using: &random) ?? ""]
            let bodyData = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
            var headers: [SignableRequest.Header] = [
                .init("Content-Type", "application/x-amz-json-1.1"), .init("X-Amz-Target", "secretsmanager.\(operation)"),
            ]
            if index % 3 == 0 { headers.append(.init("X-Custom-Odd", oddValues.randomElement(using: &random) ?? "")) }
            if index % 5 == 0 { headers.append(.init("User-Agent", "sftpidp-test/1.0")) }
            let request = SignableRequest(method: "POST", scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
                                          headers: headers, body: Array(bodyData))
            let credentials = AWSCredentials(
                accessKeyID: "AKIA\(String(random.next(upperBound: UInt64(1) << 60), radix: 36).uppercased())",
                secretAccessKey: "secret/\(random.next(upperBound: UInt64.max))+key",
                sessionToken: index % 2 == 0 ? "FwoGZXIvYXdzE\(random.next(upperBound: UInt64.max))//token+/=" : nil)
            let signer = SigV4Signer(credentials: credentials, region: regions.randomElement(using: &random) ?? "us-east-1", service: "secretsmanager")
            let date = Date(timeIntervalSince1970: 1_400_000_000 + Double(random.next(upperBound: UInt64(400_000_000))))
            return (request, signer, date)
        }
    }

    @Test func authorizationHeadersEqualBotocores() throws {
        let generated = Self.generate(count: 300)
        let cases = generated.map { request, signer, date in
            Case(timestamp: SigV4Signer.timestamp(date), accessKey: signer.credentials.accessKeyID,
                 secretKey: signer.credentials.secretAccessKey, token: signer.credentials.sessionToken, method: request.method,
                 url: request.urlString, body: String(decoding: request.body, as: UTF8.self),
                 headers: request.headers.map { [$0.name, $0.value] }, service: signer.service, region: signer.region)
        }
        let input = String(decoding: try JSONEncoder().encode(cases), as: UTF8.self)
        let output = try ExternalProcess.python(Self.botocoreSigner, input: input)
        let expected = try JSONDecoder().decode([String].self, from: Data(output.utf8))
        try #require(expected.count == generated.count)
        var mismatches = 0
        for (index, (request, signer, date)) in generated.enumerated() {
            let ours = signer.sign(request, at: date).headerValue("Authorization")
            if ours != expected[index] {
                mismatches += 1
                Issue.record("request \(index) (\(request.urlString)): ours \(ours ?? "nil") != botocore \(expected[index])")
            }
            if mismatches > 5 { break }
        }
        #expect(mismatches == 0)
    }
}

import Foundation
import Testing
@testable import AWSCore

/// `credential_process` with real scripts written by the test.
@Suite struct ProcessCredentialTests {
    func provider(script: String) throws -> (TemporaryDirectory, any AWSCredentialProvider) {
        let directory = try TemporaryDirectory()
        let path = try directory.write("creds.sh", "#!/bin/sh\n" + script, executable: true)
        try directory.write("config", "[profile tool]\ncredential_process = \(path) --profile tool\n")
        return (directory, try resolveChain(directory.environment, profile: "tool", explicit: true).provider)
    }

    @Test func readsTheProcessAnswer() async throws {
        let (directory, provider) = try provider(script: """
            [ "$1" = "--profile" ] || exit 3
            echo "starting" >&2
            echo '{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "proc-secret", "SessionToken": "proc-token", "Expiration": "2030-01-01T00:00:00Z"}'
            """)
        _ = directory
        #expect(provider.source == "process")
        #expect(try await provider.credentials() == AWSCredentials(accessKeyID: "ASIAPROC", secretAccessKey: "proc-secret",
                                                                  sessionToken: "proc-token", expiration: Date(timeIntervalSince1970: 1_893_456_000)))
    }

    @Test func longTermKeysWithoutExpiration() async throws {
        let (directory, provider) = try provider(script: #"echo '{"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "s"}'"#)
        _ = directory
        let keys = try await provider.credentials()
        #expect(keys.sessionToken == nil)
        #expect(keys.expiration == nil)
    }

    @Test func failuresNameTheRuleNeverTheOutput() async throws {
        let cases: [(String, String)] = [
            ("echo '{\"Version\": 1, \"AccessKeyId\": \"AKIALEAK\", \"SecretAccessKey\": \"leaked-secret\"}'; exit 2",
             "the credential_process of profile tool exited with status 2"),
            ("echo 'SecretAccessKey=leaked-secret'", "the credential_process of profile tool did not print a JSON credentials object"),
            ("echo '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"leaked-secret\"}'",
             "the credential_process of profile tool printed Version 2; only 1 is supported"),
            ("echo '{\"Version\": 1, \"AccessKeyId\": \"A\"}'", "the credential_process of profile tool: the answer has no SecretAccessKey"),
            ("echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"leaked-secret\", \"Expiration\": \"tomorrow\"}'",
             "the credential_process of profile tool: Expiration is not an ISO 8601 time"),
        ]
        for (script, message) in cases {
            let (directory, provider) = try provider(script: script)
            let error = await #expect(throws: AWSCredentialError.self) { try await provider.credentials() }
            #expect(error == AWSCredentialError(source: "process", message: message))
            #expect(error?.description.contains("leaked-secret") == false)
            _ = directory
        }
    }
}

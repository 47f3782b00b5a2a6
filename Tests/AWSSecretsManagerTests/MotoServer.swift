import Foundation
import Testing
@testable import AWSSecretsManager
import SecretStore

/// A moto server on a free loopback port with SigV4 checking on: the first three calls (IAM user, policy, access key)
/// are let through unsigned, every later call must be signed with that key.
final class MotoServer: @unchecked Sendable {
    @TaskLocal static var current: MotoServer?

    let port: Int
    let accessKeyID: String
    let secretAccessKey: String
    private let process: Process

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Creates the IAM user, its inline policy and its access key, unsigned; prints the key as JSON.
    static let iamSetup = """
        import sys, json, boto3
        iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                           aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
        iam.create_user(UserName="sftpidp-test")
        iam.put_user_policy(UserName="sftpidp-test", PolicyName="secrets", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "secretsmanager:*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="sftpidp-test")["AccessKey"]
        print(json.dumps({"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}))
        """

    private init(port: Int, process: Process, accessKeyID: String, secretAccessKey: String) {
        self.port = port
        self.process = process
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    static func start() async throws -> MotoServer {
        guard let motoPath = ExternalProcess.which("moto_server") else {
            throw ExternalProcess.Failure(description: "moto_server is not installed (pip install 'moto[server]'); the AWS store tests need it")
        }
        let port = try freeLoopbackPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: motoPath)
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        var environment = ProcessInfo.processInfo.environment
        environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard await waitUntil({ isListening(port: port) }) else {
            stopServer(process)
            throw ExternalProcess.Failure(description: "moto_server did not start listening on 127.0.0.1:\(port)")
        }
        do {
            let output = try ExternalProcess.python(iamSetup, arguments: ["http://127.0.0.1:\(port)"])
            let key = try JSONDecoder().decode([String: String].self, from: Data(output.utf8))
            guard let id = key["id"], let secret = key["secret"] else {
                throw ExternalProcess.Failure(description: "moto did not return an access key")
            }
            return MotoServer(port: port, process: process, accessKeyID: id, secretAccessKey: secret)
        } catch {
            stopServer(process)
            throw error
        }
    }

    func stop() {
        stopServer(process)
    }

    /// Settings for this server with its signed-in key (or another secret key, to test refusals).
    func configuration(region: String = "us-east-1", secretAccessKey: String? = nil) throws -> AWSConfiguration {
        let environment = ["AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey ?? self.secretAccessKey, "HOME": "/nonexistent"]
        return try AWSConfiguration.resolve(profile: nil, region: region, endpointURL: endpoint, environment: environment)
    }

    /// A store on this server with short retry delays.
    func store(region: String = "us-east-1") throws -> AWSSecretsManagerStore {
        AWSSecretsManagerStore(configuration: try configuration(region: region),
                               options: AWSClientOptions(baseRetryDelay: .milliseconds(10), maxRetryDelay: .milliseconds(100)))
    }

    /// Environment for the AWS CLI against this server.
    func cliEnvironment(region: String = "us-east-1") -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_ACCESS_KEY_ID"] = accessKeyID
        environment["AWS_SECRET_ACCESS_KEY"] = secretAccessKey
        environment["AWS_DEFAULT_REGION"] = region
        environment["AWS_ENDPOINT_URL"] = endpoint
        environment["AWS_CONFIG_FILE"] = "/nonexistent"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent"
        environment["AWS_PAGER"] = ""
        return environment
    }
}

/// Runs a suite against its own moto server, stopped when the suite ends.
struct MotoServerTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try await MotoServer.start()
        defer { server.stop() }
        try await MotoServer.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == MotoServerTrait {
    /// Starts a moto server for the suite; tests read it from `MotoServer.current`.
    static var motoServer: Self { Self() }
}

/// A fresh name prefix per test, so tests sharing a server do not see each other's secrets.
func uniquePrefix(_ label: String) -> String {
    "t\(UUID().uuidString.prefix(8).lowercased())/\(label)/"
}

let testContext = WriteContext(action: "test", actor: "tests")

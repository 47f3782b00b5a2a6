import Foundation
import Testing

/// A moto server on a free loopback port with SigV4 checking on: the first three calls (IAM user, policy, access key)
/// are let through unsigned, every later call must be signed with that key.
public final class MotoServer: Sendable {
    /// The server of the suite running now (see ``MotoServerTrait``).
    @TaskLocal public static var current: MotoServer?

    public let port: Int
    public let accessKeyID: String
    public let secretAccessKey: String
    private let process: BackgroundProcess

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Creates the IAM user, its inline policy and its access key, unsigned; prints the key as JSON.
    static let iamSetup = """
        import sys, json, boto3
        iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                           aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
        iam.create_user(UserName="sftpidp-test")
        iam.put_user_policy(UserName="sftpidp-test", PolicyName="secrets", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["secretsmanager:*", "sts:AssumeRole", "iam:CreateRole", "iam:PutRolePolicy"],
                           "Resource": "*"}]}))
        key = iam.create_access_key(UserName="sftpidp-test")["AccessKey"]
        print(json.dumps({"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}))
        """

    private init(port: Int, process: BackgroundProcess, accessKeyID: String, secretAccessKey: String) {
        self.port = port
        self.process = process
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    /// Starts moto on a free port and creates the signing key; fails clearly when moto is not installed.
    /// With `checkSignatures` false moto accepts unsigned calls too (it refuses unsigned `AssumeRoleWithWebIdentity`
    /// once checking is on, unlike AWS).
    public static func start(checkSignatures: Bool = true) async throws -> MotoServer {
        guard let motoPath = ExternalProcess.which("moto_server") else {
            throw ExternalProcess.Failure(description: "moto_server is not installed (pip install 'moto[server]'); the AWS store tests need it")
        }
        let port = try freeLoopbackPort()
        var environment = ProcessInfo.processInfo.environment
        if checkSignatures {
            environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
        }
        let process = try BackgroundProcess(motoPath, ["-H", "127.0.0.1", "-p", String(port)], environment: environment)
        guard await waitUntil({ isListening(port: port) }) else {
            process.stop()
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
            process.stop()
            throw error
        }
    }

    /// Stops the server.
    public func stop() {
        process.stop()
    }

    /// Environment for the AWS CLI against this server.
    public func cliEnvironment(region: String = "us-east-1") -> [String: String] {
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
public struct MotoServerTrait: SuiteTrait, TestScoping {
    public var checkSignatures = true
    public var isRecursive: Bool { false }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try await MotoServer.start(checkSignatures: checkSignatures)
        defer { server.stop() }
        try await MotoServer.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == MotoServerTrait {
    /// Starts a moto server for the suite; tests read it from `MotoServer.current`.
    public static var motoServer: Self { Self() }

    /// A moto server that accepts unsigned calls (for STS `AssumeRoleWithWebIdentity`, which AWS takes unsigned).
    public static var motoServerWithoutSignatureChecks: Self { Self(checkSignatures: false) }
}


import Foundation
import Testing
@testable import AWSCore
@testable import AWSSecretsManager

/// Settings resolution as the AWS CLI does it, with config files in a fresh temporary directory.
@Suite struct AWSConfigurationTests {
    /// A temporary home with `.aws/config` and `.aws/credentials`, removed when the test ends.
    final class Home {
        let url: URL
        init(config: String? = nil, credentials: String? = nil) throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("aws-home-\(UUID().uuidString)")
            let aws = url.appendingPathComponent(".aws")
            try FileManager.default.createDirectory(at: aws, withIntermediateDirectories: true)
            if let config { try config.write(to: aws.appendingPathComponent("config"), atomically: true, encoding: .utf8) }
            if let credentials { try credentials.write(to: aws.appendingPathComponent("credentials"), atomically: true, encoding: .utf8) }
        }
        deinit { try? FileManager.default.removeItem(at: url) }
        /// Instance metadata is off, so that no test ever reaches for 169.254.169.254.
        var environment: [String: String] { ["HOME": url.path, "AWS_EC2_METADATA_DISABLED": "true"] }
    }

    static let credentialsFile = """
        [default]
        aws_access_key_id = AKIADEFAULT
        aws_secret_access_key = default-secret

        # a comment
        [dev]
        aws_access_key_id=AKIADEV
        aws_secret_access_key=dev-secret
        aws_session_token = dev-token
        ; another comment
        [half]
        aws_access_key_id = AKIAHALF
        """
    static let configFile = """
        [default]
        region = eu-west-1

        [profile dev]
        region = eu-central-1
        services = local-services

        [profile cfgonly]
        aws_access_key_id = AKIACFG
        aws_secret_access_key = cfg-secret
        region = us-west-2
        endpoint_url = http://127.0.0.1:4566

        [services local-services]
        secretsmanager =
          endpoint_url = http://localhost:5000
        s3 =
          endpoint_url = http://localhost:9000
        """

    @Test func environmentCredentialsComeFirst() async throws {
        let home = try Home(config: Self.configFile, credentials: Self.credentialsFile)
        let env = home.environment.merging(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
                                            "AWS_SESSION_TOKEN": "env-token"]) { $1 }
        let configuration = try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: nil, environment: env)
        #expect(try await configuration.credentialProvider.credentials() == AWSCredentials(accessKeyID: "AKIAENV", secretAccessKey: "env-secret", sessionToken: "env-token"))
        #expect(configuration.credentialSource == "env")
        #expect(configuration.region == "eu-west-1")
        #expect(configuration.endpoint.absoluteString == "https://secretsmanager.eu-west-1.amazonaws.com")
    }

    @Test func explicitProfileSkipsEnvironmentCredentials() async throws {
        let home = try Home(config: Self.configFile, credentials: Self.credentialsFile)
        let env = home.environment.merging(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]) { $1 }
        let configuration = try AWSConfiguration.resolve(profile: "dev", region: nil, endpointURL: nil, environment: env)
        #expect(try await configuration.credentialProvider.credentials() == AWSCredentials(accessKeyID: "AKIADEV", secretAccessKey: "dev-secret", sessionToken: "dev-token"))
        #expect(configuration.region == "eu-central-1")
        #expect(configuration.endpoint.absoluteString == "http://localhost:5000")
        #expect(configuration.profile == "dev")
    }

    @Test func awsProfileVariableAndConfigFileCredentials() async throws {
        let home = try Home(config: Self.configFile, credentials: Self.credentialsFile)
        let env = home.environment.merging(["AWS_PROFILE": "cfgonly"]) { $1 }
        let configuration = try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: nil, environment: env)
        #expect(try await configuration.credentialProvider.credentials().accessKeyID == "AKIACFG")
        #expect(configuration.credentialSource == "config-file")
        #expect(configuration.region == "us-west-2")
        #expect(configuration.endpoint.absoluteString == "http://127.0.0.1:4566")
    }

    @Test func regionPrecedence() throws {
        let home = try Home(config: Self.configFile, credentials: Self.credentialsFile)
        var env = home.environment
        env["AWS_DEFAULT_REGION"] = "ap-south-1"
        #expect(try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: nil, environment: env).region == "ap-south-1")
        env["AWS_REGION"] = "ca-central-1"
        #expect(try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: nil, environment: env).region == "ca-central-1")
        #expect(try AWSConfiguration.resolve(profile: nil, region: "sa-east-1", endpointURL: nil, environment: env).region == "sa-east-1")
        #expect(throws: AWSConfigurationError.invalidRegion("US East")) {
            try AWSConfiguration.resolve(profile: nil, region: "US East", endpointURL: nil, environment: env)
        }
    }

    @Test func endpointPrecedence() throws {
        let home = try Home(config: Self.configFile, credentials: Self.credentialsFile)
        var env = home.environment.merging(["AWS_PROFILE": "dev"]) { $1 }
        #expect(try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: nil, environment: env).endpoint.absoluteString == "http://localhost:5000")
        env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:7000"
        #expect(try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: nil, environment: env).endpoint.absoluteString == "http://127.0.0.1:7000")
        env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "http://127.0.0.1:7001"
        #expect(try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: nil, environment: env).endpoint.absoluteString == "http://127.0.0.1:7001")
        #expect(try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: "https://vpce.example:8443", environment: env).endpoint.absoluteString == "https://vpce.example:8443")
        env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
        #expect(try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: nil, environment: env).endpoint.absoluteString == "https://secretsmanager.eu-central-1.amazonaws.com")
        #expect(throws: AWSConfigurationError.invalidEndpointURL("ftp://x", source: "--endpoint-url")) {
            try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: "ftp://x", environment: env)
        }
    }

    @Test func fileLocationsFromEnvironment() async throws {
        let home = try Home()
        let config = home.url.appendingPathComponent("elsewhere-config")
        let credentials = home.url.appendingPathComponent("elsewhere-credentials")
        try "[profile x]\nregion = eu-north-1\n".write(to: config, atomically: true, encoding: .utf8)
        try "[x]\naws_access_key_id = AKIAX\naws_secret_access_key = x-secret\n".write(to: credentials, atomically: true, encoding: .utf8)
        let env = home.environment.merging(["AWS_CONFIG_FILE": config.path, "AWS_SHARED_CREDENTIALS_FILE": credentials.path]) { $1 }
        let configuration = try AWSConfiguration.resolve(profile: "x", region: nil, endpointURL: nil, environment: env)
        #expect(try await configuration.credentialProvider.credentials().accessKeyID == "AKIAX")
        #expect(configuration.region == "eu-north-1")
    }

    @Test func missingAndPartialCredentialsReadLikeTheAWSCLI() throws {
        let home = try Home(config: "[default]\nregion = us-east-1\n", credentials: Self.credentialsFile.replacingOccurrences(of: "[default]", with: "[other]"))
        #expect(throws: AWSConfigurationError.noCredentials) {
            try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: nil, environment: home.environment)
        }
        var withMetadata = home.environment
        withMetadata["AWS_EC2_METADATA_DISABLED"] = nil
        let lastResort = try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: nil, environment: withMetadata)
        #expect(lastResort.credentialSource == "imds")
        #expect(AWSConfigurationError.noCredentials.description == "Unable to locate credentials. You can configure credentials by running \"aws configure\".")
        let partialEnv = home.environment.merging(["AWS_ACCESS_KEY_ID": "AKIAENV"]) { $1 }
        #expect(throws: AWSConfigurationError.partialCredentials(source: "env", missing: "AWS_SECRET_ACCESS_KEY")) {
            try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: nil, environment: partialEnv)
        }
        #expect(AWSConfigurationError.partialCredentials(source: "env", missing: "AWS_SECRET_ACCESS_KEY").description
                == "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY")
        #expect(throws: AWSConfigurationError.partialCredentials(source: "shared-credentials-file", missing: "aws_secret_access_key")) {
            try AWSConfiguration.resolve(profile: "half", region: nil, endpointURL: nil, environment: home.environment)
        }
        #expect(throws: AWSConfigurationError.profileNotFound("nope")) {
            try AWSConfiguration.resolve(profile: "nope", region: nil, endpointURL: nil, environment: home.environment)
        }
        #expect(AWSConfigurationError.profileNotFound("nope").description == "The config profile (nope) could not be found")
    }

    @Test func missingRegion() throws {
        let home = try Home(credentials: Self.credentialsFile)
        #expect(throws: AWSConfigurationError.noRegion) {
            try AWSConfiguration.resolve(profile: nil, region: nil, endpointURL: nil, environment: home.environment)
        }
        #expect(AWSConfigurationError.noRegion.description.hasPrefix("You must specify a region"))
    }

    @Test func descriptionsNeverShowSecrets() throws {
        let home = try Home(config: Self.configFile, credentials: Self.credentialsFile)
        let configuration = try AWSConfiguration.resolve(profile: "dev", region: nil, endpointURL: nil, environment: home.environment)
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in ["\(configuration)", dumped, String(reflecting: configuration)] {
            #expect(!text.contains("dev-secret"))
            #expect(!text.contains("dev-token"))
        }
    }

    @Test func descriptionNamesTheCredentialSource() throws {
        let home = try Home(config: Self.configFile + "\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = dev\nregion = us-east-2\n",
                            credentials: Self.credentialsFile)
        let role = try AWSConfiguration.resolve(profile: "admin", region: nil, endpointURL: nil, environment: home.environment)
        #expect(role.credentialSource == "assume-role")
        #expect(role.description == "AWS Secrets Manager us-east-2 at https://secretsmanager.us-east-2.amazonaws.com "
                + "as assume-role arn:aws:iam::123456789012:role/admin via shared-credentials-file, profile admin")
        let keys = try AWSConfiguration.resolve(profile: "dev", region: nil, endpointURL: nil, environment: home.environment)
        #expect(keys.description == "AWS Secrets Manager eu-central-1 at http://localhost:5000 as AKIADEV (shared-credentials-file), profile dev")
        #expect(AWSSecretsManagerStore(configuration: role).displayName
                == "AWS Secrets Manager us-east-2 (https://secretsmanager.us-east-2.amazonaws.com) with assume-role credentials")
    }

    @Test func iniParsing() throws {
        let file = try INIFile(parsing: "[a]\r\nk = v = w\r\n\n[b]\nnested =\n  x = 1\n\ty=2\nafter = 3\n[a]\nm=n\n", path: "f")
        #expect(file.section("a")?["k"] == .text("v = w"))
        #expect(file.section("a")?["m"] == .text("n"))
        #expect(file.section("b")?["nested"] == .nested(["x": "1", "y": "2"]))
        #expect(file.section("b")?["after"] == .text("3"))
        #expect(file.section("c") == nil)
        #expect(throws: AWSConfigurationError.malformedFile(path: "f", line: 1, rule: "a setting must come after a [section] header")) {
            try INIFile(parsing: "k = v\n", path: "f")
        }
        #expect(throws: AWSConfigurationError.malformedFile(path: "f", line: 2, rule: "a setting must look like key = value")) {
            try INIFile(parsing: "[a]\njust text\n", path: "f")
        }
        #expect(throws: AWSConfigurationError.malformedFile(path: "f", line: 1, rule: "a section header must look like [name]")) {
            try INIFile(parsing: "[broken\n", path: "f")
        }
    }
}

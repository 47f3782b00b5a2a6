import Foundation

/// Where and as whom to call AWS Secrets Manager: credentials, region and endpoint, resolved as the AWS CLI does.
public struct AWSConfiguration: Sendable, Hashable, CustomStringConvertible {
    public var credentials: AWSCredentials
    public var region: String
    /// The service endpoint, e.g. `https://secretsmanager.us-east-1.amazonaws.com` or `http://127.0.0.1:4566`.
    public var endpoint: URL
    /// The profile the settings came from, when one was used.
    public var profile: String?
    /// Where the credentials came from: `env`, `shared-credentials-file` or `config-file`.
    public var credentialSource: String

    public init(credentials: AWSCredentials, region: String, endpoint: URL, profile: String? = nil, credentialSource: String = "explicit") {
        self.credentials = credentials
        self.region = region
        self.endpoint = endpoint
        self.profile = profile
        self.credentialSource = credentialSource
    }

    public var description: String {
        "AWS Secrets Manager \(region) at \(endpoint.absoluteString) as \(credentials.accessKeyID) (\(credentialSource)\(profile.map { ", profile \($0)" } ?? ""))"
    }

    /// Resolves settings as the AWS CLI does.
    ///
    /// - Credentials: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` (skipped when `profile` is passed
    ///   explicitly, like `aws --profile`), then the profile (`profile`, `AWS_PROFILE`, or `default`) in the shared
    ///   credentials file (`AWS_SHARED_CREDENTIALS_FILE`, `~/.aws/credentials`, sections `[name]`) and then in the config
    ///   file (`AWS_CONFIG_FILE`, `~/.aws/config`, sections `[profile name]`, `[default]`).
    /// - Region: `region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
    /// - Endpoint: `endpointURL`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL`, the profile's `services` section
    ///   (`secretsmanager = ` block with `endpoint_url`), the profile's `endpoint_url`; otherwise the public regional
    ///   endpoint. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` ignores all but `endpointURL`.
    public static func resolve(profile: String?, region: String?, endpointURL: String?, environment: [String: String]) throws(AWSConfigurationError) -> AWSConfiguration {
        let env = environment.filter { !$0.value.isEmpty }
        let explicitProfile = profile.flatMap { $0.isEmpty ? nil : $0 }
        let profileName = explicitProfile ?? env["AWS_PROFILE"] ?? "default"
        let files = try SharedFiles(environment: env)
        let configSection = files.configSection(profile: profileName)
        let credentialsSection = files.credentials?.section(profileName)
        let namedProfile = explicitProfile != nil || env["AWS_PROFILE"] != nil
        if namedProfile, configSection == nil, credentialsSection == nil {
            throw .profileNotFound(profileName)
        }

        let (credentials, source) = try resolveCredentials(
            environment: explicitProfile == nil ? env : [:],
            credentialsSection: credentialsSection, configSection: configSection)
        let resolvedRegion = try resolveRegion(argument: region, environment: env, configSection: configSection)
        let endpoint = try resolveEndpoint(argument: endpointURL, environment: env, configSection: configSection,
                                           files: files, region: resolvedRegion)
        let usedProfile = source == "env" && !namedProfile ? nil : profileName
        return AWSConfiguration(credentials: credentials, region: resolvedRegion, endpoint: endpoint,
                                profile: usedProfile, credentialSource: source)
    }

    private static func resolveCredentials(environment: [String: String], credentialsSection: [String: INIFile.Value]?,
                                           configSection: [String: INIFile.Value]?) throws(AWSConfigurationError) -> (AWSCredentials, String) {
        if let accessKey = environment["AWS_ACCESS_KEY_ID"] {
            guard let secret = environment["AWS_SECRET_ACCESS_KEY"] else {
                throw .partialCredentials(source: "env", missing: "AWS_SECRET_ACCESS_KEY")
            }
            return (AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"]), "env")
        }
        for (section, source) in [(credentialsSection, "shared-credentials-file"), (configSection, "config-file")] {
            guard let section else { continue }
            let accessKey = section["aws_access_key_id"]?.text
            let secret = section["aws_secret_access_key"]?.text
            switch (accessKey, secret) {
            case (let accessKey?, let secret?):
                let token = section["aws_session_token"]?.text ?? section["aws_security_token"]?.text
                return (AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: token), source)
            case (.some, nil):
                throw .partialCredentials(source: source, missing: "aws_secret_access_key")
            case (nil, .some):
                throw .partialCredentials(source: source, missing: "aws_access_key_id")
            case (nil, nil):
                continue
            }
        }
        throw .noCredentials
    }

    private static func resolveRegion(argument: String?, environment: [String: String],
                                      configSection: [String: INIFile.Value]?) throws(AWSConfigurationError) -> String {
        let candidates = [argument, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"], configSection?["region"]?.text]
        guard let region = candidates.compactMap({ $0?.trimmingWhitespace() }).first(where: { !$0.isEmpty }) else {
            throw .noRegion
        }
        guard region.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }),
              region.first?.isLetter == true else {
            throw .invalidRegion(region)
        }
        return region
    }

    private static func resolveEndpoint(argument: String?, environment: [String: String], configSection: [String: INIFile.Value]?,
                                        files: SharedFiles, region: String) throws(AWSConfigurationError) -> URL {
        var candidates: [(String?, String)] = [(argument, "--endpoint-url")]
        if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" {
            let servicesName = configSection?["services"]?.text
            let serviceBlock = servicesName.flatMap { files.config?.section("services \($0)")?["secretsmanager"] }
            var serviceEndpoint: String?
            if case .nested(let block)? = serviceBlock { serviceEndpoint = block["endpoint_url"] }
            candidates += [
                (environment["AWS_ENDPOINT_URL_SECRETS_MANAGER"], "AWS_ENDPOINT_URL_SECRETS_MANAGER"),
                (environment["AWS_ENDPOINT_URL"], "AWS_ENDPOINT_URL"),
                (serviceEndpoint, "the services section of the config file"),
                (configSection?["endpoint_url"]?.text, "the profile's endpoint_url"),
            ]
        }
        for case (let text?, let source) in candidates where !text.isEmpty {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let host = url.host, !host.isEmpty else {
                throw .invalidEndpointURL(text, source: source)
            }
            return url
        }
        let domain = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        guard let url = URL(string: "https://secretsmanager.\(region).\(domain)") else { throw .invalidRegion(region) }
        return url
    }
}

/// The shared config and credentials files, read once; a missing file counts as empty.
private struct SharedFiles {
    var config: INIFile?
    var credentials: INIFile?

    init(environment: [String: String]) throws(AWSConfigurationError) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        config = try Self.read(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config", home: home)
        credentials = try Self.read(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials", home: home)
    }

    /// The config file's section for `profile`: `[profile name]`, or `[default]` / `[profile default]` for the default.
    func configSection(profile: String) -> [String: INIFile.Value]? {
        if profile == "default" {
            return config?.section("profile default") ?? config?.section("default")
        }
        return config?.section("profile \(profile)")
    }

    private static func read(_ rawPath: String, home: String) throws(AWSConfigurationError) -> INIFile? {
        let path = rawPath.hasPrefix("~/") ? home + rawPath.dropFirst() : rawPath
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let contents: String
        do {
            contents = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableFile(path: path, reason: "not readable as UTF-8 text")
        }
        return try INIFile(parsing: contents, path: path)
    }
}

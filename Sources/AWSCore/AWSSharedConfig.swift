import Foundation

/// The environment and the shared `config` and `credentials` files, read once (a missing file counts as empty),
/// with the rules the AWS CLI uses to pick a profile, a region and a service endpoint.
public struct AWSSharedConfig: Sendable {
    /// The environment with empty variables dropped.
    public let environment: [String: String]
    public let config: INIFile?
    public let credentials: INIFile?

    public init(environment: [String: String]) throws(AWSConfigurationError) {
        let env = environment.filter { !$0.value.isEmpty }
        self.environment = env
        let home = env["HOME"] ?? NSHomeDirectory()
        config = try Self.read(env["AWS_CONFIG_FILE"] ?? "~/.aws/config", home: home)
        credentials = try Self.read(env["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials", home: home)
    }

    /// The config file's section for `profile`: `[profile name]`, or `[default]` / `[profile default]` for the default.
    public func configSection(profile: String) -> [String: INIFile.Value]? {
        if profile == "default" {
            return config?.section("profile default") ?? config?.section("default")
        }
        return config?.section("profile \(profile)")
    }

    /// The credentials file's section `[profile]`.
    public func credentialsSection(profile: String) -> [String: INIFile.Value]? {
        credentials?.section(profile)
    }

    /// True when either file has the profile.
    public func hasProfile(_ profile: String) -> Bool {
        configSection(profile: profile) != nil || credentialsSection(profile: profile) != nil
    }

    /// A setting of `profile`, the credentials file winning over the config file (as botocore merges them).
    public func setting(_ key: String, profile: String) -> String? {
        let value = credentialsSection(profile: profile)?[key]?.text ?? configSection(profile: profile)?[key]?.text
        return value.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The region: `argument`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
    public func region(argument: String?, profile: String) throws(AWSConfigurationError) -> String {
        let candidates = [argument, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"],
                          configSection(profile: profile)?["region"]?.text]
        guard let region = candidates.compactMap({ $0?.trimmingSpacesAndTabs() }).first(where: { !$0.isEmpty }) else {
            throw .noRegion
        }
        guard region.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }),
              region.first?.isLetter == true else {
            throw .invalidRegion(region)
        }
        return region
    }

    /// A service's endpoint: `argument`, `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `services`
    /// section (`<servicesKey> =` block with `endpoint_url`), the profile's `endpoint_url`; otherwise the public regional
    /// endpoint `https://<hostPrefix>.<region>.amazonaws.com`. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` ignores all
    /// but `argument`.
    public func endpoint(service: ServiceNames, argument: String?, profile: String, region: String) throws(AWSConfigurationError) -> URL {
        if let configured = try configuredEndpoint(service: service, argument: argument, profile: profile) { return configured }
        let domain = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        guard let url = URL(string: "https://\(service.hostPrefix).\(region).\(domain)") else { throw .invalidRegion(region) }
        return url
    }

    /// The endpoint set for a service by `argument`, `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
    /// `services` section or its `endpoint_url` (the first set wins); nil when none is, for services whose public
    /// endpoint is not regional (IAM).
    public func configuredEndpoint(service: ServiceNames, argument: String?, profile: String) throws(AWSConfigurationError) -> URL? {
        var candidates: [(String?, String)] = [(argument, "--endpoint-url")]
        let section = configSection(profile: profile)
        if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" {
            let servicesName = section?["services"]?.text
            let serviceBlock = servicesName.flatMap { config?.section("services \($0)")?[service.servicesKey] }
            var serviceEndpoint: String?
            if case .nested(let block)? = serviceBlock { serviceEndpoint = block["endpoint_url"] }
            let variable = "AWS_ENDPOINT_URL_\(service.environmentSuffix)"
            candidates += [
                (environment[variable], variable),
                (environment["AWS_ENDPOINT_URL"], "AWS_ENDPOINT_URL"),
                (serviceEndpoint, "the services section of the config file"),
                (section?["endpoint_url"]?.text, "the profile's endpoint_url"),
            ]
        }
        for case (let text?, let source) in candidates where !text.isEmpty {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let host = url.host, !host.isEmpty else {
                throw .invalidEndpointURL(text, source: source)
            }
            return url
        }
        return nil
    }

    /// How a service is named in endpoint settings.
    public struct ServiceNames: Sendable, Hashable {
        /// In `AWS_ENDPOINT_URL_<suffix>`, e.g. `SECRETS_MANAGER`.
        public var environmentSuffix: String
        /// In a `[services name]` section, e.g. `secretsmanager`.
        public var servicesKey: String
        /// The first label of the public endpoint's host, e.g. `secretsmanager`.
        public var hostPrefix: String

        public init(environmentSuffix: String, servicesKey: String, hostPrefix: String) {
            self.environmentSuffix = environmentSuffix
            self.servicesKey = servicesKey
            self.hostPrefix = hostPrefix
        }

        public static let sts = ServiceNames(environmentSuffix: "STS", servicesKey: "sts", hostPrefix: "sts")
        /// IAM's names; its public endpoint is global per partition, not `iam.<region>`.
        public static let iam = ServiceNames(environmentSuffix: "IAM", servicesKey: "iam", hostPrefix: "iam")
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

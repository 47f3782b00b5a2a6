import AWSCore
import AsyncHTTPClient
import Foundation

/// Where and as whom to call AWS Secrets Manager: credentials, region and endpoint, resolved as the AWS CLI does.
public struct AWSConfiguration: Sendable, CustomStringConvertible {
    /// Where requests get their credentials; temporary ones are cached and refreshed before they expire.
    public var credentialProvider: any AWSCredentialProvider
    public var region: String
    /// The service endpoint, e.g. `https://secretsmanager.us-east-1.amazonaws.com` or `http://127.0.0.1:4566`.
    public var endpoint: URL
    /// The profile the settings came from, when one was used.
    public var profile: String?

    /// Secrets Manager's names in endpoint settings.
    static let service = AWSSharedConfig.ServiceNames(environmentSuffix: "SECRETS_MANAGER", servicesKey: "secretsmanager",
                                                      hostPrefix: "secretsmanager")

    /// Settings with fixed keys (`credentialSource` names where they came from).
    public init(credentials: AWSCredentials, region: String, endpoint: URL, profile: String? = nil, credentialSource: String = "explicit") {
        self.init(credentialProvider: StaticCredentialProvider(credentials, source: credentialSource), region: region,
                  endpoint: endpoint, profile: profile)
    }

    public init(credentialProvider: any AWSCredentialProvider, region: String, endpoint: URL, profile: String? = nil) {
        self.credentialProvider = credentialProvider
        self.region = region
        self.endpoint = endpoint
        self.profile = profile
    }

    /// Where the credentials come from: `env`, `shared-credentials-file`, `config-file`, `web-identity`,
    /// `assume-role`, `process`, `ecs`, `imds` or `explicit`.
    public var credentialSource: String { credentialProvider.source }

    /// Names the region, endpoint and credential source; never a secret.
    public var description: String {
        "AWS Secrets Manager \(region) at \(endpoint.absoluteString) as \(credentialProvider)\(profile.map { ", profile \($0)" } ?? "")"
    }

    /// Resolves settings as the AWS CLI does.
    ///
    /// - Credentials: the chain of ``AWSCredentialChain`` (environment keys, web identity, the profile's role,
    ///   process or keys, ECS, EC2 instance metadata). The environment's keys and web identity are skipped when
    ///   `profile` is passed explicitly, like `aws --profile`. The profile is `profile`, `AWS_PROFILE`, or `default`.
    /// - Region: `region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
    /// - Endpoint: `endpointURL`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL`, the profile's `services` section
    ///   (`secretsmanager = ` block with `endpoint_url`), the profile's `endpoint_url`; otherwise the public regional
    ///   endpoint. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` ignores all but `endpointURL`.
    public static func resolve(profile: String?, region: String?, endpointURL: String?,
                               environment: [String: String]) throws(AWSConfigurationError) -> AWSConfiguration {
        try resolve(profile: profile, region: region, endpointURL: endpointURL, environment: environment, httpClient: .shared)
    }

    /// ``resolve(profile:region:endpointURL:environment:)`` with the HTTP client and clock that credential refreshes use.
    public static func resolve(profile: String?, region: String?, endpointURL: String?, environment: [String: String],
                               httpClient: HTTPClient, now: @escaping @Sendable () -> Date = { Date() }) throws(AWSConfigurationError) -> AWSConfiguration {
        let config = try AWSSharedConfig(environment: environment)
        let explicitProfile = profile.flatMap { $0.isEmpty ? nil : $0 }
        let profileName = explicitProfile ?? config.environment["AWS_PROFILE"] ?? "default"
        let namedProfile = explicitProfile != nil || config.environment["AWS_PROFILE"] != nil
        if namedProfile, !config.hasProfile(profileName) {
            throw .profileNotFound(profileName)
        }
        // Credentials are checked before the region, as the AWS CLI reports them first; STS is global without one.
        let resolvedRegion: String?
        do throws(AWSConfigurationError) {
            resolvedRegion = try config.region(argument: region, profile: profileName)
        } catch .noRegion {
            resolvedRegion = nil
        }
        let chain = AWSCredentialChain(config: config, region: resolvedRegion ?? "us-east-1", httpClient: httpClient, now: now)
        let credentials = try chain.resolve(profile: profileName, explicitProfile: explicitProfile != nil)
        guard let resolvedRegion else { throw .noRegion }
        let endpoint = try config.endpoint(service: service, argument: endpointURL, profile: profileName, region: resolvedRegion)
        return AWSConfiguration(credentialProvider: credentials.provider, region: resolvedRegion, endpoint: endpoint,
                                profile: credentials.profile ?? (namedProfile ? profileName : nil))
    }
}

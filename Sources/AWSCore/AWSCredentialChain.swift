import AsyncHTTPClient
import Foundation

/// Picks the credential source as the AWS SDKs do, in this order:
///
/// 1. the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (skipped when the profile
///    was named explicitly, like `aws --profile`);
/// 2. web identity from the environment: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+ `AWS_ROLE_SESSION_NAME`),
///    exchanged with STS `AssumeRoleWithWebIdentity`, as on EKS (also skipped for an explicit profile);
/// 3. the profile in the shared files: `role_arn` with `source_profile` (chains allowed, cycles refused),
///    `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`) or `web_identity_token_file`;
///    then `credential_process`; then static keys (credentials file, then config file);
/// 4. ECS container credentials (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `AWS_CONTAINER_CREDENTIALS_FULL_URI`);
/// 5. EC2 instance metadata (IMDSv2), unless `AWS_EC2_METADATA_DISABLED=true`.
///
/// Choosing is synchronous and reads only files and variables; temporary credentials are fetched on first use
/// and refreshed ahead of expiry by ``RefreshingCredentialProvider``.
public struct AWSCredentialChain: Sendable {
    /// The chosen source and the profile it came from (`nil` for the environment and the compute platforms).
    public struct Resolved: Sendable {
        public var provider: any AWSCredentialProvider
        public var profile: String?
    }

    let config: AWSSharedConfig
    let region: String
    let httpClient: HTTPClient
    let now: @Sendable () -> Date

    public init(config: AWSSharedConfig, region: String, httpClient: HTTPClient = .shared, now: @escaping @Sendable () -> Date = { Date() }) {
        self.config = config
        self.region = region
        self.httpClient = httpClient
        self.now = now
    }

    private var env: [String: String] { config.environment }

    /// The first configured source for `profile`; `explicitProfile` skips the environment's keys and web identity.
    public func resolve(profile: String, explicitProfile: Bool) throws(AWSConfigurationError) -> Resolved {
        let stsEndpoint = try config.endpoint(service: .sts, argument: nil, profile: profile, region: region)
        if !explicitProfile {
            if let keys = try environmentKeys(required: false) {
                return Resolved(provider: StaticCredentialProvider(keys, source: "env"), profile: nil)
            }
            if let tokenFile = env["AWS_WEB_IDENTITY_TOKEN_FILE"] {
                guard let roleARN = env["AWS_ROLE_ARN"] else {
                    throw .partialCredentials(source: "env", missing: "AWS_ROLE_ARN")
                }
                let provider = webIdentity(roleARN: roleARN, tokenFile: tokenFile, sessionName: env["AWS_ROLE_SESSION_NAME"],
                                           durationSeconds: nil, stsEndpoint: stsEndpoint)
                return Resolved(provider: provider, profile: nil)
            }
        }
        if let provider = try profileProvider(profile, chain: [], stsEndpoint: stsEndpoint) {
            return Resolved(provider: provider, profile: profile)
        }
        if let container = try ContainerCredentialFetcher(environment: env, httpClient: httpClient) {
            return Resolved(provider: refreshing("ecs", detail: container.url, container.fetch), profile: nil)
        }
        if !InstanceMetadataFetcher.isDisabled(environment: env) {
            // The last resort: off EC2 its failure means that nothing is configured anywhere.
            let imds = try InstanceMetadataFetcher(environment: env, httpClient: httpClient)
            let provider = refreshing("imds", detail: imds.endpoint) { () async throws(AWSCredentialError) -> AWSCredentials in
                do throws(AWSCredentialError) {
                    return try await imds.fetch()
                } catch {
                    throw AWSCredentialError(source: "imds", message: "Unable to locate credentials: none are configured "
                        + "(environment, web identity, profile, container) and instance metadata failed: \(error.message)")
                }
            }
            return Resolved(provider: provider, profile: nil)
        }
        throw .noCredentials
    }

    /// The credentials of profile `name`, or `nil` when it configures none; `chain` holds the profiles that led here.
    private func profileProvider(_ name: String, chain: [String], stsEndpoint: URL) throws(AWSConfigurationError) -> (any AWSCredentialProvider)? {
        guard config.hasProfile(name) else {
            if chain.isEmpty { return nil }
            throw .profileNotFound(name)
        }
        let setting = { (key: String) in config.setting(key, profile: name) }
        if let roleARN = setting("role_arn") {
            let sourceCredentials = try roleSource(of: name, chain: chain, stsEndpoint: stsEndpoint)
            let duration = try durationSeconds(profile: name)
            if let sourceCredentials {
                return assumeRole(roleARN: roleARN, sessionName: setting("role_session_name"), externalID: setting("external_id"),
                                  durationSeconds: duration, source: sourceCredentials, stsEndpoint: stsEndpoint)
            }
            guard let tokenFile = setting("web_identity_token_file") else {
                throw .invalidSetting(name: "role_arn", source: "profile \(name)",
                                      rule: "needs source_profile, credential_source or web_identity_token_file")
            }
            return webIdentity(roleARN: roleARN, tokenFile: tokenFile, sessionName: setting("role_session_name"),
                               durationSeconds: duration, stsEndpoint: stsEndpoint)
        }
        if setting("web_identity_token_file") != nil {
            throw .partialCredentials(source: "profile \(name)", missing: "role_arn")
        }
        if let command = setting("credential_process") {
            let process = ProcessCredentialFetcher(command: command, profile: name)
            return refreshing("process", detail: "of profile \(name)", process.fetch)
        }
        return try staticKeys(profile: name)
    }

    /// The credentials that sign `AssumeRole` for profile `name`: its `source_profile` or its `credential_source`;
    /// `nil` when it has neither (a web identity role).
    private func roleSource(of name: String, chain: [String], stsEndpoint: URL) throws(AWSConfigurationError) -> (any AWSCredentialProvider)? {
        let sourceProfile = config.setting("source_profile", profile: name)
        let credentialSource = config.setting("credential_source", profile: name)
        if sourceProfile != nil, credentialSource != nil {
            throw .invalidSetting(name: "source_profile", source: "profile \(name)", rule: "cannot be set together with credential_source")
        }
        if let sourceProfile {
            let path = chain + [name]
            if sourceProfile == name {
                // A profile may be its own source: its static keys assume its role (as botocore allows).
                guard let keys = try staticKeys(profile: name) else {
                    throw .invalidSetting(name: "source_profile", source: "profile \(name)",
                                          rule: "names the profile itself, which has no aws_access_key_id")
                }
                return keys
            }
            if path.contains(sourceProfile) {
                throw .profileCycle(path + [sourceProfile])
            }
            guard let provider = try profileProvider(sourceProfile, chain: path, stsEndpoint: stsEndpoint) else {
                throw .invalidSetting(name: "source_profile", source: "profile \(name)",
                                      rule: "names profile \(sourceProfile), which has no credentials")
            }
            return provider
        }
        switch credentialSource {
        case nil:
            return nil
        case "Environment"?:
            guard let keys = try environmentKeys(required: true) else { throw .noCredentials }
            return StaticCredentialProvider(keys, source: "env")
        case "Ec2InstanceMetadata"?:
            let imds = try InstanceMetadataFetcher(environment: env, httpClient: httpClient)
            return refreshing("imds", detail: imds.endpoint, imds.fetch)
        case "EcsContainer"?:
            guard let container = try ContainerCredentialFetcher(environment: env, httpClient: httpClient) else {
                throw .invalidSetting(name: "credential_source", source: "profile \(name)",
                                      rule: "EcsContainer needs AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI")
            }
            return refreshing("ecs", detail: container.url, container.fetch)
        case let other?:
            throw .invalidSetting(name: "credential_source", source: "profile \(name)",
                                  rule: "must be Environment, Ec2InstanceMetadata or EcsContainer, not \(other)")
        }
    }

    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`); `nil` when unset.
    private func environmentKeys(required: Bool) throws(AWSConfigurationError) -> AWSCredentials? {
        guard let accessKey = env["AWS_ACCESS_KEY_ID"] else {
            if required { throw .partialCredentials(source: "env", missing: "AWS_ACCESS_KEY_ID") }
            return nil
        }
        guard let secret = env["AWS_SECRET_ACCESS_KEY"] else {
            throw .partialCredentials(source: "env", missing: "AWS_SECRET_ACCESS_KEY")
        }
        return AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: env["AWS_SESSION_TOKEN"])
    }

    /// Static keys of profile `name`: the credentials file's section, then the config file's.
    private func staticKeys(profile name: String) throws(AWSConfigurationError) -> StaticCredentialProvider? {
        let sections = [(config.credentialsSection(profile: name), "shared-credentials-file"), (config.configSection(profile: name), "config-file")]
        for (section, source) in sections {
            guard let section else { continue }
            let accessKey = section["aws_access_key_id"]?.text
            let secret = section["aws_secret_access_key"]?.text
            switch (accessKey, secret) {
            case (let accessKey?, let secret?):
                let token = section["aws_session_token"]?.text ?? section["aws_security_token"]?.text
                return StaticCredentialProvider(AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: token),
                                                source: source)
            case (.some, nil):
                throw .partialCredentials(source: source, missing: "aws_secret_access_key")
            case (nil, .some):
                throw .partialCredentials(source: source, missing: "aws_access_key_id")
            case (nil, nil):
                continue
            }
        }
        return nil
    }

    private func durationSeconds(profile name: String) throws(AWSConfigurationError) -> Int? {
        guard let text = config.setting("duration_seconds", profile: name) else { return nil }
        guard let seconds = Int(text), (900...43_200).contains(seconds) else {
            throw .invalidSetting(name: "duration_seconds", source: "profile \(name)", rule: "must be a whole number of seconds from 900 to 43200")
        }
        return seconds
    }

    private func sessionName(_ configured: String?) -> String {
        configured ?? "sftpidp-\(Int(now().timeIntervalSince1970))"
    }

    private func assumeRole(roleARN: String, sessionName configured: String?, externalID: String?, durationSeconds: Int?,
                            source: any AWSCredentialProvider, stsEndpoint: URL) -> RefreshingCredentialProvider {
        let sts = STSClient(endpoint: stsEndpoint, region: region, httpClient: httpClient)
        let session = sessionName(configured)
        return refreshing("assume-role", detail: "\(roleARN) via \(source.source)") { () async throws(AWSCredentialError) -> AWSCredentials in
            do throws(AWSServiceError) {
                return try await sts.assumeRole(roleARN: roleARN, sessionName: session, externalID: externalID,
                                                durationSeconds: durationSeconds, sourceCredentials: source)
            } catch {
                throw AWSCredentialError(source: "assume-role", message: "STS \(error.description)")
            }
        }
    }

    private func webIdentity(roleARN: String, tokenFile: String, sessionName configured: String?, durationSeconds: Int?,
                             stsEndpoint: URL) -> RefreshingCredentialProvider {
        let sts = STSClient(endpoint: stsEndpoint, region: region, httpClient: httpClient)
        let session = sessionName(configured)
        return refreshing("web-identity", detail: roleARN) { () async throws(AWSCredentialError) -> AWSCredentials in
            // Read on every refresh: the platform rotates the token file.
            guard let raw = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw AWSCredentialError(source: "web-identity", message: "cannot read the web identity token file \(tokenFile)")
            }
            let token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                throw AWSCredentialError(source: "web-identity", message: "the web identity token file \(tokenFile) is empty")
            }
            do throws(AWSServiceError) {
                return try await sts.assumeRoleWithWebIdentity(roleARN: roleARN, sessionName: session, token: token,
                                                               durationSeconds: durationSeconds)
            } catch {
                throw AWSCredentialError(source: "web-identity", message: "STS \(error.description)")
            }
        }
    }

    private func refreshing(_ source: String, detail: String,
                            _ fetch: @escaping @Sendable () async throws(AWSCredentialError) -> AWSCredentials) -> RefreshingCredentialProvider {
        RefreshingCredentialProvider(source: source, detail: detail, now: now, fetch: fetch)
    }
}

import AWSCore
import AWSIAM
import AWSSecretsManager
import Foundation
import SecretStore
import UserManagement

extension StoreOptions {
    /// Opens AWS Secrets Manager with settings resolved as the AWS CLI does (options, environment, profile),
    /// the region of `aws:REGION` winning over the environment.
    func openAWSStore(region regionFromStore: String?, config: ConfigFile,
                      environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any SecretStore {
        AWSSecretsManagerStore(configuration: try awsConfiguration(region: regionFromStore, config: config, environment: environment))
    }

    /// On an AWS store, the role policies in IAM, read with the store's credentials (the same profile, keys and
    /// region); nil for other stores. The endpoint is `endpointURL`, `AWS_ENDPOINT_URL_IAM`, `AWS_ENDPOINT_URL`, the
    /// profile's settings, or the partition's global IAM endpoint.
    func iamRolePolicies(config: ConfigFile, endpointURL: String?) throws -> IAMRolePolicies? {
        guard case .aws(let region) = StoreKind(setting: storeSetting(config: config)) else { return nil }
        let configuration = try awsConfiguration(region: region, config: config)
        do {
            let shared = try AWSSharedConfig(environment: environment)
            let profileName = configuration.profile ?? shared.environment["AWS_PROFILE"] ?? "default"
            let endpoint = try IAMEndpoint.resolve(argument: endpointURL, config: shared, profile: profileName, region: configuration.region)
            return IAMRolePolicies(client: IAMClient(endpoint: endpoint, credentials: configuration.credentialProvider))
        } catch {
            throw CLIFailure(error.description)
        }
    }

    private func awsConfiguration(region regionFromStore: String?, config: ConfigFile,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AWSConfiguration {
        do {
            return try AWSConfiguration.resolve(
                profile: profile ?? config["profile"],
                region: region ?? regionFromStore ?? config["region"],
                endpointURL: endpointUrl ?? config["endpoint-url"],
                environment: environment
            )
        } catch {
            throw CLIFailure(error.description)
        }
    }
}

import AWSSecretsManager
import SecretStore

extension StoreOptions {
    /// Opens AWS Secrets Manager with settings resolved as the AWS CLI does (options, environment, profile),
    /// the region of `aws:REGION` winning over the environment.
    func openAWSStore(region regionFromStore: String?, config: ConfigFile) throws -> any SecretStore {
        do {
            let configuration = try AWSConfiguration.resolve(
                profile: profile ?? config["profile"],
                region: region ?? regionFromStore ?? config["region"],
                endpointURL: endpointUrl ?? config["endpoint-url"],
                environment: environment
            )
            return AWSSecretsManagerStore(configuration: configuration)
        } catch {
            throw CLIFailure(error.description)
        }
    }
}

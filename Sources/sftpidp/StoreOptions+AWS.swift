import AWSSecretsManager
import ListingCache
import SecretStore
import UserManagement

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

    /// The listing cache for `store`: one under `$XDG_CACHE_HOME/sftpidp` for an AWS store and its region, endpoint and
    /// identity; nil for other stores, with `--no-cache`, or when `SFTPIDP_LISTING_CACHE` / the config's
    /// `listing-cache` is `off`.
    func listingCache(for store: any SecretStore) throws -> (any UserOverviewCache)? {
        guard let aws = store as? AWSSecretsManagerStore, !noCache else { return nil }
        let config = try ConfigFile.load(environment: environment)
        switch resolveSetting(nil, environment: environment, variable: "SFTPIDP_LISTING_CACHE", config: config, key: "listing-cache") {
        case nil, "on": break
        case "off": return nil
        case let other?: throw CLIFailure("listing-cache \"\(other)\" (SFTPIDP_LISTING_CACHE or the config's listing-cache): must be on or off")
        }
        return EncryptedListingCache(location: .resolve(environment: environment), scope: aws.configuration.description,
                                     warn: { printToStandardError("warning: \($0)") })
    }
}

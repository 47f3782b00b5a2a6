import SecretStore

extension StoreOptions {
    /// Opens AWS Secrets Manager (temporary: replaced when the AWS store lands).
    func openAWSStore(region: String?, config: ConfigFile) throws -> any SecretStore {
        throw CLIFailure("the AWS store is not built yet")
    }
}

import ArgumentParser
import EmbeddedStore
import Foundation
import IdentityModel
import ListingCache
import SecretStore
import UserManagement

/// Where the users live and how their secrets are named: options shared by every command that opens a store.
///
/// Each option falls back to an environment variable (`SFTPIDP_STORE`, `SFTPIDP_NAMING_SCHEME`,
/// `SFTPIDP_SERVER_ID`, `AWS_PROFILE`, ...) and then to the config file.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store: a path to an embedded store file, or 'aws' / 'aws:REGION'. Default: the embedded store in $XDG_DATA_HOME/sftpidp. [env: SFTPIDP_STORE]", valueName: "STORE"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Secret naming scheme: sftp (SFTP/{username}), server ({serverId}/{username}), aws-transfer (aws/transfer/{serverId}/{username}), or a template. [env: SFTPIDP_NAMING_SCHEME]", valueName: "SCHEME"))
    var namingScheme: String?

    @Option(name: .long, help: ArgumentHelp("The SFTP server id, for naming schemes that use it. [env: SFTPIDP_SERVER_ID]", valueName: "ID"))
    var serverId: String?

    @Option(name: .long, help: ArgumentHelp("AWS: the profile in ~/.aws/config and ~/.aws/credentials. [env: AWS_PROFILE]", valueName: "NAME"))
    var profile: String?

    @Option(name: .long, help: ArgumentHelp("AWS: the region. [env: AWS_REGION, AWS_DEFAULT_REGION]", valueName: "REGION"))
    var region: String?

    @Option(name: .long, help: ArgumentHelp("AWS: the Secrets Manager endpoint, e.g. a local test server. [env: AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL]", valueName: "URL"))
    var endpointUrl: String?

    /// The process's environment; every resolver below also takes one explicitly, for the unit tests.
    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The store description after options, environment and config file.
    func storeSetting(config: ConfigFile, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        resolveSetting(store, environment: environment, variable: "SFTPIDP_STORE", config: config, key: "store")
    }

    /// What a store setting names.
    enum StoreKind: Equatable {
        /// AWS Secrets Manager: `aws` (the region resolved as the AWS CLI does) or `aws:REGION`.
        case aws(region: String?)
        /// An embedded store file: a path, or nil for the default one.
        case embedded(path: String?)

        init(setting: String?) {
            guard let setting, setting == "aws" || setting.hasPrefix("aws:") else {
                self = .embedded(path: setting)
                return
            }
            self = .aws(region: setting.hasPrefix("aws:") ? String(setting.dropFirst(4)) : nil)
        }
    }

    /// How a command treats a store that does not exist yet.
    enum MissingStore {
        /// Refuse it (`store check`, `audit`, `test-login`: there is nothing to check).
        case refuse
        /// Create the default embedded store (no set-up), refuse any other: a path typed by hand that does not
        /// exist is more often a typo than a wish for a new, empty store.
        case createDefault
        /// Create it wherever it is named (`users create`, the console: they write users into it).
        case create
    }

    /// Opens the configured store: the embedded one by default, AWS Secrets Manager for `aws` / `aws:REGION`.
    func openStore(_ missing: MissingStore = .createDefault, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any SecretStore {
        let config = try ConfigFile.load(environment: environment)
        let setting = storeSetting(config: config, environment: environment)
        let create = switch missing {
        case .refuse: false
        case .createDefault: setting == nil
        case .create: true
        }
        return try openStore(setting, config: config, createIfMissing: create, environment: environment)
    }

    /// Opens the store named by `setting` (a path, `aws` or `aws:REGION`; nil means the embedded default).
    func openStore(_ setting: String?, config: ConfigFile, createIfMissing: Bool = true,
                   environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any SecretStore {
        let path: String?
        switch StoreKind(setting: setting) {
        case .aws(let region): return try openAWSStore(region: region, config: config, environment: environment)
        case .embedded(let embeddedPath): path = embeddedPath
        }
        let location = EmbeddedStoreLocation.resolve(storePath: path, environment: environment)
        // Every version written gets its user's overview kept beside it, so that listing users reads no value.
        let summariser = ValueSummariser.userOverviews(naming: try resolvedNamingScheme(environment: environment),
                                                       serverID: try resolvedServerID(environment: environment))
        do {
            return try EmbeddedSecretStore.open(databasePath: location.databasePath, keyPath: location.keyPath, createIfMissing: createIfMissing,
                                                summariser: summariser)
        } catch {
            throw CLIFailure(String(describing: error))
        }
    }

    /// The name messages give the embedded store `setting` names (as ``EmbeddedSecretStore/displayName``) when its
    /// file does not exist yet; nil for a store that exists, and for an AWS store, which always does.
    func missingStoreName(_ setting: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard case .embedded(let path) = StoreKind(setting: setting) else { return nil }
        let databasePath = EmbeddedStoreLocation.resolve(storePath: path, environment: environment).databasePath
        return FileManager.default.fileExists(atPath: databasePath) ? nil : EmbeddedSecretStore.displayName(of: databasePath)
    }

    /// The naming scheme after options, environment and config file; `SFTP/{username}` by default.
    func resolvedNamingScheme(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> NamingScheme {
        let config = try ConfigFile.load(environment: environment)
        guard let setting = resolveSetting(namingScheme, environment: environment, variable: "SFTPIDP_NAMING_SCHEME", config: config, key: "naming-scheme") else {
            return .sftpPrefix
        }
        do {
            return try NamingScheme(setting)
        } catch {
            throw CLIFailure(String(describing: error))
        }
    }

    /// The server id after options, environment and config file.
    func resolvedServerID(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        let config = try ConfigFile.load(environment: environment)
        return resolveSetting(serverId, environment: environment, variable: "SFTPIDP_SERVER_ID", config: config, key: "server-id")
    }

    /// The users of the configured store under the configured naming scheme.
    /// `recoveryWindowDays` (an option) wins over the config's `recovery-window-days`; both must be 7...30.
    func openDirectory(recoveryWindowDays: Int? = nil, missingStore: MissingStore = .createDefault,
                       environment: [String: String] = ProcessInfo.processInfo.environment) throws -> UserDirectory {
        let config = try ConfigFile.load(environment: environment)
        let window = try recoveryWindowDays ?? config.recoveryWindowDays() ?? UserDirectory.defaultRecoveryWindowDays
        guard (7...30).contains(window) else {
            throw CLIFailure("the recovery window must be between 7 and 30 days, not \(window) (--recovery-window-days or the config's recovery-window-days)")
        }
        return UserDirectory(store: try openStore(missingStore, environment: environment), naming: try resolvedNamingScheme(environment: environment),
                             serverID: try resolvedServerID(environment: environment), recoveryWindowDays: window,
                             writer: .current(environment: environment))
    }
}

extension StoreOptions {
    /// The configured argon2id cost: `SFTPIDP_ARGON2` or the config's `argon2`, as `m=KiB,t=N,p=N`; the defaults
    /// (m=19456, t=2, p=1) otherwise. New passwords are hashed with it; a stored argon2 hash that costs more is refused.
    func argon2Parameters(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Argon2Parameters {
        let config = try ConfigFile.load(environment: environment)
        guard let text = resolveSetting(nil, environment: environment, variable: "SFTPIDP_ARGON2", config: config, key: "argon2") else {
            return .default
        }
        do {
            return try Argon2Parameters(setting: text)
        } catch {
            throw CLIFailure("SFTPIDP_ARGON2 (or the config's argon2) \"\(text)\": \(error)")
        }
    }
}

import ArgumentParser
import AWSSecretsManager
import EmbeddedStore
import Foundation
import ListingCache
import SecretStore
import UserManagement

/// `--no-cache`: options of the commands that list every user (`users list`, the console).
struct ListingCacheOptions: ParsableArguments {
    @Flag(name: .long, help: "List users without the local listing cache, reading every secret. [config: listing-cache = \"off\"; env: SFTPIDP_LISTING_CACHE=off]")
    var noCache = false

    /// The listing cache for `store`, under `$XDG_CACHE_HOME/sftpidp`: one per AWS store (region, endpoint and
    /// identity) and one per embedded store file, for which the overviews kept in the store back it
    /// (``StoreKeptOverviews``); nil for other stores, with `--no-cache`, or when `SFTPIDP_LISTING_CACHE` / the
    /// config's `listing-cache` is `off`.
    func listingCache(for store: any SecretStore, environment: [String: String] = ProcessInfo.processInfo.environment,
                      warn: @escaping @Sendable (String) -> Void = { printToStandardError("warning: \($0)") }) throws -> (any UserOverviewCache)? {
        guard let scope = Self.listingCacheScope(of: store), !noCache else { return nil }
        let config = try ConfigFile.load(environment: environment)
        switch resolveSetting(nil, environment: environment, variable: "SFTPIDP_LISTING_CACHE", config: config, key: "listing-cache") {
        case nil, "on": break
        case "off": return nil
        case let other?: throw CLIFailure("listing-cache \"\(other)\" (SFTPIDP_LISTING_CACHE or the config's listing-cache): must be on or off")
        }
        let file = EncryptedListingCache(location: .resolve(environment: environment), scope: scope, warn: warn)
        if let embedded = store as? EmbeddedSecretStore {
            return StoreKeptOverviews(store: embedded, file: file, warn: warn)
        }
        return file
    }

    /// What a listing cache is bound to: an AWS store's region, endpoint and identity, or an embedded store's file
    /// (version ids are random, so a store made again at the same path shares no entry with the old one).
    private static func listingCacheScope(of store: any SecretStore) -> String? {
        switch store {
        case let aws as AWSSecretsManagerStore: aws.configuration.description
        case let embedded as EmbeddedSecretStore: "embedded " + URL(fileURLWithPath: embedded.databasePath).standardizedFileURL.path
        default: nil
        }
    }
}

/// `--quiet`: options of the commands that draw a progress line (`users list`, `store check`, `store copy`).
struct ProgressOptions: ParsableArguments {
    @Flag(name: .long, help: "No progress line on standard error (it is only drawn when standard error is a terminal).")
    var quiet = false
}

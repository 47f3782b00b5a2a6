@testable import CommandLineInterface
import EmbeddedStore
import Foundation
import IdentityModel
import ListingCache
import SecretStore
import Testing

/// Each setting resolved from the command line, then the environment, then the config file, then its default.
@Suite struct ConfigurationTests {
    /// A private directory holding `config.toml` with `lines`, and an environment that points at it and at
    /// nothing of the real user's (home, caches, AWS files).
    private final class Sandbox {
        let directory: String
        let environment: [String: String]

        init(config lines: [String], environment extra: [String: String] = [:]) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("clitests-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try lines.joined(separator: "\n").write(toFile: directory + "/config.toml", atomically: true, encoding: .utf8)
            environment = [
                "SFTPIDP_CONFIG": directory + "/config.toml", "HOME": directory, "XDG_DATA_HOME": directory + "/data",
                "XDG_CACHE_HOME": directory + "/cache", "AWS_CONFIG_FILE": directory + "/aws-config",
                "AWS_SHARED_CREDENTIALS_FILE": directory + "/aws-credentials",
            ].merging(extra) { $1 }
        }

        var configPath: String { directory + "/config.toml" }

        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    private func options(_ arguments: [String] = []) throws -> StoreOptions { try StoreOptions.parse(arguments) }

    @Test func optionWinsOverEnvironmentOverConfigFile() throws {
        let sandbox = try Sandbox(config: [#"naming-scheme = "aws-transfer""#, #"server-id = "s-config""#, #"store = "/config/users.db""#])
        let config = try ConfigFile.load(environment: sandbox.environment)
        var environment = sandbox.environment
        environment["SFTPIDP_NAMING_SCHEME"] = "server"
        environment["SFTPIDP_SERVER_ID"] = "s-env"
        environment["SFTPIDP_STORE"] = "/env/users.db"

        let flagged = try options(["--naming-scheme", "{serverId}-{username}", "--server-id", "s-flag", "--store", "/flag/users.db"])
        #expect(try flagged.resolvedNamingScheme(environment: environment) == NamingScheme("{serverId}-{username}"))
        #expect(try flagged.resolvedServerID(environment: environment) == "s-flag")
        #expect(flagged.storeSetting(config: config, environment: environment) == "/flag/users.db")

        let unflagged = try options()
        #expect(try unflagged.resolvedNamingScheme(environment: environment) == .serverPrefix)
        #expect(try unflagged.resolvedServerID(environment: environment) == "s-env")
        #expect(unflagged.storeSetting(config: config, environment: environment) == "/env/users.db")

        #expect(try unflagged.resolvedNamingScheme(environment: sandbox.environment) == .awsTransfer)
        #expect(try unflagged.resolvedServerID(environment: sandbox.environment) == "s-config")
        #expect(unflagged.storeSetting(config: config, environment: sandbox.environment) == "/config/users.db")
    }

    @Test func anEmptyOptionOrVariableFallsThrough() throws {
        let sandbox = try Sandbox(config: [#"server-id = "s-config""#])
        let config = try ConfigFile.load(environment: sandbox.environment)
        #expect(resolveSetting("", environment: ["SFTPIDP_SERVER_ID": ""], variable: "SFTPIDP_SERVER_ID", config: config, key: "server-id") == "s-config")
        #expect(resolveSetting(nil, environment: [:], variable: "SFTPIDP_STORE", config: config, key: "store") == nil)
    }

    @Test func defaultsWithoutAnySetting() throws {
        let sandbox = try Sandbox(config: [])
        let unflagged = try options()
        #expect(try unflagged.resolvedNamingScheme(environment: sandbox.environment) == .sftpPrefix)
        #expect(try unflagged.resolvedServerID(environment: sandbox.environment) == nil)
        #expect(try unflagged.argon2Parameters(environment: sandbox.environment) == .default)
        #expect(try unflagged.openDirectory(environment: sandbox.environment).recoveryWindowDays == 30)
    }

    @Test func aBadNamingSchemeNamesTheTemplateAndTheRule() throws {
        let sandbox = try Sandbox(config: [])
        let rule = try #require(throws: NamingSchemeError.self) { try NamingScheme("users/{nobody}") }
        let failure = try #require(throws: CLIFailure.self) {
            try options(["--naming-scheme", "users/{nobody}"]).resolvedNamingScheme(environment: sandbox.environment)
        }
        #expect(failure.message == rule.description)
        #expect(failure.message.contains("users/{nobody}"))
    }

    @Test func argon2FromTheEnvironmentWinsOverTheConfigFile() throws {
        let sandbox = try Sandbox(config: [#"argon2 = "m=32768,t=3""#])
        #expect(try options().argon2Parameters(environment: sandbox.environment)
                == Argon2Parameters(memoryKiB: 32768, iterations: 3, parallelism: 1))
        var environment = sandbox.environment
        environment["SFTPIDP_ARGON2"] = "m=65536,t=4,p=2"
        #expect(try options().argon2Parameters(environment: environment)
                == Argon2Parameters(memoryKiB: 65536, iterations: 4, parallelism: 2))
    }

    @Test func aBadArgon2SettingNamesBothPlacesAndTheRule() throws {
        let sandbox = try Sandbox(config: [], environment: ["SFTPIDP_ARGON2": "m=1"])
        let rule = try #require(throws: FieldError.self) { try Argon2Parameters(setting: "m=1") }
        let failure = try #require(throws: CLIFailure.self) { try options().argon2Parameters(environment: sandbox.environment) }
        #expect(failure.message == "SFTPIDP_ARGON2 (or the config's argon2) \"m=1\": \(rule)")
    }

    @Test func recoveryWindowOptionWinsOverTheConfigFile() throws {
        let sandbox = try Sandbox(config: [#"recovery-window-days = "20""#])
        #expect(try options().openDirectory(environment: sandbox.environment).recoveryWindowDays == 20)
        #expect(try options().openDirectory(recoveryWindowDays: 9, environment: sandbox.environment).recoveryWindowDays == 9)
        // A bare whole number is read as TOML writes it; other kinds of value are refused naming the key.
        let bare = try Sandbox(config: ["recovery-window-days = 14"])
        #expect(try options().openDirectory(environment: bare.environment).recoveryWindowDays == 14)
        let fraction = try Sandbox(config: ["recovery-window-days = 14.5"])
        let failure = try #require(throws: CLIFailure.self) { try options().openDirectory(environment: fraction.environment) }
        #expect(failure.message.hasSuffix(#"1: "recovery-window-days" must be a string or a whole number"#), "\(failure.message)")
    }

    @Test func recoveryWindowOutsideSevenToThirtyDaysIsRefused() throws {
        let sandbox = try Sandbox(config: [#"recovery-window-days = "45""#])
        let failure = try #require(throws: CLIFailure.self) { try options().openDirectory(environment: sandbox.environment) }
        #expect(failure.message == "the recovery window must be between 7 and 30 days, not 45 (--recovery-window-days or the config's recovery-window-days)")
        let notANumber = try Sandbox(config: [#"recovery-window-days = "two weeks""#])
        let wordy = try #require(throws: CLIFailure.self) { try options().openDirectory(environment: notANumber.environment) }
        #expect(wordy.message == "recovery-window-days: \"two weeks\" is not a whole number of days (7 to 30)")
    }

    @Test func listingCacheIsOnForAWSAndEmbeddedStoresUnlessTurnedOff() throws {
        let sandbox = try Sandbox(config: [#"listing-cache = "off""#], environment: [
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "example-only", "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        ])
        let config = try ConfigFile.load(environment: sandbox.environment)
        let aws = try options().openStore("aws:eu-west-1", config: config, environment: sandbox.environment)
        #expect(try ListingCacheOptions.parse([]).listingCache(for: aws, environment: sandbox.environment) == nil)
        var environment = sandbox.environment
        environment["SFTPIDP_LISTING_CACHE"] = "on"
        #expect(try ListingCacheOptions.parse([]).listingCache(for: aws, environment: environment) != nil)
        #expect(try ListingCacheOptions.parse(["--no-cache"]).listingCache(for: aws, environment: environment) == nil)
        // The console resolves the same cache from the same options.
        #expect(try ConsoleCommand.parse([]).listingCacheOptions.listingCache(for: aws, environment: environment) != nil)
        #expect(try ConsoleCommand.parse(["--no-cache"]).listingCacheOptions.listingCache(for: aws, environment: environment) == nil)
        environment["SFTPIDP_LISTING_CACHE"] = "sometimes"
        let failure = try #require(throws: CLIFailure.self) { try ListingCacheOptions.parse([]).listingCache(for: aws, environment: environment) }
        #expect(failure.message == "listing-cache \"sometimes\" (SFTPIDP_LISTING_CACHE or the config's listing-cache): must be on or off")

        // An embedded store has a cache of its own file, backed by the overviews kept in the store; another file has
        // another.
        environment["SFTPIDP_LISTING_CACHE"] = "on"
        let embedded = try options().openStore(sandbox.directory + "/users.db", config: config, environment: environment)
        let other = try options().openStore(sandbox.directory + "/other.db", config: config, environment: environment)
        let embeddedCache = try #require(try ListingCacheOptions.parse([]).listingCache(for: embedded, environment: environment) as? StoreKeptOverviews)
        #expect(embeddedCache.store === embedded as? EmbeddedSecretStore)
        let awsCache = try #require(try ListingCacheOptions.parse([]).listingCache(for: aws, environment: environment) as? EncryptedListingCache)
        let otherCache = try #require(try ListingCacheOptions.parse([]).listingCache(for: other, environment: environment) as? StoreKeptOverviews)
        let paths = [embeddedCache.file?.path, awsCache.path, otherCache.file?.path].compactMap { $0 }
        #expect(Set(paths).count == 3)
        #expect(try ListingCacheOptions.parse(["--no-cache"]).listingCache(for: embedded, environment: environment) == nil)
        environment["SFTPIDP_LISTING_CACHE"] = "off"
        #expect(try ListingCacheOptions.parse([]).listingCache(for: embedded, environment: environment) == nil)
    }

    @Test func noCacheAndQuietAreOptionsOfTheCommandsTheyChange() throws {
        #expect(try ListUsersCommand.parse(["--no-cache", "--quiet"]).listingCacheOptions.noCache)
        #expect(try ConsoleCommand.parse(["--no-cache"]).listingCacheOptions.noCache)
        #expect(try CheckStoreCommand.parse(["--quiet"]).progressOptions.quiet)
        #expect(try CopyStoreCommand.parse(["--from", "embedded", "--to", "/tmp/copy.db", "--quiet"]).progressOptions.quiet)
        // Elsewhere they would change nothing, so they are refused rather than silently ignored.
        let elsewhere: [(String, () throws -> Void)] = [
            ("console --quiet", { _ = try ConsoleCommand.parse(["--quiet"]) }),
            ("serve --no-cache", { _ = try ServeCommand.parse(["--no-cache"]) }),
            ("users show jess --quiet", { _ = try ShowUserCommand.parse(["jess", "--quiet"]) }),
            ("store check --no-cache", { _ = try CheckStoreCommand.parse(["--no-cache"]) }),
        ]
        for (command, parse) in elsewhere {
            #expect(throws: (any Error).self, "\(command)") { try parse() }
        }
    }

    @Test func configFilePathFollowsXDG() {
        #expect(ConfigFile.path(environment: ["SFTPIDP_CONFIG": "/etc/sftpidp.toml", "XDG_CONFIG_HOME": "/x"]) == "/etc/sftpidp.toml")
        #expect(ConfigFile.path(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/home/a"]) == "/x/sftpidp/config.toml")
        #expect(ConfigFile.path(environment: ["XDG_CONFIG_HOME": "", "HOME": "/home/a"]) == "/home/a/.config/sftpidp/config.toml")
    }

    @Test func configFileRefusesUnknownKeysAndValuesOfTheWrongKind() throws {
        let unknown = try Sandbox(config: [#"store = "/x.db""#, #"colour = "red""#])
        let failure = try #require(throws: CLIFailure.self) { try ConfigFile.load(environment: unknown.environment) }
        #expect(failure.message == "\(unknown.configPath):2: unknown setting \"colour\" (known: \(ConfigFile.knownKeys.sorted().joined(separator: ", ")))")
        let flag = try Sandbox(config: ["store = true"])
        let notString = try #require(throws: CLIFailure.self) { try ConfigFile.load(environment: flag.environment) }
        #expect(notString.message == "\(flag.configPath):1: \"store\" must be a string")
    }

    @Test func configFileReadsRolePolicies() throws {
        let sandbox = try Sandbox(config: [
            "[role-policies]",
            #""arn:aws:iam::123456789012:role/one" = "one.json""#,
            #""arn:aws:iam::123456789012:role/two" = ["a.json", "b.json"]"#,
        ])
        let config = try ConfigFile.load(environment: sandbox.environment)
        #expect(config.rolePolicyFiles == [
            "arn:aws:iam::123456789012:role/one": ["one.json"],
            "arn:aws:iam::123456789012:role/two": ["a.json", "b.json"],
        ])
    }
}

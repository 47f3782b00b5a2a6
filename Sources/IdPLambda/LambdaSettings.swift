import IdentityModel
import Logging
import SecretStore

/// The function's settings, from its environment variables; every problem names the variable and the rule.
///
/// - `SFTPIDP_STORE`: `aws` (default) or `aws:REGION`; the region otherwise comes from `AWS_REGION`.
/// - `SFTPIDP_NAMING_SCHEME`: `sftp`, `server`, `aws-transfer` or a template; default `SFTP/{username}`.
/// - `SFTPIDP_SERVER_ID`: when set, the one Transfer server (`s-` and 17 hex digits) this function answers for;
///   a login naming another server is denied.
/// - `SFTPIDP_CACHE_TTL`: seconds secret reads are kept across warm invocations, 0...3600; default 30.
/// - `SFTPIDP_LOG_LEVEL`: trace, debug, info (default), notice, warning, error or critical.
/// - `SFTPIDP_ARGON2`: the argon2 cost `m=KiB,t=N,p=N` (default m=19456,t=2,p=1); a stored argon2 hash that costs
///   more is refused, so that no login takes longer than an unknown user's.
public struct LambdaSettings: Sendable, Hashable {
    /// The region of `aws:REGION`, which wins over `AWS_REGION`; `nil` for plain `aws`.
    public var storeRegion: String?
    public var namingScheme: NamingScheme
    /// The only server id logins may name, when `SFTPIDP_SERVER_ID` is set.
    public var serverID: String?
    public var cacheTimeToLive: Duration
    public var logLevel: Logger.Level
    /// The configured argon2 cost: the dummy verification's, and the most a stored argon2 hash may cost.
    public var argon2: Argon2Parameters

    /// The cache time-to-live when `SFTPIDP_CACHE_TTL` is not set: 30 seconds, as `sftpidp serve` on AWS.
    public static let defaultCacheTimeToLive: Duration = .seconds(30)

    /// Reads the settings from `environment`; an empty variable counts as unset.
    public init(environment: [String: String]) throws(LambdaSettingsError) {
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        switch value("SFTPIDP_STORE") {
        case nil, "aws"?:
            storeRegion = nil
        case let store? where store.hasPrefix("aws:") && store.count > 4:
            storeRegion = String(store.dropFirst(4))
        case let store?:
            throw LambdaSettingsError(variable: "SFTPIDP_STORE", rule: "must be aws or aws:REGION (the embedded store cannot be used from Lambda), not \"\(store)\"")
        }
        do {
            namingScheme = try value("SFTPIDP_NAMING_SCHEME").map(NamingScheme.init) ?? .sftpPrefix
        } catch {
            throw LambdaSettingsError(variable: "SFTPIDP_NAMING_SCHEME", rule: String(describing: error))
        }
        serverID = value("SFTPIDP_SERVER_ID")
        if let serverID, let problem = Validation.serverID(serverID, field: "SFTPIDP_SERVER_ID") {
            throw LambdaSettingsError(variable: "SFTPIDP_SERVER_ID", rule: problem.rule)
        }
        if let text = value("SFTPIDP_CACHE_TTL") {
            guard let seconds = Double(text), seconds >= 0, seconds <= 3600 else {
                throw LambdaSettingsError(variable: "SFTPIDP_CACHE_TTL", rule: "must be a number of seconds between 0 and 3600, not \"\(text)\"")
            }
            cacheTimeToLive = .milliseconds(Int64((seconds * 1000).rounded()))
        } else {
            cacheTimeToLive = Self.defaultCacheTimeToLive
        }
        if let text = value("SFTPIDP_LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw LambdaSettingsError(variable: "SFTPIDP_LOG_LEVEL", rule: "must be one of trace, debug, info, notice, warning, error, critical, not \"\(text)\"")
            }
            logLevel = level
        } else {
            logLevel = .info
        }
        if let text = value("SFTPIDP_ARGON2") {
            do {
                argon2 = try Argon2Parameters(setting: text)
            } catch {
                throw LambdaSettingsError(variable: "SFTPIDP_ARGON2", rule: "\"\(text)\": \(error)")
            }
        } else {
            argon2 = .default
        }
    }
}

/// An environment variable the function cannot start with.
public struct LambdaSettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var variable: String
    public var rule: String

    public var description: String { "\(variable) \(rule)" }
}

import IdPLambda
import Logging
import SecretStore
import Testing

@Suite("Lambda settings from the environment")
struct SettingsTests {
    @Test func defaults() throws {
        let settings = try LambdaSettings(environment: ["AWS_REGION": "eu-west-1", "SFTPIDP_STORE": ""])
        #expect(settings.storeRegion == nil)
        #expect(settings.namingScheme == .sftpPrefix)
        #expect(settings.cacheTimeToLive == .seconds(30))
        #expect(settings.logLevel == .info)
        #expect(settings.argon2 == .default)
    }

    @Test func everyVariable() throws {
        let settings = try LambdaSettings(environment: [
            "SFTPIDP_STORE": "aws:eu-central-1",
            "SFTPIDP_NAMING_SCHEME": "aws-transfer",
            "SFTPIDP_CACHE_TTL": "2.5",
            "SFTPIDP_LOG_LEVEL": "WARNING",
            "SFTPIDP_SERVER_ID": "s-0123456789abcdef0",
            "SFTPIDP_ARGON2": "m=65536,t=3,p=4",
        ])
        #expect(settings.argon2.description == "m=65536,t=3,p=4")
        #expect(settings.serverID == "s-0123456789abcdef0")
        #expect(settings.storeRegion == "eu-central-1")
        #expect(settings.namingScheme == .awsTransfer)
        #expect(settings.cacheTimeToLive == .milliseconds(2500))
        #expect(settings.logLevel == .warning)
        #expect(try LambdaSettings(environment: ["SFTPIDP_CACHE_TTL": "0"]).cacheTimeToLive == .zero)
        #expect(try LambdaSettings(environment: ["SFTPIDP_NAMING_SCHEME": "idp/{serverId}/{username}"]).namingScheme.template == "idp/{serverId}/{username}")
    }

    @Test("bad values name the variable and the rule", arguments: [
        ("SFTPIDP_STORE", "/var/lib/store.db", "SFTPIDP_STORE must be aws or aws:REGION (the embedded store cannot be used from Lambda), not \"/var/lib/store.db\""),
        ("SFTPIDP_STORE", "aws:", "SFTPIDP_STORE must be aws or aws:REGION (the embedded store cannot be used from Lambda), not \"aws:\""),
        ("SFTPIDP_NAMING_SCHEME", "SFTP/{username}/x", "SFTPIDP_NAMING_SCHEME naming scheme \"SFTP/{username}/x\" must end with {username}"),
        ("SFTPIDP_CACHE_TTL", "-1", "SFTPIDP_CACHE_TTL must be a number of seconds between 0 and 3600, not \"-1\""),
        ("SFTPIDP_CACHE_TTL", "thirty", "SFTPIDP_CACHE_TTL must be a number of seconds between 0 and 3600, not \"thirty\""),
        ("SFTPIDP_CACHE_TTL", "3601", "SFTPIDP_CACHE_TTL must be a number of seconds between 0 and 3600, not \"3601\""),
        ("SFTPIDP_SERVER_ID", "s-XYZ", "SFTPIDP_SERVER_ID must be s- followed by 17 lowercase hexadecimal digits"),
        ("SFTPIDP_LOG_LEVEL", "verbose", "SFTPIDP_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical, not \"verbose\""),
        ("SFTPIDP_ARGON2", "m=64MiB", "SFTPIDP_ARGON2 \"m=64MiB\": argon2 setting: must be m=KiB,t=ITERATIONS,p=LANES with whole numbers"),
        ("SFTPIDP_ARGON2", "m=2097152,t=1,p=1", "SFTPIDP_ARGON2 \"m=2097152,t=1,p=1\": argon2 memory: must be 8 KiB per lane up to 1048576 KiB (1 GiB)"),
    ])
    func badValue(variable: String, value: String, message: String) {
        let error = #expect(throws: LambdaSettingsError.self) { try LambdaSettings(environment: [variable: value]) }
        #expect(error?.description == message)
    }
}

import Foundation
import Testing
@testable import AWSCore

/// Which source the chain picks, and the configuration errors it reports, from files and variables alone.
@Suite struct CredentialChainTests {
    static let config = """
        [default]
        region = eu-west-1

        [profile keys]
        aws_access_key_id = AKIAKEYS
        aws_secret_access_key = keys-secret

        [profile role]
        role_arn = arn:aws:iam::123456789012:role/admin
        source_profile = keys
        role_session_name = ops

        [profile chained]
        role_arn = arn:aws:iam::123456789012:role/second
        source_profile = role

        [profile self]
        role_arn = arn:aws:iam::123456789012:role/self
        source_profile = self
        aws_access_key_id = AKIASELF
        aws_secret_access_key = self-secret

        [profile loop-a]
        role_arn = arn:aws:iam::123456789012:role/a
        source_profile = loop-b

        [profile loop-b]
        role_arn = arn:aws:iam::123456789012:role/b
        source_profile = loop-a

        [profile envsource]
        role_arn = arn:aws:iam::123456789012:role/env
        credential_source = Environment

        [profile imdssource]
        role_arn = arn:aws:iam::123456789012:role/imds
        credential_source = Ec2InstanceMetadata

        [profile ecssource]
        role_arn = arn:aws:iam::123456789012:role/ecs
        credential_source = EcsContainer

        [profile badsource]
        role_arn = arn:aws:iam::123456789012:role/x
        credential_source = Magic

        [profile both]
        role_arn = arn:aws:iam::123456789012:role/x
        credential_source = Environment
        source_profile = keys

        [profile nosource]
        role_arn = arn:aws:iam::123456789012:role/x

        [profile webid]
        role_arn = arn:aws:iam::123456789012:role/web
        web_identity_token_file = /var/run/token

        [profile tokenonly]
        web_identity_token_file = /var/run/token

        [profile proc]
        credential_process = /bin/true

        [profile longrole]
        role_arn = arn:aws:iam::123456789012:role/x
        source_profile = keys
        duration_seconds = 99999

        [profile missingsource]
        role_arn = arn:aws:iam::123456789012:role/x
        source_profile = ghost
        """

    func environment(_ extra: [String: String] = [:]) throws -> (TemporaryDirectory, [String: String]) {
        let directory = try TemporaryDirectory()
        try directory.write("config", Self.config)
        return (directory, directory.environment.merging(extra) { $1 })
    }

    @Test func environmentKeysThenWebIdentityThenProfile() throws {
        let (directory, base) = try environment(["AWS_PROFILE": "keys"])
        _ = directory
        let webIdentity = ["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token", "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/eks"]
        let keys = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]
        #expect(try resolveChain(base.merging(keys) { $1 }.merging(webIdentity) { $1 }, profile: "keys").provider.source == "env")
        let web = try resolveChain(base.merging(webIdentity) { $1 }, profile: "keys")
        #expect(web.provider.source == "web-identity")
        #expect(web.provider.description == "web-identity arn:aws:iam::123456789012:role/eks")
        #expect(web.profile == nil)
        let profile = try resolveChain(base, profile: "keys")
        #expect(profile.provider.source == "config-file")
        #expect(profile.profile == "keys")
        // An explicit profile skips both environment sources.
        #expect(try resolveChain(base.merging(keys) { $1 }.merging(webIdentity) { $1 }, profile: "keys", explicit: true).provider.source == "config-file")
        #expect(throws: AWSConfigurationError.partialCredentials(source: "env", missing: "AWS_ROLE_ARN")) {
            try resolveChain(base.merging(["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token"]) { $1 })
        }
    }

    @Test func profileRolesAndTheirSources() throws {
        let (directory, env) = try environment()
        _ = directory
        let role = try resolveChain(env, profile: "role").provider
        #expect(role.source == "assume-role")
        #expect(role.description == "assume-role arn:aws:iam::123456789012:role/admin via config-file")
        #expect(try resolveChain(env, profile: "chained").provider.description == "assume-role arn:aws:iam::123456789012:role/second via assume-role")
        #expect(try resolveChain(env, profile: "self").provider.description == "assume-role arn:aws:iam::123456789012:role/self via config-file")
        #expect(try resolveChain(env, profile: "imdssource").provider.description.hasSuffix("via imds"))
        let envKeys = env.merging(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]) { $1 }
        #expect(try resolveChain(envKeys, profile: "envsource", explicit: true).provider.description.hasSuffix("via env"))
        #expect(try resolveChain(env.merging(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/c"]) { $1 }, profile: "ecssource")
            .provider.description == "assume-role arn:aws:iam::123456789012:role/ecs via ecs")
        #expect(throws: AWSConfigurationError.invalidSetting(
            name: "credential_source", source: "profile ecssource",
            rule: "EcsContainer needs AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
            try resolveChain(env, profile: "ecssource")
        }
        #expect(try resolveChain(env, profile: "webid").provider.source == "web-identity")
        #expect(try resolveChain(env, profile: "proc").provider.description == "process of profile proc")
    }

    @Test func profileMistakesAreClearErrors() throws {
        let (directory, env) = try environment()
        _ = directory
        #expect(throws: AWSConfigurationError.profileCycle(["loop-a", "loop-b", "loop-a"])) {
            try resolveChain(env, profile: "loop-a")
        }
        #expect(AWSConfigurationError.profileCycle(["loop-a", "loop-b", "loop-a"]).description
                == "Infinite loop in profile configuration: source_profile goes loop-a -> loop-b -> loop-a")
        #expect(throws: AWSConfigurationError.invalidSetting(name: "credential_source", source: "profile badsource",
                                                             rule: "must be Environment, Ec2InstanceMetadata or EcsContainer, not Magic")) {
            try resolveChain(env, profile: "badsource")
        }
        #expect(throws: AWSConfigurationError.invalidSetting(name: "source_profile", source: "profile both",
                                                             rule: "cannot be set together with credential_source")) {
            try resolveChain(env, profile: "both")
        }
        #expect(throws: AWSConfigurationError.invalidSetting(name: "role_arn", source: "profile nosource",
                                                             rule: "needs source_profile, credential_source or web_identity_token_file")) {
            try resolveChain(env, profile: "nosource")
        }
        #expect(throws: AWSConfigurationError.partialCredentials(source: "profile tokenonly", missing: "role_arn")) {
            try resolveChain(env, profile: "tokenonly")
        }
        #expect(throws: AWSConfigurationError.invalidSetting(name: "duration_seconds", source: "profile longrole",
                                                             rule: "must be a whole number of seconds from 900 to 43200")) {
            try resolveChain(env, profile: "longrole")
        }
        #expect(throws: AWSConfigurationError.profileNotFound("ghost")) {
            try resolveChain(env, profile: "missingsource")
        }
        #expect(throws: AWSConfigurationError.partialCredentials(source: "env", missing: "AWS_ACCESS_KEY_ID")) {
            try resolveChain(env, profile: "envsource")
        }
        #expect(AWSConfigurationError.invalidSetting(name: "role_arn", source: "profile x", rule: "needs source_profile").description
                == "Invalid role_arn in profile x: it needs source_profile")
    }

    @Test func computePlatformsComeLast() throws {
        let (directory, env) = try environment()
        _ = directory
        #expect(throws: AWSConfigurationError.noCredentials) { try resolveChain(env) }
        let ecs = try resolveChain(env.merging(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"]) { $1 })
        #expect(ecs.provider.description == "ecs http://169.254.170.2/v2/credentials/abc")
        var withMetadata = env
        withMetadata["AWS_EC2_METADATA_DISABLED"] = nil
        withMetadata["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:1/"
        #expect(try resolveChain(withMetadata).provider.description == "imds http://127.0.0.1:1")
        withMetadata["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = nil
        #expect(try resolveChain(withMetadata).provider.description == "imds http://169.254.169.254")
    }

    @Test func containerFullURIMustBeLoopbackOrHTTPS() throws {
        for allowed in ["http://127.0.0.1:8080/creds", "http://localhost/creds", "http://[::1]:9/x", "https://creds.example/x",
                        "http://169.254.170.23/v1/credentials"] {
            #expect(throws: Never.self) { try ContainerCredentialFetcher.checkFullURI(allowed) }
        }
        for refused in ["http://10.0.0.1/creds", "http://creds.example/x", "ftp://127.0.0.1/x", "not a url"] {
            #expect(throws: AWSConfigurationError.self) { try ContainerCredentialFetcher.checkFullURI(refused) }
        }
        #expect(throws: AWSConfigurationError.invalidSetting(name: "AWS_CONTAINER_CREDENTIALS_FULL_URI", source: "env",
                                                             rule: "must use https, or http to a loopback address")) {
            try resolveChain(["HOME": "/nonexistent", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://192.168.1.5/creds"])
        }
    }

    @Test func stsEndpointFollowsTheOverrides() throws {
        let (directory, env) = try environment()
        _ = directory
        let config = try AWSSharedConfig(environment: env)
        #expect(try config.endpoint(service: .sts, argument: nil, profile: "role", region: "eu-west-1").absoluteString
                == "https://sts.eu-west-1.amazonaws.com")
        let withGeneral = try AWSSharedConfig(environment: env.merging(["AWS_ENDPOINT_URL": "http://127.0.0.1:5000"]) { $1 })
        #expect(try withGeneral.endpoint(service: .sts, argument: nil, profile: "role", region: "eu-west-1").absoluteString == "http://127.0.0.1:5000")
        let withSTS = try AWSSharedConfig(environment: env.merging(["AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
                                                                   "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:5001"]) { $1 })
        #expect(try withSTS.endpoint(service: .sts, argument: nil, profile: "role", region: "eu-west-1").absoluteString == "http://127.0.0.1:5001")
    }
}

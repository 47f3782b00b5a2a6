import Testing
@testable import SecretStore

@Suite struct NamingSchemeTests {
    @Test func builtInSchemesNameAndParseSecrets() throws {
        #expect(try NamingScheme.sftpPrefix.secretName(forUser: "jess", serverID: nil) == "SFTP/jess")
        #expect(try NamingScheme.serverPrefix.secretName(forUser: "jess", serverID: "s-0123456789abcdef0") == "s-0123456789abcdef0/jess")
        #expect(try NamingScheme("aws-transfer").secretName(forUser: "jess", serverID: "s-0123456789abcdef0") == "aws/transfer/s-0123456789abcdef0/jess")
        #expect(NamingScheme.sftpPrefix.username(fromSecretName: "SFTP/jess", serverID: nil) == "jess")
        #expect(NamingScheme.sftpPrefix.username(fromSecretName: "other/jess", serverID: nil) == nil)
        #expect(NamingScheme.sftpPrefix.username(fromSecretName: "SFTP/a/b", serverID: nil) == nil)
    }

    @Test func schemeNeedingServerIDRefusesToNameWithoutOne() {
        #expect(throws: NamingSchemeError.self) { try NamingScheme.serverPrefix.secretName(forUser: "jess", serverID: nil) }
    }

    @Test func customTemplatesAreValidated() throws {
        #expect(try NamingScheme("team/{serverId}/users/{username}").secretName(forUser: "a1b", serverID: "s-1") == "team/s-1/users/a1b")
        #expect(throws: NamingSchemeError.self) { try NamingScheme("{username}/SFTP") }
        #expect(throws: NamingSchemeError.self) { try NamingScheme("{username}{username}") }
        #expect(throws: NamingSchemeError.self) { try NamingScheme("sftp users/{username}") }
    }
}

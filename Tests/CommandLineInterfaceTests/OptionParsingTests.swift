import ArgumentParser
@testable import CommandLineInterface
import IdentityModel
import Testing
import UserManagement

/// Arguments parsed by the root command exactly as the binary parses them, without running anything.
@Suite struct OptionParsingTests {
    /// The message and exit status the binary prints for arguments the parser refuses.
    private func refusal(_ arguments: [String]) -> (message: String, code: ExitCode)? {
        do {
            _ = try SFTPIdP.parseAsRoot(arguments)
            return nil
        } catch {
            return (SFTPIdP.message(for: error), SFTPIdP.exitCode(for: error))
        }
    }

    @Test func noArgumentsOpensTheConsole() throws {
        #expect(try SFTPIdP.parseAsRoot([]) is ConsoleCommand)
    }

    @Test func createReadsTheUserAndItsFields() throws {
        let command = try #require(try SFTPIdP.parseAsRoot([
            "users", "create", "jess", "--role", "arn:aws:iam::123456789012:role/sftp", "--home", "/bucket/jess",
            "--network", "10.0.0.0/8", "--store", "/tmp/users.db", "--naming-scheme", "server",
        ]) as? CreateUserCommand)
        #expect(command.username == "jess")
        #expect(command.edits.role == "arn:aws:iam::123456789012:role/sftp")
        #expect(command.edits.home == "/bucket/jess")
        #expect(command.edits.networks == ["10.0.0.0/8"])
        #expect(command.edits.passwordLength == 24)
        #expect(command.storeOptions.store == "/tmp/users.db")
        #expect(command.storeOptions.namingScheme == "server")
    }

    @Test func updateOptionsBecomeEditsInOrder() throws {
        let command = try #require(try SFTPIdP.parseAsRoot([
            "users", "update", "jess", "--role", "arn:aws:iam::123456789012:role/other", "--home", "",
            "--comment", "contractor", "--expires-at", "never", "--allowed-server-id", "s-1",
        ]) as? UpdateUserCommand)
        let (edits, generated) = try command.edits.edits(hashing: .default)
        #expect(edits == [
            .setRole("arn:aws:iam::123456789012:role/other"), .setHome(.path(nil)), .setExpiry(nil),
            .setAllowedServers(["s-1"]), .setComment("contractor"),
        ])
        #expect(generated == nil)
    }

    @Test func updateOnlyOptionsFollowTheSharedOnes() throws {
        let command = try #require(try SFTPIdP.parseAsRoot([
            "users", "update", "jess", "--unset", "Legacy", "--disable", "--remove-public-key", "SHA256:abc", "--comment", "left",
        ]) as? UpdateUserCommand)
        let (edits, generated) = try command.allEdits(hashing: .default)
        #expect(edits == [.setComment("left"), .removeKey(fingerprint: "SHA256:abc"), .setDisabled(true), .removeRawKey("Legacy")])
        #expect(generated == nil)
    }

    @Test func clearingAndSettingThePasswordTogetherIsRefusedNamingBoth() throws {
        let command = try #require(try SFTPIdP.parseAsRoot([
            "users", "update", "jess", "--generate-password", "--password-length", "16", "--clear-password",
        ]) as? UpdateUserCommand)
        let (edits, generated) = try command.allEdits(hashing: Argon2Parameters(memoryKiB: 8, iterations: 1, parallelism: 1))
        #expect(generated?.count == 16)
        #expect(edits.count == 2 && edits.last == .clearPassword)
        let refusal = try #require(throws: UserEditError.self) { try edits.checkCombination() }
        #expect(refusal.description == "edit: a new password and clearing the password change the same thing: give only one of them")
        // The same change given by two options is named once.
        let twiceRefusal = try #require(throws: UserEditError.self) {
            try [UserEdit.setPassword(hash: "a"), UserEdit.setPassword(hash: "b")].checkCombination()
        }
        #expect(twiceRefusal.description == "edit: a new password is given twice (by two options): give it once")
    }

    @Test func aBadFieldValueIsAFailureNamingTheField() throws {
        let command = try #require(try SFTPIdP.parseAsRoot(["users", "update", "jess", "--network", "10.0.0.0/33"]) as? UpdateUserCommand)
        let failure = try #require(throws: CLIFailure.self) { try command.edits.edits(hashing: .default) }
        let rule = try #require(throws: FieldError.self) { try EditInput.networks("10.0.0.0/33") }
        #expect(rule.field == SecretKey.acceptedIpNetwork)
        #expect(failure.message == rule.description)
    }

    @Test func createWithoutARoleIsAUsageError() throws {
        let refused = try #require(refusal(["users", "create", "jess"]))
        #expect(refused.message == "--role is required: a user without a Role cannot log in")
        #expect(refused.code == .validationFailure)
    }

    @Test func createRefusesABadUserName() throws {
        let refused = try #require(refusal(["users", "create", "-x", "--role", "arn:aws:iam::123456789012:role/sftp"]))
        #expect(refused.code == .validationFailure)
        let refusedName = try #require(refusal(["users", "create", "a b", "--role", "arn:aws:iam::123456789012:role/sftp"]))
        #expect(refusedName.message == Validation.userName("a b")?.description)
        #expect(refusedName.code == .validationFailure)
    }

    @Test func passwordLengthOutsideItsRangeIsRefused() throws {
        let refused = try #require(refusal(["users", "update", "jess", "--generate-password", "--password-length", "3"]))
        #expect(refused.message == "--password-length must be between \(PasswordGenerator.lengthRange.lowerBound) and \(PasswordGenerator.lengthRange.upperBound)")
        #expect(refused.code == .validationFailure)
    }

    @Test func testLoginTakesOnePasswordSource() throws {
        let refused = try #require(refusal(["test-login", "--user-name", "jess", "--user-password", "pw", "--password-stdin"]))
        #expect(refused.message == "give either --user-password or --password-stdin, not both")
        #expect(refused.code == .validationFailure)
    }

    @Test func testLoginNamesTheProtocolRule() throws {
        let refused = try #require(refusal(["test-login", "--user-name", "jess", "--server-protocol", "SCP"]))
        #expect(refused.message == "--server-protocol must be SFTP, FTP or FTPS, not \"SCP\"")
    }

    @Test func rolePolicyNeedsExplainAccess() throws {
        let refused = try #require(refusal(["test-login", "--user-name", "jess", "--role-policy", "policy.json"]))
        #expect(refused.message == "--role-policy is only used with --explain-access")
        let parsed = try SFTPIdP.parseAsRoot(["test-login", "--server-id", "s-0123456789abcdef0", "--user-name", "jess", "--role-policy", "policy.json", "--explain-access"])
        #expect((parsed as? TestLoginCommand)?.access.rolePolicy == ["policy.json"])
    }

    @Test func serveTakesOneWayToAuthenticate() throws {
        let both = try #require(refusal(["serve", "--auth-token-file", "token", "--insecure-no-auth"]))
        #expect(both.message == "give either --auth-token-file or --insecure-no-auth, not both")
        let neither = try #require(refusal(["serve"]))
        #expect(neither.message == "callers must authenticate: give --auth-token-file FILE (or --insecure-no-auth on a loopback --host)")
        let halfTLS = try #require(refusal(["serve", "--insecure-no-auth", "--tls-cert", "cert.pem"]))
        #expect(halfTLS.message == "--tls-cert and --tls-key go together")
    }

    @Test func boundedNumbersAreChecked() throws {
        #expect(refusal(["audit", "--limit", "0"])?.message == "--limit must be at least 1")
        #expect(refusal(["users", "delete", "jess", "--recovery-window-days", "3"])?.message == "--recovery-window-days must be between 7 and 30")
        #expect(refusal(["store", "copy", "--from", "a.db", "--to", "a.db"])?.message == "--from and --to name the same store")
    }

    @Test func storeOptionsGoAfterTheSubcommand() throws {
        let refused = try #require(refusal(["--store", "aws:eu-west-1", "users", "list"]))
        #expect(refused.message == "2 unexpected arguments: 'users', 'list'")
        #expect(refused.code == .validationFailure)
        let parsed = try #require(try SFTPIdP.parseAsRoot(["users", "list", "--store", "aws:eu-west-1"]) as? ListUsersCommand)
        #expect(parsed.storeOptions.store == "aws:eu-west-1")
    }
}

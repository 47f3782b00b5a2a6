import ArgumentParser
import Foundation
import IdentityModel
import UserManagement

/// The options that set a user's fields, shared by `users create` and `users update`.
///
/// Each option becomes one ``UserEdit``: the options only read their text with ``EditInput`` (the same reading
/// the console's forms use) and hand the edits to ``UserDirectory``. Options not given leave their field
/// unchanged, and keys sftpidp does not know are always kept.
struct UserEditOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The IAM role ARN returned as Role.", valueName: "ARN"))
    var role: String?

    @Option(help: ArgumentHelp("A PATH home directory, /bucket/prefix; empty for the bucket root.", valueName: "PATH"))
    var home: String?

    @Option(name: .customLong("home-mapping"), help: ArgumentHelp("A LOGICAL home mapping ENTRY=TARGET, e.g. /=/bucket/home/jess (repeatable; replaces all mappings).", valueName: "ENTRY=TARGET"))
    var homeMappings: [String] = []

    @Option(name: .customLong("public-key"), help: ArgumentHelp("An OpenSSH public key line (repeatable; replaces all keys).", valueName: "KEY"))
    var publicKeys: [String] = []

    @Option(name: .customLong("public-key-file"), help: ArgumentHelp("A file with OpenSSH public key lines, e.g. ~/.ssh/id_ed25519.pub (repeatable; replaces all keys).", valueName: "FILE"))
    var publicKeyFiles: [String] = []

    @Flag(help: "Read the new password from standard input (one line).")
    var passwordStdin = false

    @Flag(help: "Generate a new password and print it once on standard output.")
    var generatePassword = false

    @Option(help: ArgumentHelp("Length of a generated password.", valueName: "N"))
    var passwordLength: Int = 24

    @Option(help: ArgumentHelp("A file holding the scope-down policy JSON.", valueName: "FILE"))
    var policyFile: String?

    @Option(name: .customLong("network"), help: ArgumentHelp("An accepted source network in CIDR form, IPv4 or IPv6 (repeatable; replaces all).", valueName: "CIDR"))
    var networks: [String] = []

    @Option(help: ArgumentHelp("The POSIX profile UID:GID[:GID,GID...]; empty removes it.", valueName: "UID:GID[:GIDS]"))
    var posix: String?

    @Option(help: ArgumentHelp("The date the user stops being able to log in (YYYY-MM-DD or ISO-8601); 'never' or empty for none.", valueName: "DATE"))
    var expiresAt: String?

    @Option(name: .customLong("allowed-server-id"), help: ArgumentHelp("Only allow logins to this server id (repeatable; replaces all).", valueName: "ID"))
    var allowedServerIDs: [String] = []

    @Option(help: ArgumentHelp("A free-text comment kept with the user.", valueName: "TEXT"))
    var comment: String?

    func validate() throws {
        if !PasswordGenerator.lengthRange.contains(passwordLength) {
            throw ValidationError("--password-length must be between \(PasswordGenerator.lengthRange.lowerBound) and \(PasswordGenerator.lengthRange.upperBound)")
        }
    }

    /// The edits the given options ask for, and the generated password (if one was asked for) so that the
    /// caller prints it only after the write succeeded. Reads standard input for `--password-stdin`.
    func edits(hashing: Argon2Parameters) throws -> (edits: [UserEdit], generated: String?) {
        do throws(FieldError) {
            var edits: [UserEdit] = []
            if let role { edits.append(.setRole(role)) }
            if let home { edits.append(.setHome(.path(home.isEmpty ? nil : home))) }
            if !homeMappings.isEmpty {
                var mappings: [HomeMapping] = []
                for text in homeMappings { mappings.append(try EditInput.homeMapping(text)) }
                edits.append(.setHome(.logical(mappings)))
            }
            if let policyFile { edits.append(.setPolicy(try readTextFile(policyFile, field: SecretKey.policy))) }
            if !networks.isEmpty { edits.append(.setNetworks(try EditInput.networks(networks.joined(separator: ",")))) }
            if let posix { edits.append(.setPosixProfile(try EditInput.posixProfile(posix))) }
            if let expiresAt { edits.append(.setExpiry(try EditInput.expiry(expiresAt))) }
            if !allowedServerIDs.isEmpty { edits.append(.setAllowedServers(allowedServerIDs)) }
            if let comment { edits.append(.setComment(comment)) }
            if !publicKeys.isEmpty || !publicKeyFiles.isEmpty {
                var keys: [SSHPublicKey] = []
                for line in publicKeys { keys += try EditInput.publicKeys(line) }
                for path in publicKeyFiles { keys += try EditInput.publicKeys(inFile: path) }
                edits.append(.replaceKeys(keys))
            }
            var generated: String?
            if passwordStdin {
                let password = try EditInput.password(standardInput: FileHandle.standardInput.readDataToEndOfFile())
                edits.append(.setPassword(hash: try hash(password, hashing)))
            }
            if generatePassword {
                let password = try hashFailure { try PasswordGenerator.generate(length: passwordLength) }
                generated = password
                edits.append(.setPassword(hash: try hash(password, hashing)))
            }
            return (edits, generated)
        } catch {
            throw CLIFailure(error.description)
        }
    }

    private func hash(_ password: String, _ parameters: Argon2Parameters) throws(FieldError) -> String {
        try hashFailure { try PasswordHasher.hash(password, parameters: parameters) }
    }

    private func hashFailure<T>(_ work: () throws -> T) throws(FieldError) -> T {
        do { return try work() } catch { throw FieldError(field: SecretKey.passwordHash, rule: "\(error)") }
    }
}

/// The password on standard input, by the one rule of ``EditInput/password(standardInput:)``.
func readPasswordFromStandardInput() throws -> String {
    do {
        return try EditInput.password(standardInput: FileHandle.standardInput.readDataToEndOfFile())
    } catch {
        throw CLIFailure(error.description)
    }
}

/// The UTF-8 text of a file, `~` expanded; a clear error naming the field otherwise.
func readTextFile(_ path: String, field: String) throws(FieldError) -> String {
    let expanded = EditInput.expandingTilde(in: path)
    guard let data = FileManager.default.contents(atPath: expanded) else {
        throw FieldError(field: field, rule: "cannot read \(expanded)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw FieldError(field: field, rule: "\(expanded) is not UTF-8 text")
    }
    return text
}

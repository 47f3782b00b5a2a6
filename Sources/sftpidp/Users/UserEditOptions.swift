import ArgumentParser
import Foundation
import IdentityModel

/// The options that set a user's fields, shared by `users create` and `users update`.
///
/// Each option replaces the field it names; options not given leave their field unchanged, and keys
/// sftpidp does not know are always kept.
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

    @Option(help: ArgumentHelp("The POSIX profile UID:GID[:GID,GID...].", valueName: "UID:GID[:GIDS]"))
    var posix: String?

    @Option(help: ArgumentHelp("The date the user stops being able to log in (YYYY-MM-DD or ISO-8601), or 'never'.", valueName: "DATE"))
    var expiresAt: String?

    @Option(name: .customLong("allowed-server-id"), help: ArgumentHelp("Only allow logins to this server id (repeatable; replaces all).", valueName: "ID"))
    var allowedServerIDs: [String] = []

    @Option(help: ArgumentHelp("A free-text comment kept with the user.", valueName: "TEXT"))
    var comment: String?

    func validate() throws {
        if home != nil, !homeMappings.isEmpty {
            throw ValidationError("--home and --home-mapping exclude each other: a user's home is either a PATH or LOGICAL mappings")
        }
        if passwordStdin, generatePassword {
            throw ValidationError("--password-stdin and --generate-password exclude each other")
        }
        if !PasswordGenerator.lengthRange.contains(passwordLength) {
            throw ValidationError("--password-length must be between \(PasswordGenerator.lengthRange.lowerBound) and \(PasswordGenerator.lengthRange.upperBound)")
        }
    }

    /// True when at least one field option was given.
    var changesAnything: Bool {
        role != nil || home != nil || !homeMappings.isEmpty || !publicKeys.isEmpty || !publicKeyFiles.isEmpty
            || passwordStdin || generatePassword || policyFile != nil || !networks.isEmpty || posix != nil
            || expiresAt != nil || !allowedServerIDs.isEmpty || comment != nil
    }

    /// Applies every given option to `user`. Returns the generated password, if one was asked for, so that
    /// the caller prints it only after the write succeeded.
    func apply(to user: inout SFTPUser, hashing: Argon2Parameters) throws -> String? {
        do {
            return try applyFields(to: &user, hashing: hashing)
        } catch let error as FieldError {
            throw CLIFailure(error.description)
        }
    }

    private func applyFields(to user: inout SFTPUser, hashing: Argon2Parameters) throws -> String? {
        if let role { user.setRole(role) }
        if let home { user.setHome(.path(home.isEmpty ? nil : home)) }
        if !homeMappings.isEmpty { user.setHome(.logical(try homeMappings.map(Self.parseMapping))) }
        if let policyFile { user.setPolicy(try readFile(policyFile, field: "--policy-file")) }
        if !networks.isEmpty { user.setNetworks(try parseNetworks(networks.joined(separator: ","))) }
        if let posix { user.setPosixProfile(try Self.parsePosix(posix)) }
        if let expiresAt { user.setExpiresAt(try Self.parseDate(expiresAt, field: "--expires-at")) }
        if !allowedServerIDs.isEmpty {
            for id in allowedServerIDs {
                if let error = Validation.serverID(id, field: "--allowed-server-id") { throw CLIFailure(error.description) }
            }
            user.setAllowedServerIDs(allowedServerIDs)
        }
        if let comment { user.setComment(comment.isEmpty ? nil : comment) }

        let keyLines = try publicKeys + publicKeyFiles.flatMap { try keyLinesInFile($0) }
        if !keyLines.isEmpty {
            let keys = try keyLines.map { try parseKey($0) }
            var secret = user.secret
            secret[SecretKey.publicKey] = nil
            secret[SecretKey.publicKeys] = nil
            user = SFTPUser(secret: secret)
            for key in keys { try user.addPublicKey(key) }
        }

        var generated: String?
        var password: String?
        if passwordStdin { password = try readPasswordFromStandardInput() }
        if generatePassword {
            generated = try PasswordGenerator.generate(length: passwordLength)
            password = generated
        }
        if let password {
            if let error = Validation.password(password, field: "password") { throw CLIFailure(error.description) }
            try user.setPassword(hash: try PasswordHasher.hash(password, parameters: hashing))
        }
        return generated
    }

    /// `ENTRY=TARGET` as a logical home mapping.
    static func parseMapping(_ text: String) throws -> HomeMapping {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw CLIFailure("--home-mapping \(text): must be ENTRY=TARGET, e.g. /=/bucket/home/jess")
        }
        return HomeMapping(entry: String(parts[0]), target: String(parts[1]))
    }

    /// `UID:GID[:GID,GID...]` as a POSIX profile.
    static func parsePosix(_ text: String) throws -> PosixProfile {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        func id(_ part: Substring) throws -> UInt32 {
            guard let value = UInt32(part) else {
                throw CLIFailure("--posix: \"\(part)\" is not an id from 0 to 4294967295 (format UID:GID[:GID,GID...])")
            }
            return value
        }
        guard (2...3).contains(parts.count) else {
            throw CLIFailure("--posix must be UID:GID or UID:GID:GID,GID,...")
        }
        let secondary = parts.count == 3 && !parts[2].isEmpty ? try parts[2].split(separator: ",").map(id) : []
        return PosixProfile(uid: try id(parts[0]), gid: try id(parts[1]), secondaryGids: secondary)
    }

    /// `never`, `YYYY-MM-DD` (midnight UTC) or an ISO-8601 date-time.
    static func parseDate(_ text: String, field: String) throws -> Date? {
        if text == "never" { return nil }
        guard let date = ISODate.parse(text) else {
            throw CLIFailure("\(field): \"\(text)\" is not a date: use YYYY-MM-DD, an ISO-8601 date-time, or never")
        }
        return date
    }
}

/// Parses one key line, turning the parser's error into a CLI failure that names the option.
func parseKey(_ line: String) throws -> SSHPublicKey {
    do {
        return try SSHPublicKey(parsing: line)
    } catch {
        throw CLIFailure("public key: \(error)")
    }
}

/// Parses a comma-separated list of CIDRs.
func parseNetworks(_ text: String) throws -> [IPNetwork] {
    do {
        return try IPNetwork.parseList(text)
    } catch {
        throw CLIFailure("--network: \(error)")
    }
}

/// The key lines of a `.pub` or `authorized_keys`-style file (blank lines and `#` comments skipped).
func keyLinesInFile(_ path: String) throws -> [String] {
    let text = try readFile(path, field: "--public-key-file")
    return text.split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
}

/// The UTF-8 text of a file, `~` expanded; a clear error naming the option otherwise.
func readFile(_ path: String, field: String) throws -> String {
    let expanded = NSString(string: path).expandingTildeInPath
    guard let data = FileManager.default.contents(atPath: expanded) else {
        throw CLIFailure("\(field): cannot read \(expanded)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw CLIFailure("\(field): \(expanded) is not UTF-8 text")
    }
    return text
}

/// One password read from standard input, without its line ending.
func readPasswordFromStandardInput() throws -> String {
    let data = FileHandle.standardInput.readDataToEndOfFile()
    guard var text = String(data: data, encoding: .utf8) else {
        throw CLIFailure("--password-stdin: the password is not UTF-8 text")
    }
    if text.last?.isNewline == true { text.removeLast() }
    guard !text.isEmpty else { throw CLIFailure("--password-stdin: standard input held no password") }
    return text
}

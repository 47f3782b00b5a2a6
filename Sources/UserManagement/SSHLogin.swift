import Foundation
import IdentityModel
import SecretStore

/// Who opened this session over ssh: the public key OpenSSH authenticated the login with, read from the file that
/// `SSH_USER_AUTH` names (sshd sets it with `ExposeAuthInfo yes`), and the admin that key belongs to.
///
/// Several people share one ssh account that opens only the console; the key tells them apart in the audit trail.
public struct SSHLogin: Sendable, Hashable {
    /// The operating-system account logged in to.
    public var account: String
    /// The key the login was authenticated with (the last `publickey` method in the file).
    public var key: SSHPublicKey
    /// The comment of the same key in the admin keys file (e.g. `alice@laptop`); nil when the file does not list it.
    public var admin: String?

    /// The login of this process, nil when there is no `SSH_USER_AUTH` (not over ssh, or `ExposeAuthInfo no`) or the
    /// file names no public key (a password login). `adminKeys` is the text of the admin keys file, when there is one.
    public static func current(environment: [String: String], adminKeys: String? = nil) throws(SSHLoginError) -> SSHLogin? {
        guard let path = environment["SSH_USER_AUTH"], !path.isEmpty else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SSHLoginError("SSH_USER_AUTH names \(path), which cannot be read")
        }
        guard let key = try authenticatedKey(in: text) else { return nil }
        let account = WriterIdentity.processAccount
        let admin = try adminKeys.flatMap { keys throws(SSHLoginError) in try adminName(of: key, in: keys) }
        return SSHLogin(account: account, key: key, admin: admin)
    }

    /// The key of the last `publickey` line of an `SSH_USER_AUTH` file (`publickey TYPE BASE64`, one line per
    /// authentication method that succeeded); nil when there is none.
    static func authenticatedKey(in text: String) throws(SSHLoginError) -> SSHPublicKey? {
        guard let line = text.split(whereSeparator: \.isNewline).last(where: { $0.hasPrefix("publickey ") }) else { return nil }
        do {
            return try SSHPublicKey(parsing: String(line.dropFirst("publickey ".count)))
        } catch {
            throw SSHLoginError("the key in SSH_USER_AUTH is not understood: \(error)")
        }
    }

    /// The comment of `key` in an admin keys file (one OpenSSH public key per line, its comment naming the admin;
    /// blank lines and `#` comments skipped); an empty name when the key is listed without a comment; nil when absent.
    static func adminName(of key: SSHPublicKey, in text: String) throws(SSHLoginError) -> String? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            let listed: SSHPublicKey
            do {
                listed = try SSHPublicKey(parsing: trimmed)
            } catch {
                throw SSHLoginError("admin keys line \(index + 1): \(error)")
            }
            if listed.blob == key.blob { return listed.comment ?? "" }
        }
        return nil
    }

    /// Whether the admin keys file lists the login's key.
    public var isAdmin: Bool { admin != nil }

    /// How the audit trail names the writer: the account, the admin's name when known, and the key's fingerprint,
    /// e.g. `sftp-console (alice@laptop, SHA256:…)`.
    public var actor: String {
        let name = admin.flatMap { $0.isEmpty ? nil : $0 }
        return "\(account) (\(name.map { "\($0), " } ?? "")\(key.fingerprint))"
    }
}

/// Why the ssh login could not be identified.
public struct SSHLoginError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

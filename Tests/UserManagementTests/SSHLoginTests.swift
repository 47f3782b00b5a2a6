import Foundation
import SecretStore
import Testing
@testable import UserManagement

/// Reading the ssh login from `SSH_USER_AUTH` (as sshd writes it with `ExposeAuthInfo yes`) and naming its admin.
@Suite("The ssh login")
struct SSHLoginTests {
    // Made with `ssh-keygen -t ed25519 -C alice@laptop` and `-C bob@desk`; the fingerprint is what `ssh-keygen -lf` printed.
    static let alice = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICRr8WSebO5zhz9MryR9qpGlZxEv9SeInJvJhO/HfFmk"
    static let aliceFingerprint = "SHA256:RPqkdphQBAKogf9/Q+tJGcrLqNb9x69O03NWv/CpyFo"
    static let bob = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBoy34yBP3yCsmk/QcXGjDEJAbd1OorT+fqqgPcnnP/8"

    static func authFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ssh-user-auth-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("the key of the last publickey method names the admin from the admin keys file, with the fingerprint")
    func admin() throws {
        // A login with two methods (AuthenticationMethods publickey,keyboard-interactive) lists both.
        let path = try Self.authFile("publickey \(Self.bob)\npublickey \(Self.alice)\nkeyboard-interactive\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let adminKeys = "# admins\n\n\(Self.alice) alice@laptop\n"
        let login = try #require(try SSHLogin.current(environment: ["SSH_USER_AUTH": path, "USER": "sftp-console"], adminKeys: adminKeys))
        #expect(login.key.fingerprint == Self.aliceFingerprint)
        #expect(login.isAdmin)
        // The account is the process's own, from its user id: USER (any caller can set it) is not believed.
        #expect(login.actor == "\(WriterIdentity.processAccount) (alice@laptop, \(Self.aliceFingerprint))")
    }

    @Test("a key the admin keys file does not list is no admin, and is still named by its fingerprint")
    func notAdmin() throws {
        let path = try Self.authFile("publickey \(Self.alice)\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let login = try #require(try SSHLogin.current(environment: ["SSH_USER_AUTH": path, "USER": "sftp-console"], adminKeys: "\(Self.bob) bob@desk\n"))
        #expect(!login.isAdmin)
        #expect(login.actor == "\(WriterIdentity.processAccount) (\(Self.aliceFingerprint))")
    }

    @Test("no SSH_USER_AUTH or a password login: no ssh login; an unreadable file or bad admin keys line: a clear error")
    func absentAndBroken() throws {
        #expect(try SSHLogin.current(environment: [:]) == nil)
        let password = try Self.authFile("password\n")
        defer { try? FileManager.default.removeItem(atPath: password) }
        #expect(try SSHLogin.current(environment: ["SSH_USER_AUTH": password]) == nil)
        #expect(throws: SSHLoginError("SSH_USER_AUTH names /nonexistent/auth, which cannot be read")) {
            try SSHLogin.current(environment: ["SSH_USER_AUTH": "/nonexistent/auth"])
        }
        let key = try Self.authFile("publickey \(Self.alice)\n")
        defer { try? FileManager.default.removeItem(atPath: key) }
        let error = #expect(throws: SSHLoginError.self) {
            try SSHLogin.current(environment: ["SSH_USER_AUTH": key], adminKeys: "\(Self.bob)\nnot a key\n")
        }
        #expect(error?.description.hasPrefix("admin keys line 2: ") == true, "\(String(describing: error))")
    }
}

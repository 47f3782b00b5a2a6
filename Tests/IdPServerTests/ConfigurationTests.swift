import Foundation
import IdentityProvider
@testable import IdPServer
import Testing

@Suite("Server configuration, token file, token comparison")
struct ConfigurationTests {
    @Test("no authentication only on loopback", arguments: [("127.0.0.1", true), ("127.8.9.10", true), ("::1", true), ("[::1]", true), ("localhost", true), ("0.0.0.0", false), ("192.0.2.1", false), ("::", false), ("example.com", false)])
    func loopback(host: String, allowed: Bool) {
        #expect(IdPServerConfiguration.isLoopback(host) == allowed)
        let configuration = IdPServerConfiguration(host: host, authentication: .none)
        if allowed {
            #expect(throws: Never.self) { try configuration.validate() }
        } else {
            #expect(throws: IdPServerError.self) { try configuration.validate() }
        }
    }

    @Test("ports outside 0...65535 are refused")
    func ports() {
        #expect(throws: IdPServerError("--port must be between 0 and 65535, not 70000")) {
            try IdPServerConfiguration(port: 70000, authentication: .bearerToken("t")).validate()
        }
    }

    @Test("the token file must be private, non-empty and one token")
    func tokenFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("idp-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("token").path

        func write(_ text: String, mode: Int) throws {
            try? FileManager.default.removeItem(atPath: path)
            #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]))
        }

        try write("s3cret-token\n", mode: 0o600)
        #expect(try AuthTokenFile.readToken(at: path) == "s3cret-token")

        try write("s3cret-token\n", mode: 0o644)
        #expect(throws: IdPServerError("auth token file \(path) must not be readable or writable by group or others (mode is 644; run chmod 600 \(path))")) {
            try AuthTokenFile.readToken(at: path)
        }
        try write(" \n", mode: 0o600)
        #expect(throws: IdPServerError("auth token file \(path) is empty: put a long random token in it (e.g. openssl rand -hex 32)")) {
            try AuthTokenFile.readToken(at: path)
        }
        try write("two tokens", mode: 0o600)
        #expect(throws: IdPServerError.self) { try AuthTokenFile.readToken(at: path) }
        #expect(throws: IdPServerError("auth token file \(directory.path)/missing cannot be read: it does not exist or is not accessible")) {
            try AuthTokenFile.readToken(at: directory.path + "/missing")
        }
        #expect(throws: IdPServerError("auth token file \(directory.path) must be a regular file")) {
            try AuthTokenFile.readToken(at: directory.path)
        }
    }

    @Test("token comparison")
    func comparison() {
        let expected = Array("abcdef".utf8)
        #expect(ConstantTime.equal(expected, expected))
        #expect(!ConstantTime.equal(Array("abcdeg".utf8), expected))
        #expect(!ConstantTime.equal(Array("abcde".utf8), expected))
        #expect(!ConstantTime.equal(Array("abcdefg".utf8), expected))
        #expect(!ConstantTime.equal([], expected))
    }

    @Test("log text escapes control characters and is capped")
    func logText() {
        #expect(loggable("eve\nINFO fake line") == #"eve\nINFO fake line"#)
        #expect(loggable(nil) == "-")
        #expect(loggable(String(repeating: "a", count: 300)).count == 259)
    }
}

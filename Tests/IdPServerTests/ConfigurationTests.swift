import Foundation
import IdentityProvider
@testable import IdPServer
import PeerTesting
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
        #expect(throws: IdPServerError("auth token file \(directory.path)/missing cannot be opened: No such file or directory")) {
            try AuthTokenFile.readToken(at: directory.path + "/missing")
        }
        #expect(throws: IdPServerError("auth token file \(directory.path) must be a regular file")) {
            try AuthTokenFile.readToken(at: directory.path)
        }
    }

    @Test("the token file is opened once without following links, and must be a regular file of this user")
    func ownerOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("idp-owner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let real = directory.appendingPathComponent("token").path
        #expect(FileManager.default.createFile(atPath: real, contents: Data("tok\n".utf8), attributes: [.posixPermissions: 0o600]))
        let link = directory.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        #expect(throws: IdPServerError("auth token file \(link) is a symbolic link: give the path of the file itself")) {
            try AuthTokenFile.readToken(at: link)
        }
        let fifo = directory.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: IdPServerError("auth token file \(fifo) must be a regular file")) {
            try AuthTokenFile.readToken(at: fifo)
        }
        #expect(throws: IdPServerError("auth token file \(real) must not be readable or writable by group or others (mode is 640; run chmod 600 \(real))")) {
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: real)
            return try AuthTokenFile.readToken(at: real)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: real)
        // Another owner: only root can hand a file to someone else, so this part needs root.
        if geteuid() == 0 {
            #expect(chown(real, 65534, 65534) == 0)
            #expect(throws: IdPServerError("auth token file \(real) must be owned by the user running sftpidp (uid 0), not uid 65534")) {
                try AuthTokenFile.readToken(at: real)
            }
        }
    }

    @Test("plain HTTP off loopback needs --insecure-plain-http or TLS; the connection cap has a range")
    func plainHTTP() throws {
        for host in ["0.0.0.0", "192.0.2.1", "::"] {
            #expect(throws: IdPServerError("--host \(host) is not a loopback address: serve HTTPS with --tls-cert and --tls-key, or give --insecure-plain-http to send the bearer token and passwords in clear (only behind a TLS-terminating proxy on a private network)")) {
                try IdPServerConfiguration(host: host, authentication: .bearerToken("t")).validate()
            }
            #expect(throws: Never.self) { try IdPServerConfiguration(host: host, authentication: .bearerToken("t"), allowsPlainHTTPOffLoopback: true).validate() }
        }
        #expect(throws: Never.self) { try IdPServerConfiguration(host: "127.0.0.1", authentication: .bearerToken("t")).validate() }
        #expect(throws: IdPServerError("--max-connections must be between 1 and 65536, not 0")) {
            try IdPServerConfiguration(authentication: .bearerToken("t"), maxConnections: 0).validate()
        }
    }

    @Test("TLS: at least 1.2, AEAD suites only, and the key file must be private")
    func tls() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("idp-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        try ExternalProcess.run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=localhost", "-days", "1", "-keyout", key, "-out", cert])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        let configuration = try IdPServerConfiguration.tlsConfiguration(certificatePath: cert, keyPath: key)
        #expect(configuration.minimumTLSVersion == .tlsv12)
        #expect(configuration.cipherSuites == "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305")
        #expect(!configuration.cipherSuites.contains("CBC") && !configuration.cipherSuites.contains("SHA:"))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        #expect(throws: IdPServerError("--tls-key \(key) must not be readable or writable by group or others (mode is 644; run chmod 600 \(key))")) {
            try IdPServerConfiguration.tlsConfiguration(certificatePath: cert, keyPath: key)
        }
    }

    @Test("numeric options: nan, infinite, negative or huge values are refused naming the option")
    func numericOptions() {
        let cases: [(WritableKeyPath<ServeLimits, Double>, String, String)] = [
            (\.throttleWindow, "--throttle-window", "1 to 86400"),
            (\.throttleCooldown, "--throttle-cooldown", "1 to 86400"),
            (\.userDelayMax, "--user-delay-max", "0 to 60"),
        ]
        for (field, option, range) in cases {
            for bad in [Double.nan, .infinity, -.infinity, -1, 1e300] {
                var limits = Self.defaultLimits
                limits[keyPath: field] = bad
                #expect(throws: IdPServerError("\(option) must be a number of seconds from \(range), not \(bad)")) {
                    try limits.checked()
                }
            }
        }
    }

    @Test("whole-number options out of range are refused naming the option")
    func wholeOptions() {
        let cases: [(WritableKeyPath<ServeLimits, Int>, String, String)] = [
            (\.port, "--port", "0 to 65535"), (\.maxConnections, "--max-connections", "1 to 65536"),
            (\.maxFailuresPerIP, "--max-failures-per-ip", "0 to 1000000"), (\.maxFailuresPerUser, "--max-failures-per-user", "0 to 1000000"),
            (\.hashingQueue, "--hashing-queue", "0 to 100000"),
        ]
        for (field, option, range) in cases {
            for bad in [-1, Int.max] {
                var limits = Self.defaultLimits
                limits[keyPath: field] = bad
                #expect(throws: IdPServerError("\(option) must be a whole number from \(range), not \(bad)")) { try limits.checked() }
            }
        }
        var limits = Self.defaultLimits
        limits.cacheTTL = .nan
        #expect(throws: IdPServerError("--cache-ttl must be a number of seconds from 0 to 3600, not nan")) { try limits.checked() }
        limits.cacheTTL = nil
        limits.hashingThreads = 0
        #expect(throws: IdPServerError("--hashing-threads must be a whole number from 1 to 256, not 0")) { try limits.checked() }
        #expect(throws: Never.self) { try Self.defaultLimits.checked() }
    }

    static let defaultLimits = ServeLimits(port: 8080, cacheTTL: nil, maxFailuresPerIP: 20, maxFailuresPerUser: 5, throttleWindow: 900, throttleCooldown: 900, userDelayMax: 16, maxConnections: 1024, hashingThreads: nil, hashingQueue: 64)

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

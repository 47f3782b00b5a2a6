import Foundation
import HummingbirdTLS

/// How `sftpidp serve` listens and whom it answers.
public struct IdPServerConfiguration: Sendable {
    /// The address to bind; `127.0.0.1` by default.
    public var host: String
    /// The port; 0 picks a free one (reported once listening).
    public var port: Int
    public var authentication: CallerAuthentication
    /// TLS certificate and key, or `nil` for plain HTTP.
    public var tls: TLSConfiguration?
    /// Plain HTTP on a non-loopback address (tokens and passwords in clear): refused unless this is set.
    public var allowsPlainHTTPOffLoopback: Bool
    /// Most connections open at once; further ones wait in the listen backlog until one closes.
    public var maxConnections: Int
    /// Largest accepted request body; larger bodies get 413.
    public var maxBodySize: Int
    /// Largest single header field (name and value) in bytes.
    public var maxHeaderFieldSize: Int
    /// Largest total of all header fields in bytes.
    public var maxHeaderListSize: Int
    /// Most header fields in one request.
    public var maxHeaderFieldCount: Int
    /// Idle connections are closed after this long.
    public var idleTimeout: Duration
    /// Adds `GET /benchmark/baseline`, answering `{}` without asking the handler: the trivial route that
    /// `scripts/bench-http.sh` compares the real endpoint against, behind the same middleware.
    public var benchmarkBaselineRoute: Bool

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        authentication: CallerAuthentication,
        tls: TLSConfiguration? = nil,
        allowsPlainHTTPOffLoopback: Bool = false,
        maxConnections: Int = defaultMaxConnections,
        maxBodySize: Int = 64 * 1024,
        maxHeaderFieldSize: Int = 8 * 1024,
        maxHeaderListSize: Int = 32 * 1024,
        maxHeaderFieldCount: Int = 100,
        idleTimeout: Duration = .seconds(60),
        benchmarkBaselineRoute: Bool = false
    ) {
        self.host = host
        self.port = port
        self.authentication = authentication
        self.tls = tls
        self.allowsPlainHTTPOffLoopback = allowsPlainHTTPOffLoopback
        self.maxConnections = maxConnections
        self.maxBodySize = maxBodySize
        self.maxHeaderFieldSize = maxHeaderFieldSize
        self.maxHeaderListSize = maxHeaderListSize
        self.maxHeaderFieldCount = maxHeaderFieldCount
        self.idleTimeout = idleTimeout
        self.benchmarkBaselineRoute = benchmarkBaselineRoute
    }

    /// The connection cap unless told otherwise.
    public static let defaultMaxConnections = 1024
    /// The largest connection cap accepted.
    public static let connectionLimitRange = 1...65_536

    /// Throws ``IdPServerError`` when the settings are unsafe or unusable: no authentication or plain HTTP off
    /// loopback (unless allowed), a port outside 0...65535, a connection cap outside 1...65536.
    public func validate() throws {
        guard (0...65535).contains(port) else {
            throw IdPServerError("--port must be between 0 and 65535, not \(port)")
        }
        guard Self.connectionLimitRange.contains(maxConnections) else {
            throw IdPServerError("--max-connections must be between 1 and 65536, not \(maxConnections)")
        }
        if case .none = authentication, !Self.isLoopback(host) {
            throw IdPServerError("--insecure-no-auth is only allowed when bound to a loopback address (127.0.0.1, ::1 or localhost), not \(host)")
        }
        if tls == nil, !allowsPlainHTTPOffLoopback, !Self.isLoopback(host) {
            throw IdPServerError("--host \(host) is not a loopback address: serve HTTPS with --tls-cert and --tls-key, or give --insecure-plain-http to send the bearer token and passwords in clear (only behind a TLS-terminating proxy on a private network)")
        }
        if case .bearerToken(let token) = authentication, token.isEmpty {
            throw IdPServerError("the bearer token must not be empty")
        }
    }

    /// True for `localhost`, `::1` and every `127.x.x.x` address.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }

    /// A TLS server configuration from PEM certificate-chain and private-key files: TLS 1.2 at least, and for
    /// TLS 1.2 only ECDHE key exchange with AES-GCM or ChaCha20-Poly1305 (no CBC, no RSA key exchange).
    ///
    /// The key file is read as an ``OwnerOnlyFile``: no symbolic link, owned by the running user, mode 600 or stricter.
    public static func tlsConfiguration(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw IdPServerError("--tls-cert \(certificatePath) cannot be read as a PEM certificate chain")
        }
        guard !certificates.isEmpty else {
            throw IdPServerError("--tls-cert \(certificatePath) holds no PEM certificate")
        }
        let keyBytes = try OwnerOnlyFile.contents(of: keyPath, what: "--tls-key")
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: keyBytes, format: .pem)
        } catch {
            throw IdPServerError("--tls-key \(keyPath) cannot be read as a PEM private key")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuites = modernCipherSuites
        return configuration
    }

    /// The TLS 1.2 suites offered, in OpenSSL's cipher-string form (TLS 1.3 has only AEAD suites and is always on).
    public static let modernCipherSuites = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")
}

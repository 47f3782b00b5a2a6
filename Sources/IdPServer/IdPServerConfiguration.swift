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

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        authentication: CallerAuthentication,
        tls: TLSConfiguration? = nil,
        maxBodySize: Int = 64 * 1024,
        maxHeaderFieldSize: Int = 8 * 1024,
        maxHeaderListSize: Int = 32 * 1024,
        maxHeaderFieldCount: Int = 100,
        idleTimeout: Duration = .seconds(60)
    ) {
        self.host = host
        self.port = port
        self.authentication = authentication
        self.tls = tls
        self.maxBodySize = maxBodySize
        self.maxHeaderFieldSize = maxHeaderFieldSize
        self.maxHeaderListSize = maxHeaderListSize
        self.maxHeaderFieldCount = maxHeaderFieldCount
        self.idleTimeout = idleTimeout
    }

    /// Throws ``IdPServerError`` when the settings are unsafe or unusable: no authentication off loopback,
    /// a port outside 0...65535.
    public func validate() throws {
        guard (0...65535).contains(port) else {
            throw IdPServerError("--port must be between 0 and 65535, not \(port)")
        }
        if case .none = authentication, !Self.isLoopback(host) {
            throw IdPServerError("--insecure-no-auth is only allowed when bound to a loopback address (127.0.0.1, ::1 or localhost), not \(host)")
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

    /// A TLS server configuration from PEM certificate-chain and private-key files.
    public static func tlsConfiguration(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw IdPServerError("--tls-cert \(certificatePath) cannot be read as a PEM certificate chain: \(error)")
        }
        guard !certificates.isEmpty else {
            throw IdPServerError("--tls-cert \(certificatePath) holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw IdPServerError("--tls-key \(keyPath) cannot be read as a PEM private key")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
    }
}

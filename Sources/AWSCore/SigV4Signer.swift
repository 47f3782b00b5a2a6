import Crypto
import Foundation

/// An HTTP request in the form AWS Signature Version 4 signs: method, target, headers and body bytes.
public struct SignableRequest: Sendable, Hashable {
    /// One header line; names keep their case, several lines may share a name.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One query parameter, not yet percent-encoded.
    public struct QueryItem: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var method: String
    /// `http` or `https`.
    public var scheme: String
    public var host: String
    /// The port when the URL names one; `nil` for the scheme's default.
    public var port: Int?
    /// The path as sent on the wire (already percent-encoded where needed), e.g. `/`.
    public var path: String
    public var query: [QueryItem]
    public var headers: [Header]
    public var body: [UInt8]

    public init(method: String, scheme: String, host: String, port: Int? = nil, path: String = "/",
                query: [QueryItem] = [], headers: [Header] = [], body: [UInt8] = []) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The value of the `Host` header: lower-case host, with the port unless it is the scheme's default.
    public var hostHeaderValue: String {
        let lowerHost = host.lowercased()
        let bracketed = lowerHost.contains(":") && !lowerHost.hasPrefix("[") ? "[\(lowerHost)]" : lowerHost
        guard let port, port != Self.defaultPort(scheme: scheme) else { return bracketed }
        return "\(bracketed):\(port)"
    }

    /// The full URL to send the request to, with the query percent-encoded as it is signed.
    public var urlString: String {
        let query = query.isEmpty ? "" : "?" + SigV4Signer.canonicalQueryString(query)
        return "\(scheme.lowercased())://\(hostHeaderValue)\(path.isEmpty ? "/" : path)\(query)"
    }

    /// The first value of header `name` (compared without case).
    public func headerValue(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    static func defaultPort(scheme: String) -> Int? {
        switch scheme.lowercased() {
        case "http": 80
        case "https": 443
        default: nil
        }
    }
}

/// Signs requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`), as botocore's `SigV4Auth` does.
public struct SigV4Signer: Sendable {
    /// Headers never signed: hop-by-hop headers and ones proxies rewrite (the list botocore uses).
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
    ]

    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// `request` with `X-Amz-Date`, `X-Amz-Security-Token` (for session credentials), `Host` (when missing)
    /// and `Authorization` set for the instant `date`; older copies of those headers are replaced.
    public func sign(_ request: SignableRequest, at date: Date) -> SignableRequest {
        var signed = request
        let replaced: Set<String> = ["authorization", "x-amz-date", "x-amz-security-token"]
        signed.headers.removeAll { replaced.contains($0.name.lowercased()) }
        if signed.headerValue("host") == nil {
            signed.headers.append(.init("Host", signed.hostHeaderValue))
        }
        let timestamp = Self.timestamp(date)
        signed.headers.append(.init("X-Amz-Date", timestamp))
        if let token = credentials.sessionToken {
            signed.headers.append(.init("X-Amz-Security-Token", token))
        }
        let canonical = canonicalRequest(signed)
        let signature = self.signature(stringToSign: stringToSign(canonicalRequest: canonical, timestamp: timestamp), timestamp: timestamp)
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(credentialScope(timestamp: timestamp)), "
            + "SignedHeaders=\(signedHeaderNames(signed).joined(separator: ";")), Signature=\(signature)"
        signed.headers.append(.init("Authorization", authorization))
        return signed
    }

    /// The canonical request: method, canonical URI, canonical query, canonical headers, signed headers, payload hash.
    func canonicalRequest(_ request: SignableRequest) -> String {
        let headers = canonicalHeaders(request)
        let headerLines = headers.map { "\($0.name):\($0.value)\n" }.joined()
        return [
            request.method.uppercased(),
            Self.canonicalURI(request.path),
            Self.canonicalQueryString(request.query),
            headerLines,
            headers.map(\.name).joined(separator: ";"),
            request.headerValue("x-amz-content-sha256") ?? Self.hex(SHA256.hash(data: request.body)),
        ].joined(separator: "\n")
    }

    /// The string to sign for a canonical request made at `timestamp` (`yyyyMMdd'T'HHmmss'Z'`).
    func stringToSign(canonicalRequest: String, timestamp: String) -> String {
        [
            "AWS4-HMAC-SHA256",
            timestamp,
            credentialScope(timestamp: timestamp),
            Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
    }

    /// The signing key: HMAC chain over the date, region, service and `aws4_request`.
    func signingKey(day: String) -> SymmetricKey {
        let secret = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        let dateKey = Self.hmac(secret, day)
        let regionKey = Self.hmac(dateKey, region)
        let serviceKey = Self.hmac(regionKey, service)
        return Self.hmac(serviceKey, "aws4_request")
    }

    func signature(stringToSign: String, timestamp: String) -> String {
        let key = signingKey(day: String(timestamp.prefix(8)))
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    func credentialScope(timestamp: String) -> String {
        "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request"
    }

    private func signedHeaderNames(_ request: SignableRequest) -> [String] {
        canonicalHeaders(request).map(\.name)
    }

    /// Lower-case names, sorted; values trimmed with inner runs of white space collapsed; repeated names joined by commas.
    private func canonicalHeaders(_ request: SignableRequest) -> [(name: String, value: String)] {
        var grouped: [String: [String]] = [:]
        for header in request.headers {
            let name = header.name.lowercased()
            guard !Self.unsignedHeaders.contains(name) else { continue }
            let value = header.value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            grouped[name, default: []].append(value)
        }
        return grouped.keys.sorted().map { ($0, grouped[$0, default: []].joined(separator: ",")) }
    }

    /// The path with dot segments and empty segments removed, percent-encoded once more (`/` and unreserved kept).
    static func canonicalURI(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = segments.popLast()
            } else {
                segments.append(segment)
            }
        }
        let leading = path.hasPrefix("/") ? "/" : ""
        let trailing = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        let normalized = leading + segments.joined(separator: "/") + trailing
        return percentEncode(normalized, keeping: "/")
    }

    /// Query parameters percent-encoded and sorted by name, then value.
    static func canonicalQueryString(_ query: [SignableRequest.QueryItem]) -> String {
        query.map { (percentEncode($0.name), percentEncode($0.value)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// RFC 3986 encoding of the UTF-8 bytes: `A-Z a-z 0-9 - _ . ~` (and `extra`) stay, every other byte is `%XX`.
    static func percentEncode(_ text: String, keeping extra: String = "") -> String {
        let kept = Set(("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~" + extra).utf8)
        var encoded = ""
        for byte in text.utf8 {
            if kept.contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func timestamp(_ date: Date) -> String {
        let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ",
                      components.year ?? 0, components.month ?? 0, components.day ?? 0,
                      components.hour ?? 0, components.minute ?? 0, components.second ?? 0)
    }

    private static func hmac(_ key: SymmetricKey, _ message: String) -> SymmetricKey {
        SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: key)))
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

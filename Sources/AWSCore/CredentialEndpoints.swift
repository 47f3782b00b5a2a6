import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The JSON document that ECS, IMDS and `credential_process` hand out (`Token` for the first two, `SessionToken`
/// for processes).
struct CredentialDocument: Decodable {
    var Version: Int?
    var AccessKeyId: String?
    var SecretAccessKey: String?
    var Token: String?
    var SessionToken: String?
    var Expiration: String?
    var Code: String?
    var Message: String?

    /// The credentials, or an error naming the missing field (never a value).
    func credentials(source: String) throws(AWSCredentialError) -> AWSCredentials {
        if let Code, Code != "Success" {
            throw AWSCredentialError(source: source, message: "the endpoint answered \(Code)\(Message.map { ": \($0)" } ?? "")")
        }
        guard let AccessKeyId, !AccessKeyId.isEmpty else { throw AWSCredentialError(source: source, message: "the answer has no AccessKeyId") }
        guard let SecretAccessKey, !SecretAccessKey.isEmpty else {
            throw AWSCredentialError(source: source, message: "the answer has no SecretAccessKey")
        }
        var expiration: Date?
        if let Expiration {
            guard let parsed = ISO8601.parse(Expiration) else {
                throw AWSCredentialError(source: source, message: "Expiration is not an ISO 8601 time")
            }
            expiration = parsed
        }
        return AWSCredentials(accessKeyID: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: Token ?? SessionToken,
                              expiration: expiration)
    }

    static func decode(_ data: Data, source: String) throws(AWSCredentialError) -> CredentialDocument {
        do {
            return try JSONDecoder().decode(CredentialDocument.self, from: data)
        } catch {
            throw AWSCredentialError(source: source, message: "the answer is not a JSON credentials object")
        }
    }
}

/// Plain HTTP to the credential endpoints of the compute platforms (no signing, one short attempt each).
struct CredentialHTTP: Sendable {
    var httpClient: HTTPClient
    var timeout: Duration

    /// The body of a 2xx answer to `method url`; other answers and transport failures become a credential error.
    func fetch(_ method: HTTPMethod, _ url: String, headers: [(String, String)], source: String) async throws(AWSCredentialError) -> Data {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let answer: (Int, Data)
        do {
            answer = try await withTimeout(timeout) { [httpClient, timeout, request] in
                let response = try await httpClient.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
                let buffer = try await response.body.collect(upTo: 1 << 20)
                return (Int(response.status.code), Data(buffer.readableBytesView))
            }
        } catch is AttemptTimedOut {
            throw AWSCredentialError(source: source, message: "no answer from \(url) within \(timeout)")
        } catch {
            throw AWSCredentialError(source: source, message: "no answer from \(url): \(error)")
        }
        guard (200..<300).contains(answer.0) else {
            throw AWSCredentialError(source: source, message: "\(method.rawValue) \(url) answered HTTP \(answer.0)")
        }
        return answer.1
    }
}

/// Credentials of an ECS task (or any container agent speaking its protocol): `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
/// against 169.254.170.2, or `AWS_CONTAINER_CREDENTIALS_FULL_URI` (https, or http to a loopback address), with
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` or the file in `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` as `Authorization`.
public struct ContainerCredentialFetcher: Sendable {
    /// The host the relative URI is resolved against.
    public static let ecsHost = "http://169.254.170.2"
    public let url: String
    let authorizationToken: String?
    let authorizationTokenFile: String?
    let http: CredentialHTTP

    /// Reads the settings from `environment`; `nil` when neither URI variable is set.
    public init?(environment: [String: String], httpClient: HTTPClient = .shared) throws(AWSConfigurationError) {
        http = CredentialHTTP(httpClient: httpClient, timeout: .seconds(2))
        authorizationToken = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
        authorizationTokenFile = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
            url = Self.ecsHost + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] {
            try Self.checkFullURI(full)
            url = full
        } else {
            return nil
        }
    }

    /// The SDKs' rule: https anywhere, http only to a loopback address (or the ECS/EKS agent addresses).
    static func checkFullURI(_ text: String) throws(AWSConfigurationError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty else {
            throw .invalidSetting(name: "AWS_CONTAINER_CREDENTIALS_FULL_URI", source: "env", rule: "must be an http(s) URL with a host")
        }
        if scheme == "https" { return }
        let loopback = host == "localhost" || host.hasPrefix("127.") || host == "[::1]" || host == "::1"
            || host == "169.254.170.2" || host == "169.254.170.23" || host == "[fd00:ec2::23]" || host == "fd00:ec2::23"
        guard scheme == "http", loopback else {
            throw .invalidSetting(name: "AWS_CONTAINER_CREDENTIALS_FULL_URI", source: "env",
                                  rule: "must use https, or http to a loopback address")
        }
    }

    public func fetch() async throws(AWSCredentialError) -> AWSCredentials {
        var headers: [(String, String)] = []
        if let authorizationTokenFile {
            guard let token = try? String(contentsOfFile: authorizationTokenFile, encoding: .utf8) else {
                throw AWSCredentialError(source: "ecs", message: "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(authorizationTokenFile)")
            }
            headers.append(("Authorization", token.trimmingCharacters(in: .whitespacesAndNewlines)))
        } else if let authorizationToken {
            headers.append(("Authorization", authorizationToken))
        }
        if headers.contains(where: { $0.1.contains("\r") || $0.1.contains("\n") }) {
            throw AWSCredentialError(source: "ecs", message: "the authorization token contains a line break")
        }
        let body = try await http.fetch(.GET, url, headers: headers, source: "ecs")
        return try CredentialDocument.decode(body, source: "ecs").credentials(source: "ecs")
    }
}

/// The instance profile's credentials from EC2 instance metadata, IMDSv2: a session token first
/// (`PUT /latest/api/token`), then the role name and its credentials. Short timeouts and one attempt, so a machine
/// without instance metadata falls through quickly.
public struct InstanceMetadataFetcher: Sendable {
    public static let defaultEndpoint = "http://169.254.169.254"
    public let endpoint: String
    let http: CredentialHTTP

    public init(environment: [String: String], httpClient: HTTPClient = .shared) throws(AWSConfigurationError) {
        let configured = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? Self.defaultEndpoint
        guard let url = URL(string: configured), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host?.isEmpty == false else {
            throw .invalidSetting(name: "AWS_EC2_METADATA_SERVICE_ENDPOINT", source: "env", rule: "must be an http(s) URL with a host")
        }
        endpoint = configured.hasSuffix("/") ? String(configured.dropLast()) : configured
        http = CredentialHTTP(httpClient: httpClient, timeout: .seconds(1))
    }

    /// True when `AWS_EC2_METADATA_DISABLED` is `true`.
    public static func isDisabled(environment: [String: String]) -> Bool {
        environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
    }

    public func fetch() async throws(AWSCredentialError) -> AWSCredentials {
        let tokenData = try await http.fetch(.PUT, endpoint + "/latest/api/token",
                                             headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")], source: "imds")
        let token = String(decoding: tokenData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains("\n"), !token.contains("\r") else {
            throw AWSCredentialError(source: "imds", message: "the metadata service answered an unusable session token")
        }
        let headers = [("X-aws-ec2-metadata-token", token)]
        let base = endpoint + "/latest/meta-data/iam/security-credentials/"
        let roles = String(decoding: try await http.fetch(.GET, base, headers: headers, source: "imds"), as: UTF8.self)
        guard let role = roles.split(whereSeparator: { $0.isNewline }).first.map({ String($0).trimmingSpacesAndTabs() }),
              !role.isEmpty else {
            throw AWSCredentialError(source: "imds", message: "the instance has no IAM role (instance profile)")
        }
        let encodedRole = SigV4Signer.percentEncode(role)
        let body = try await http.fetch(.GET, base + encodedRole, headers: headers, source: "imds")
        return try CredentialDocument.decode(body, source: "imds").credentials(source: "imds")
    }
}

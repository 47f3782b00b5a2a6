import AsyncHTTPClient
import Foundation

/// The two AWS STS calls the credential chain needs, over the query protocol (form-encoded POST, XML answer).
public struct STSClient: Sendable {
    /// The Version parameter of every STS query call.
    static let apiVersion = "2011-06-15"
    let endpoint: URL
    let region: String
    let httpClient: HTTPClient
    let options: AWSClientOptions

    public init(endpoint: URL, region: String, httpClient: HTTPClient = .shared, options: AWSClientOptions = AWSClientOptions()) {
        self.endpoint = endpoint
        self.region = region
        self.httpClient = httpClient
        self.options = options
    }

    /// `AssumeRole`, signed with `sourceCredentials`.
    public func assumeRole(roleARN: String, sessionName: String, externalID: String?, durationSeconds: Int?,
                           sourceCredentials: any AWSCredentialProvider) async throws(AWSServiceError) -> AWSCredentials {
        var parameters = [("RoleArn", roleARN), ("RoleSessionName", sessionName)]
        if let externalID { parameters.append(("ExternalId", externalID)) }
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        return try await call("AssumeRole", parameters, credentials: sourceCredentials)
    }

    /// `AssumeRoleWithWebIdentity`, unsigned: the web identity token is the proof.
    public func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, token: String,
                                          durationSeconds: Int?) async throws(AWSServiceError) -> AWSCredentials {
        var parameters = [("RoleArn", roleARN), ("RoleSessionName", sessionName), ("WebIdentityToken", token)]
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        return try await call("AssumeRoleWithWebIdentity", parameters, credentials: nil)
    }

    private func call(_ action: String, _ parameters: [(String, String)],
                      credentials: (any AWSCredentialProvider)?) async throws(AWSServiceError) -> AWSCredentials {
        let request = SignableRequest.query(action: action, version: Self.apiVersion, parameters: parameters)
        let sender = AWSRequestSender(endpoint: endpoint, region: region, service: "sts", credentials: credentials,
                                      httpClient: httpClient, options: options)
        let body = try await sender.send(action, request)
        return try Self.parseCredentials(action: action, body: body)
    }

    /// The `Credentials` element of an `<Action>Response/<Action>Result`.
    static func parseCredentials(action: String, body: Data) throws(AWSServiceError) -> AWSCredentials {
        func malformed(_ rule: String) -> AWSServiceError {
            AWSServiceError(operation: action, type: "MalformedResponse", message: "the STS answer \(rule)")
        }
        guard let tree = XMLTree(data: body) else { throw malformed("is not XML") }
        guard tree.root.name == "\(action)Response",
              let credentials = tree.root.element(at: ["\(action)Result", "Credentials"]) else {
            throw malformed("has no \(action)Result/Credentials element")
        }
        guard let accessKey = credentials.child("AccessKeyId")?.text, !accessKey.isEmpty,
              let secret = credentials.child("SecretAccessKey")?.text, !secret.isEmpty,
              let token = credentials.child("SessionToken")?.text, !token.isEmpty else {
            throw malformed("lacks AccessKeyId, SecretAccessKey or SessionToken")
        }
        guard let expirationText = credentials.child("Expiration")?.text, let expiration = ISO8601.parse(expirationText) else {
            throw malformed("has no valid Expiration (ISO 8601)")
        }
        return AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }
}

/// ISO 8601 instants as AWS writes them: with or without fractional seconds, `Z` or an offset.
enum ISO8601 {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: .iso8601) { return date }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return try? Date(trimmed, strategy: fractional)
    }
}

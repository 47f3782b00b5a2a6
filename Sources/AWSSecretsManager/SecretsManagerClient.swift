import AWSCore
import AsyncHTTPClient
import Foundation

/// Sends awsJson1_1 calls to Secrets Manager through an ``AWSRequestSender`` (signing, retries, clock skew) and
/// decodes the answers.
struct SecretsManagerClient: Sendable {
    let sender: AWSRequestSender

    init(configuration: AWSConfiguration, httpClient: HTTPClient, options: AWSClientOptions, counters: CallCounters) {
        sender = AWSRequestSender(endpoint: configuration.endpoint, region: configuration.region, service: "secretsmanager",
                                  credentials: configuration.credentialProvider, httpClient: httpClient, options: options,
                                  onAttempt: { counters.record($0, isRetry: $1) })
    }

    /// Calls `operation` with `input` and decodes the answer as `Output`.
    func call<Input: Encodable, Output: Decodable>(_ operation: String, _ input: Input, as output: Output.Type) async throws(AWSServiceError) -> Output {
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(input))
        } catch {
            throw AWSServiceError(operation: operation, type: "SerializationError", message: "the request could not be encoded")
        }
        let request = SignableRequest(
            method: "POST", scheme: "https", host: "",
            headers: [.init("Content-Type", "application/x-amz-json-1.1"), .init("X-Amz-Target", "secretsmanager.\(operation)")],
            body: body)
        let data = try await sender.send(operation, request)
        do {
            return try Self.decoder.decode(Output.self, from: data)
        } catch {
            throw AWSServiceError(operation: operation, type: "MalformedResponse",
                                  message: "the answer is not the expected JSON (\(Self.describe(decodingError: error)))")
        }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    private static func describe(decodingError error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "missing \(key.stringValue)"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "not valid JSON"
        }
    }
}

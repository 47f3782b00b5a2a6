import AsyncHTTPClient
import Foundation
import NIOCore

/// Sends awsJson1_1 calls to Secrets Manager: signs each attempt, retries what is worth retrying, decodes answers.
struct SecretsManagerClient: Sendable {
    let signer: SigV4Signer
    let endpoint: URL
    let httpClient: HTTPClient
    let options: AWSClientOptions
    let counters: CallCounters

    init(configuration: AWSConfiguration, httpClient: HTTPClient, options: AWSClientOptions, counters: CallCounters) {
        signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "secretsmanager")
        endpoint = configuration.endpoint
        self.httpClient = httpClient
        self.options = options
        self.counters = counters
    }

    /// Calls `operation` with `input` and decodes the answer as `Output`, retrying with backoff up to the bound.
    func call<Input: Encodable, Output: Decodable>(_ operation: String, _ input: Input, as output: Output.Type) async throws(AWSServiceError) -> Output {
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(input))
        } catch {
            throw AWSServiceError(operation: operation, type: "SerializationError", message: "the request could not be encoded")
        }
        var attempt = 1
        while true {
            do throws(AWSServiceError) {
                let data = try await send(operation, body: body)
                do {
                    return try Self.decoder.decode(Output.self, from: data)
                } catch {
                    throw AWSServiceError(operation: operation, type: "MalformedResponse",
                                          message: "the answer is not the expected JSON (\(Self.describe(decodingError: error)))")
                }
            } catch let error where error.isRetryable && attempt < options.maxAttempts {
                try? await Task.sleep(for: options.retryDelay(retry: attempt))
                attempt += 1
            } catch where error.isRetryable {
                throw AWSServiceError(operation: operation, type: error.type,
                                      message: "\(error.message) (gave up after \(attempt) attempts)", httpStatus: error.httpStatus)
            }
        }
    }

    /// One signed attempt; the answer body on 2xx, otherwise the parsed error.
    private func send(_ operation: String, body: [UInt8]) async throws(AWSServiceError) -> Data {
        counters.record(operation)
        let unsigned = SignableRequest(
            method: "POST", scheme: endpoint.scheme ?? "https", host: endpoint.host ?? "", port: endpoint.port,
            path: endpoint.path.isEmpty ? "/" : endpoint.path,
            headers: [.init("Content-Type", "application/x-amz-json-1.1"), .init("X-Amz-Target", "secretsmanager.\(operation)")],
            body: body)
        let signed = signer.sign(unsigned, at: Date())
        var request = HTTPClientRequest(url: signed.urlString)
        request.method = .POST
        for header in signed.headers {
            request.headers.add(name: header.name, value: header.value)
        }
        request.body = .bytes(body)
        let status: Int
        let headerType: String?
        let data: Data
        do {
            (status, headerType, data) = try await withTimeout(options.timeout) { [httpClient, options, request] in
                let response = try await httpClient.execute(request, timeout: .nanoseconds(options.timeout.nanoseconds))
                let buffer = try await response.body.collect(upTo: options.maxResponseBytes)
                return (Int(response.status.code), response.headers.first(name: "x-amzn-errortype"), Data(buffer.readableBytesView))
            }
        } catch {
            throw AWSServiceError(operation: operation, type: "NetworkError",
                                  message: "no answer from \(endpoint.absoluteString): \(describe(transportError: error))")
        }
        guard (200..<300).contains(status) else {
            throw Self.parseError(operation: operation, status: status, errorTypeHeader: headerType, body: data)
        }
        return data
    }

    /// The error in an answer: `X-Amzn-ErrorType` or `__type` (namespace and suffix stripped), and `message`/`Message`;
    /// for the XML errors that the authentication layer answers with (e.g. moto's `SignatureDoesNotMatch`),
    /// `<Code>` and `<Message>`.
    static func parseError(operation: String, status: Int, errorTypeHeader: String?, body: Data) -> AWSServiceError {
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let xml = json == nil ? String(data: body, encoding: .utf8) : nil
        let rawType = errorTypeHeader ?? json?["__type"] as? String ?? json?["code"] as? String ?? xml.flatMap { xmlElement("Code", in: $0) }
        let message = json?["message"] as? String ?? json?["Message"] as? String ?? xml.flatMap { xmlElement("Message", in: $0) }
        guard let rawType, !rawType.isEmpty else {
            return AWSServiceError(operation: operation, type: "HTTP \(status)",
                                   message: message ?? "the service answered HTTP \(status) without an error description",
                                   httpStatus: status)
        }
        let withoutSuffix = rawType.split(separator: ":").first.map(String.init) ?? rawType
        let type = withoutSuffix.split(separator: "#").last.map(String.init) ?? withoutSuffix
        return AWSServiceError(operation: operation, type: type, message: message ?? "(no message)", httpStatus: status)
    }

    /// The text of the first `<name>...</name>` element, with the five predefined XML entities decoded.
    static func xmlElement(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"), let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex) else {
            return nil
        }
        var text = String(xml[start.upperBound..<end.lowerBound])
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
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

    private func describe(transportError error: any Error) -> String {
        if error is AttemptTimedOut {
            return "timed out after \(options.timeout)"
        }
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return "timed out"
        }
        return String(describing: error)
    }
}

/// One attempt took longer than its time limit.
struct AttemptTimedOut: Error {}

/// The result of `operation`, or ``AttemptTimedOut`` (and `operation` cancelled) once `limit` has passed.
func withTimeout<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw AttemptTimedOut() }
        return value
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}

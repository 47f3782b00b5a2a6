import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Sends requests to one AWS endpoint: signs each attempt (SigV4, with credentials from a provider, or unsigned),
/// gives each attempt a time limit, retries what is worth retrying with backoff, corrects the signing clock once
/// when the service says it is skewed, and turns failures into ``AWSServiceError``.
public struct AWSRequestSender: Sendable {
    public let endpoint: URL
    public let region: String
    /// The signing name of the service, e.g. `secretsmanager` or `sts`.
    public let service: String
    /// `nil` sends requests unsigned (as `AssumeRoleWithWebIdentity` is).
    public let credentials: (any AWSCredentialProvider)?
    public let httpClient: HTTPClient
    public let options: AWSClientOptions
    /// The offset applied to the local clock when signing; shared by every copy of this sender.
    public let clock: SigningClock
    private let onAttempt: @Sendable (_ operation: String, _ isRetry: Bool) -> Void

    public init(endpoint: URL, region: String, service: String, credentials: (any AWSCredentialProvider)?,
                httpClient: HTTPClient = .shared, options: AWSClientOptions = AWSClientOptions(),
                clock: SigningClock = SigningClock(), onAttempt: @escaping @Sendable (_ operation: String, _ isRetry: Bool) -> Void = { _, _ in }) {
        self.endpoint = endpoint
        self.region = region
        self.service = service
        self.credentials = credentials
        self.httpClient = httpClient
        self.options = options
        self.clock = clock
        self.onAttempt = onAttempt
    }

    /// Sends `request` (its scheme, host, port and path are taken from ``endpoint``) and returns the 2xx answer's body.
    public func send(_ operation: String, _ request: SignableRequest) async throws(AWSServiceError) -> Data {
        var attempt = 1
        var correctedClock = false
        var isRetry = false
        while true {
            do throws(AWSServiceError) {
                return try await sendOnce(operation, request, isRetry: isRetry)
            } catch let error where !correctedClock && error.clockSkewCorrection(localNow: clock.now()) != nil {
                if let serverDate = error.serverDate { clock.adjust(toServerDate: serverDate) }
                correctedClock = true
            } catch let error where error.isRetryable && attempt < options.maxAttempts {
                try? await Task.sleep(for: options.retryDelay(retry: attempt))
                attempt += 1
            } catch where error.isRetryable {
                throw AWSServiceError(operation: operation, type: error.type, message: "\(error.message) (gave up after \(attempt) attempts)",
                                      httpStatus: error.httpStatus, serverDate: error.serverDate)
            }
            isRetry = true
        }
    }

    /// One attempt; the answer body on 2xx, otherwise the parsed error.
    private func sendOnce(_ operation: String, _ request: SignableRequest, isRetry: Bool) async throws(AWSServiceError) -> Data {
        var unsigned = request
        unsigned.scheme = endpoint.scheme ?? "https"
        unsigned.host = endpoint.host ?? ""
        unsigned.port = endpoint.port
        if unsigned.path == "/" || unsigned.path.isEmpty { unsigned.path = endpoint.path.isEmpty ? "/" : endpoint.path }
        let prepared: SignableRequest
        if let credentials {
            let keys: AWSCredentials
            do {
                keys = try await credentials.credentials()
            } catch {
                throw AWSServiceError(operation: operation, type: "CredentialsError", message: error.description)
            }
            prepared = SigV4Signer(credentials: keys, region: region, service: service).sign(unsigned, at: clock.now())
        } else {
            prepared = unsigned
        }
        onAttempt(operation, isRetry)
        var httpRequest = HTTPClientRequest(url: prepared.urlString)
        httpRequest.method = HTTPMethod(rawValue: prepared.method)
        for header in prepared.headers {
            httpRequest.headers.add(name: header.name, value: header.value)
        }
        httpRequest.body = .bytes(prepared.body)
        let answer: (status: Int, headers: HTTPHeaders, body: Data)
        do {
            answer = try await withTimeout(options.timeout) { [httpClient, options, httpRequest] in
                let response = try await httpClient.execute(httpRequest, timeout: .nanoseconds(options.timeout.nanoseconds))
                let buffer = try await response.body.collect(upTo: options.maxResponseBytes)
                return (Int(response.status.code), response.headers, Data(buffer.readableBytesView))
            }
        } catch {
            throw AWSServiceError(operation: operation, type: "NetworkError",
                                  message: "no answer from \(endpoint.absoluteString): \(describe(transportError: error))")
        }
        guard (200..<300).contains(answer.status) else {
            throw Self.parseError(operation: operation, status: answer.status,
                                  errorTypeHeader: answer.headers.first(name: "x-amzn-errortype"), body: answer.body,
                                  dateHeader: answer.headers.first(name: "date"))
        }
        return answer.body
    }

    /// The error in an answer: `X-Amzn-ErrorType` or `__type` (namespace and suffix stripped), and `message`/`Message`;
    /// for XML answers (the query protocol, and the authentication layer of JSON services), `<Code>` and `<Message>`.
    public static func parseError(operation: String, status: Int, errorTypeHeader: String?, body: Data,
                                  dateHeader: String? = nil) -> AWSServiceError {
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let xml = json == nil ? XMLTree(data: body)?.root : nil
        let rawType = errorTypeHeader ?? json?["__type"] as? String ?? json?["code"] as? String ?? xml?.first(named: "Code")?.text
        let message = json?["message"] as? String ?? json?["Message"] as? String ?? xml?.first(named: "Message")?.text
        let serverDate = dateHeader.flatMap(HTTPDate.parse)
        guard let rawType, !rawType.isEmpty else {
            return AWSServiceError(operation: operation, type: "HTTP \(status)",
                                   message: message ?? "the service answered HTTP \(status) without an error description",
                                   httpStatus: status, serverDate: serverDate)
        }
        let withoutSuffix = rawType.split(separator: ":").first.map(String.init) ?? rawType
        let type = withoutSuffix.split(separator: "#").last.map(String.init) ?? withoutSuffix
        return AWSServiceError(operation: operation, type: type, message: message ?? "(no message)", httpStatus: status,
                               serverDate: serverDate)
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

/// The clock requests are signed with: the local clock plus an offset learnt from the service's clock-skew answers.
public final class SigningClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    private let localNow: @Sendable () -> Date

    /// `localNow` is the machine's clock; tests pass a wrong one to provoke skew.
    public init(localNow: @escaping @Sendable () -> Date = { Date() }) {
        self.localNow = localNow
    }

    /// The corrected time.
    public func now() -> Date { localNow().addingTimeInterval(offset.withLock { $0 }) }

    /// The seconds added to the local clock.
    public var correction: TimeInterval { offset.withLock { $0 } }

    /// Sets the offset so that ``now()`` reads `serverDate` at this instant.
    public func adjust(toServerDate serverDate: Date) {
        let local = localNow()
        offset.withLock { $0 = serverDate.timeIntervalSince(local) }
    }
}

/// HTTP dates (`Date` header, RFC 7231 IMF-fixdate).
enum HTTPDate {
    static func parse(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
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

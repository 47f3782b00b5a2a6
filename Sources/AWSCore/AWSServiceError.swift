import Foundation

/// A failed call to an AWS service: the AWS error type (e.g. `ResourceNotFoundException`) and the service's message.
public struct AWSServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var operation: String
    /// The AWS error code, or `HTTP <status>` / `NetworkError` / `CredentialsError` when the answer carried none.
    public var type: String
    public var message: String
    public var httpStatus: Int?
    /// The server's clock, from the answer's `Date` header.
    public var serverDate: Date?

    public init(operation: String, type: String, message: String, httpStatus: Int? = nil, serverDate: Date? = nil) {
        self.operation = operation
        self.type = type
        self.message = message
        self.httpStatus = httpStatus
        self.serverDate = serverDate
    }

    public var description: String { "\(operation) failed: \(type): \(message)" }

    private static let throttlingTypes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException", "IDPCommunicationError",
    ]
    private static let transientTypes: Set<String> = [
        "InternalServiceError", "InternalFailure", "InternalServerError", "ServiceUnavailable", "RequestTimeout",
        "RequestTimeoutException", "NetworkError",
    ]
    private static let accessTypes: Set<String> = [
        "AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "InvalidSignatureException",
        "SignatureDoesNotMatch", "IncompleteSignature", "InvalidClientTokenId", "ExpiredTokenException", "ExpiredToken",
        "MissingAuthenticationToken", "MissingAuthenticationTokenException", "NotAuthorized", "AuthFailure",
        "DecryptionFailure", "RequestExpired", "RequestTimeTooSkewed", "RequestInTheFuture", "CredentialsError",
        "InvalidIdentityToken",
    ]
    /// The codes AWS answers when a signature's time is off (the list botocore checks before correcting its clock).
    private static let clockSkewTypes: Set<String> = [
        "RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "InvalidSignatureException",
        "SignatureDoesNotMatch", "AuthFailure",
    ]
    /// A difference between our clock and the server's beyond which a signature error is taken as clock skew
    /// (AWS accepts signatures up to 5 minutes off).
    public static let clockSkewThreshold: TimeInterval = 4 * 60

    /// True for throttling, server errors and network failures: worth another attempt.
    public var isRetryable: Bool {
        if let httpStatus, httpStatus >= 500 { return true }
        return Self.throttlingTypes.contains(type) || Self.transientTypes.contains(type)
    }

    /// True when the endpoint does not know the operation (older or emulated endpoints).
    public var isUnsupportedOperation: Bool {
        ["UnknownOperationException", "InvalidAction", "NotImplemented", "UnsupportedOperation"].contains(type)
            || (httpStatus == 404 && type.hasPrefix("HTTP "))
    }

    /// True for refused credentials or signatures and denied permissions.
    public var isAccessError: Bool {
        Self.accessTypes.contains(type) || httpStatus == 401 || httpStatus == 403
    }

    /// The offset to add to `localNow` to sign with the server's time, when this is a signature-time error and the
    /// server's `Date` is more than ``clockSkewThreshold`` away from `localNow`; otherwise `nil`.
    public func clockSkewCorrection(localNow: Date) -> TimeInterval? {
        guard Self.clockSkewTypes.contains(type), let serverDate else { return nil }
        let offset = serverDate.timeIntervalSince(localNow)
        return abs(offset) > Self.clockSkewThreshold ? offset : nil
    }
}

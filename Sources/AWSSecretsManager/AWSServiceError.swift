import SecretStore

/// A failed call to the service: the AWS error type (e.g. `ResourceNotFoundException`) and the service's message.
struct AWSServiceError: Error, Sendable, Hashable {
    var operation: String
    /// The AWS error code, or `HTTP <status>` / `NetworkError` when the answer carried none.
    var type: String
    var message: String
    var httpStatus: Int?

    private static let throttlingTypes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]
    private static let transientTypes: Set<String> = [
        "InternalServiceError", "InternalFailure", "InternalServerError", "ServiceUnavailable", "RequestTimeout",
        "RequestTimeoutException", "NetworkError",
    ]
    private static let accessTypes: Set<String> = [
        "AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "InvalidSignatureException",
        "SignatureDoesNotMatch", "IncompleteSignature", "InvalidClientTokenId", "ExpiredTokenException", "ExpiredToken",
        "MissingAuthenticationToken", "MissingAuthenticationTokenException", "NotAuthorized", "AuthFailure",
        "DecryptionFailure", "RequestExpired",
    ]

    /// How AWS and moto say that a secret is scheduled for deletion.
    private static let deletionPhrases = ["marked for deletion", "marked deleted", "scheduled for deletion"]

    /// True for throttling, server errors and network failures: worth another attempt.
    var isRetryable: Bool {
        if let httpStatus, httpStatus >= 500 { return true }
        return Self.throttlingTypes.contains(type) || Self.transientTypes.contains(type)
    }

    /// True when the endpoint does not know the operation (older or emulated endpoints).
    var isUnsupportedOperation: Bool {
        ["UnknownOperationException", "InvalidAction", "NotImplemented", "UnsupportedOperation"].contains(type)
            || (httpStatus == 404 && type.hasPrefix("HTTP "))
    }

    /// The store error for this failure about `secretName`.
    func storeError(secretName: String?) -> SecretStoreError {
        let subject = secretName.map { " for \($0)" } ?? ""
        let text = "Secrets Manager \(operation)\(subject) failed: \(type): \(message)"
        return SecretStoreError(kind, secretName: secretName, message: text)
    }

    var kind: SecretStoreError.Kind {
        switch type {
        case "ResourceNotFoundException": return .notFound
        case "ResourceExistsException": return .alreadyExists
        case "InvalidRequestException" where Self.deletionPhrases.contains(where: message.lowercased().contains): return .markedForDeletion
        case _ where Self.accessTypes.contains(type): return .accessDenied
        case _ where isRetryable: return .unavailable
        default:
            if let httpStatus, httpStatus == 401 || httpStatus == 403 { return .accessDenied }
            return .invalidRequest
        }
    }
}

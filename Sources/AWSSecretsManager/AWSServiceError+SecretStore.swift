import AWSCore
import SecretStore

extension AWSServiceError {
    /// How AWS and moto say that a secret is scheduled for deletion.
    private static let deletionPhrases = ["marked for deletion", "marked deleted", "scheduled for deletion"]

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
        case _ where isAccessError: return .accessDenied
        case _ where isRetryable: return .unavailable
        default: return .invalidRequest
        }
    }
}

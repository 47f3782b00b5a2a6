import Foundation

/// A source of AWS credentials. Providers of temporary credentials cache them and refresh them before they expire,
/// so ``credentials()`` is cheap to call for every request.
public protocol AWSCredentialProvider: Sendable, CustomStringConvertible {
    /// The kind of source, for messages: `env`, `shared-credentials-file`, `config-file`, `web-identity`,
    /// `assume-role`, `process`, `ecs`, `imds` or `explicit`.
    var source: String { get }
    /// Credentials valid now.
    func credentials() async throws(AWSCredentialError) -> AWSCredentials
}

/// Why credentials could not be had from a source. Never carries a secret: messages name settings, files and
/// endpoints, not values.
public struct AWSCredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The source that failed (see ``AWSCredentialProvider/source``).
    public var source: String
    public var message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "Could not get AWS credentials from \(source): \(message)" }
}

/// Long-term keys given once: from the environment, a profile, or the caller.
public struct StaticCredentialProvider: AWSCredentialProvider {
    public let keys: AWSCredentials
    public let source: String

    public init(_ keys: AWSCredentials, source: String) {
        self.keys = keys
        self.source = source
    }

    public func credentials() async throws(AWSCredentialError) -> AWSCredentials { keys }

    public var description: String { "\(keys.accessKeyID) (\(source))" }
}

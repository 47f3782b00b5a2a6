import Foundation
import IdentityModel

/// The answer to a ``LoginRequest`` with everything people and logs need to understand it.
///
/// Never holds the password or a password hash: the reason and the checks only name fields and rules.
public struct LoginDecision: Sendable, Hashable {
    /// The answer object of the contract (`Role`, `HomeDirectory`, `PublicKeys`...), or `{}` for a denial.
    public var response: JSONValue
    /// Why the user was denied, or `nil` when allowed.
    public var denialCategory: DenialCategory?
    /// One sentence: "password does not match", "allowed by password", ...
    public var reason: String
    /// The checks made, in order.
    public var checks: [LoginCheck]
    /// How the client authenticated.
    public var authentication: AuthenticationMethod
    /// How long the decision took, hashing and store reads included.
    public var duration: Duration
    /// ``response`` as JSON text when it was encoded beforehand (with the user, once per secret version).
    var preparedResponseText: String?

    public init(response: JSONValue, denialCategory: DenialCategory?, reason: String, checks: [LoginCheck], authentication: AuthenticationMethod, duration: Duration) {
        self.response = response
        self.denialCategory = denialCategory
        self.reason = reason
        self.checks = checks
        self.authentication = authentication
        self.duration = duration
    }

    /// ``response`` as compact JSON text with sorted keys: what `serve` sends.
    public var responseText: String {
        preparedResponseText ?? response.jsonText
    }

    /// True when the answer lets the user in (it holds a `Role`).
    public var isAllowed: Bool { denialCategory == nil }
}

/// One check made while deciding a login.
public struct LoginCheck: Sendable, Hashable, Codable {
    /// What a check came to.
    public enum Outcome: String, Sendable, Hashable, Codable {
        case passed
        case failed
        /// Not applicable to this request or user (e.g. no `AcceptedIpNetwork` configured).
        case skipped
    }

    /// A short name: `request`, `throttle`, `secret`, `password`, `public keys`, `source ip`...
    public var name: String
    public var outcome: Outcome
    /// What was found, e.g. "argon2id hash matches", "203.0.113.9 is in 203.0.113.0/24".
    public var detail: String

    public init(name: String, outcome: Outcome, detail: String) {
        self.name = name
        self.outcome = outcome
        self.detail = detail
    }
}

/// Why a login was denied, in a small fixed set fit for metric labels.
public enum DenialCategory: String, Sendable, Hashable, CaseIterable, Codable {
    /// `serverId`, `username` or `protocol` missing or over-long, a protocol that is not SFTP, FTP or FTPS, a
    /// `sourceIp` that is not an address, or a name the store refuses.
    case invalidRequest = "invalid_request"
    /// FTP or FTPS without a password: there is no key authentication over FTP.
    case passwordRequired = "password_required"
    /// Too many failed password attempts from the source address, or the password-hashing queue is full.
    case throttled
    /// No secret for the user.
    case unknownUser = "unknown_user"
    /// The secret exists but is not a JSON object, or a field in it breaks a rule.
    case invalidSecret = "invalid_secret"
    /// The password does not match, or the user has no password configured.
    case wrongPassword = "wrong_password"
    /// Key authentication, but no usable public key.
    case noPublicKeys = "no_public_keys"
    /// The user is disabled (`sftpidp:Disabled`).
    case disabled
    /// The user's expiry date has passed (`sftpidp:ExpiresAt`).
    case expired
    /// The server id is not among the user's allowed servers (`sftpidp:AllowedServerIds`).
    case serverNotAllowed = "server_not_allowed"
    /// The source address is missing or outside `AcceptedIpNetwork`.
    case sourceIPNotAllowed = "source_ip_not_allowed"
    /// The user has no `Role`.
    case noRole = "no_role"
}

/// What ``IdentityProviderHandler/decide(_:)`` returns: a decision, or a store that could not be read.
public enum LoginOutcome: Sendable {
    /// The store answered and the login was decided (allowed or denied).
    case decided(LoginDecision)
    /// The store could not be reached or read: the HTTP endpoint answers 500, `test-login` StatusCode 500.
    case storeFailure(LoginStoreFailure)
}

/// The store could not answer, so no decision was possible.
public struct LoginStoreFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed, from the store's own message; never a secret value.
    public var message: String
    /// The checks made before the failure.
    public var checks: [LoginCheck]
    public var duration: Duration

    public init(message: String, checks: [LoginCheck], duration: Duration) {
        self.message = message
        self.checks = checks
        self.duration = duration
    }

    public var description: String { message }

    /// What a caller is told when the store cannot be read: fixed, so nothing of the store's error reaches it
    /// (the reason goes to the log).
    public static let responseBody = #"{"error":{"message":"the secret store could not be read"}}"#
}

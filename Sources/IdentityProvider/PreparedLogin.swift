import Foundation
import IdentityModel

/// What deciding a login for one protocol needs from one user's secret, worked out once per secret version:
/// the stored password, the parsed keys and their lines, the networks, the reading issues, sftpidp's own keys,
/// and the answer's fields already checked against the contract's limits (and encoded).
///
/// Nothing here depends on the clock or on the request: expiry dates are kept as dates and compared on every
/// login, and the source address, server id and password are checked against these values per request.
struct PreparedLogin: Sendable {
    /// The "secret" check's detail: the secret's name and how many keys it has.
    let readDetail: String
    let storedPassword: StoredPassword?
    let publicKeys: [UserPublicKey]
    /// Each of ``publicKeys`` as the OpenSSH line the answer returns, in the same order.
    let publicKeyLines: [String]
    let issues: [FieldError]
    let isDisabled: Bool
    let expiresAt: Date?
    let allowedServerIDs: [String]?
    let acceptedNetworks: [IPNetwork]
    /// ``acceptedNetworks`` as the checks show them: `10.0.0.0/8, 2001:db8::/32`.
    let acceptedNetworkList: String
    let answer: PreparedAnswer

    init(user: SFTPUser, secretName: String, transferProtocol: TransferProtocol) {
        let readout = user.readout(for: transferProtocol)
        readDetail = "\(secretName) is a JSON object with \(user.secret.members.count) keys"
        storedPassword = readout.storedPassword
        publicKeys = readout.publicKeys
        publicKeyLines = readout.publicKeys.map(\.key.openSSHLine)
        issues = readout.issues
        isDisabled = readout.isDisabled
        expiresAt = readout.expiresAt
        allowedServerIDs = readout.allowedServerIDs
        acceptedNetworks = readout.acceptedNetworks
        acceptedNetworkList = readout.acceptedNetworks.map(\.description).joined(separator: ", ")
        answer = PreparedAnswer(user: user, readout: readout, keyLines: publicKeyLines)
    }
}

/// The answer of CONTRACT.md section 2 for one user and protocol, minus what depends on the request: built and
/// checked once (no `Role` is a denial, and every field must keep the service's limits), then reused.
struct PreparedAnswer: Sendable {
    /// A field that breaks a rule: which check fails, how, and why.
    struct Denial: Sendable {
        var check: String
        var category: DenialCategory
        var reason: String
    }

    /// Checks passed on the way, in order (the role's), also when a later field is denied.
    let passed: [LoginCheck]
    /// Set when the answer cannot be given.
    let denial: Denial?
    /// Every field but `PublicKeys`.
    let fields: [String: JSONValue]
    /// ``fields`` as JSON text: the answer to a password login.
    let passwordText: String
    /// ``fields`` with every key of the user as `PublicKeys`, as JSON text: the answer to a key login when no key has expired.
    let allKeysText: String
    /// The "answer" check's detail for a password login and for a key login: the fields' names.
    let passwordFieldList: String
    let keyFieldList: String

    init(user: SFTPUser, readout: UserReadout, keyLines: [String]) {
        var passed: [LoginCheck] = []
        var fields: [String: JSONValue] = [:]
        denial = Self.build(user: user, readout: readout, passed: &passed, fields: &fields)
        self.passed = passed
        self.fields = denial == nil ? fields : [:]
        passwordText = denial == nil ? JSONValue.object(fields).jsonText : "{}"
        allKeysText = denial == nil ? Self.answer(fields, keyLines: keyLines).jsonText : "{}"
        passwordFieldList = "fields: " + fields.keys.sorted().joined(separator: ", ")
        keyFieldList = "fields: " + (Array(fields.keys) + ["PublicKeys"]).sorted().joined(separator: ", ")
    }

    /// ``fields`` with `PublicKeys` set to `keyLines`.
    static func answer(_ fields: [String: JSONValue], keyLines: [String]) -> JSONValue {
        var answer = fields
        answer["PublicKeys"] = .array(keyLines.map(JSONValue.string))
        return .object(answer)
    }

    private static func build(user: SFTPUser, readout: UserReadout, passed: inout [LoginCheck], fields answer: inout [String: JSONValue]) -> Denial? {
        let proto = readout.transferProtocol
        guard let role = readout.role, !role.trimmingCharacters(in: .whitespaces).isEmpty else {
            return Denial(check: "role", category: .noRole, reason: "user has no Role")
        }
        let roleKey = SecretKey.name(SecretKey.role, for: proto)
        if let problem = Validation.roleARN(role, field: user.secret[roleKey] != nil ? roleKey : SecretKey.role) {
            return invalid("role", problem)
        }
        passed.append(LoginCheck(name: "role", outcome: .passed, detail: "Role is a role ARN"))
        answer["Role"] = .string(role)
        if let policy = readout.policy {
            if let problem = Validation.policy(policy) { return invalid("policy", problem) }
            answer["Policy"] = .string(policy)
        }
        switch readout.home {
        case .path(let path):
            if let path, !path.isEmpty {
                if let problem = Validation.homeDirectory(path) { return invalid("home", problem) }
                answer["HomeDirectoryType"] = .string("PATH")
                answer["HomeDirectory"] = .string(path)
            }
        case .logical(let mappings):
            if let problem = Validation.homeMappings(mappings) { return invalid("home", problem) }
            answer["HomeDirectoryType"] = .string("LOGICAL")
            answer["HomeDirectoryDetails"] = .string(JSONValue.array(mappings.map(\.jsonValue)).jsonText)
        }
        if let posix = readout.posixProfile {
            if let problem = Validation.posixProfile(posix) { return invalid("posix profile", problem) }
            answer["PosixProfile"] = posix.jsonValue
        }
        return nil
    }

    private static func invalid(_ check: String, _ problem: FieldError) -> Denial {
        Denial(check: check, category: .invalidSecret, reason: problem.description)
    }
}

/// What a login finds under a secret name.
enum UserLookup: Sendable {
    case found(PreparedLogin)
    /// The secret exists but is not a JSON object: the reason, never the value.
    case unreadable(String)
    case notFound
    /// The store refuses the name itself (too long, characters it does not allow): no such user can exist.
    case refusedName(String)
}

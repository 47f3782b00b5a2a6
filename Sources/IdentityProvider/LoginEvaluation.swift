import Foundation
import IdentityModel
import SecretStore

/// Why an evaluation stopped before allowing the login.
enum LoginStop: Error {
    case denied(DenialCategory, String)
    case storeFailure(String)
}

/// One login decision in progress: runs the steps in order and records each check.
struct LoginEvaluation {
    /// What an allowed login gives.
    struct Allowed {
        var response: JSONValue
        /// The response as JSON text when it was encoded beforehand.
        var responseText: String?
        var reason: String
    }

    /// A password attempt the throttle let through: it is counted once the decision is known.
    struct PasswordAttempt {
        var user: String
        var address: SourceAddress?
    }

    let request: LoginRequest
    let namingScheme: NamingScheme
    let users: LoginUserSource
    let throttle: LoginThrottle
    let checker: PasswordChecker
    let sleep: @Sendable (Duration) async -> Void
    let now: Date
    /// Where the checks go; nil when nobody reads them (`serve`, the Lambda function): their texts are then not
    /// built. A reference, so recording is not a mutation of the evaluation while a detail text reads it.
    private let record: CheckRecord?
    /// The checks made so far, in order (empty when not recorded).
    var checks: [LoginCheck] { record?.checks ?? [] }
    /// Set once the throttle admitted a password attempt and its password was checked (or the queue was not full).
    private(set) var passwordAttempt: PasswordAttempt?

    init(request: LoginRequest, namingScheme: NamingScheme, users: LoginUserSource, throttle: LoginThrottle, checker: PasswordChecker, sleep: @escaping @Sendable (Duration) async -> Void, now: Date, recordsChecks: Bool) {
        self.request = request
        self.namingScheme = namingScheme
        self.users = users
        self.throttle = throttle
        self.checker = checker
        self.sleep = sleep
        self.now = now
        record = recordsChecks ? CheckRecord() : nil
    }

    mutating func run() async throws(LoginStop) -> Allowed {
        let fields = try checkRequest()
        try checkPasswordRequirement(fields)
        let secretName = try nameSecret(fields)
        try await checkThrottle(fields, secretName: secretName)
        let user = try await readUser(fields, secretName: secretName)
        let keys = try await checkCredentials(fields, user: user)
        try checkReadable(fields, user: user, secretName: secretName)
        try checkAccount(fields, user: user)
        try checkSourceIP(fields, user: user)
        let (response, text) = try buildAnswer(fields, user: user, keys: keys)
        let how = fields.password == nil ? "public key (\(keys.count) \(keys.count == 1 ? "key" : "keys") returned)" : "password"
        return Allowed(response: response, responseText: text, reason: "allowed by \(how)")
    }

    // MARK: Steps

    /// The request's fields once checked: all present, the protocol known.
    struct Fields {
        var serverID: String
        var username: String
        var transferProtocol: TransferProtocol
        /// `nil` for public-key authentication.
        var password: String?
        /// `nil` when the request carries no source address.
        var sourceAddress: SourceAddress?
    }

    /// The longest user name or server id read (the contract's user-name limit), checked before anything keeps it.
    static let maximumNameLength = 100

    /// Step 1: `serverId`, `username` and `protocol` must be present, the protocol one of SFTP, FTP, FTPS.
    mutating func checkRequest() throws(LoginStop) -> Fields {
        let name = "request"
        guard let serverID = request.serverID, !serverID.isEmpty else {
            throw deny(name, .invalidRequest, "the request has no serverId")
        }
        guard let username = request.username, !username.isEmpty else {
            throw deny(name, .invalidRequest, "the request has no username")
        }
        guard let protocolName = request.protocolName, !protocolName.isEmpty else {
            throw deny(name, .invalidRequest, "the request has no protocol")
        }
        guard let transferProtocol = TransferProtocol(parsing: protocolName) else {
            throw deny(name, .invalidRequest, "protocol \(quoted(protocolName)) is not SFTP, FTP or FTPS")
        }
        guard username.unicodeScalars.count <= Self.maximumNameLength else {
            throw deny(name, .invalidRequest, "the username is longer than \(Self.maximumNameLength) characters")
        }
        guard serverID.unicodeScalars.count <= Self.maximumNameLength else {
            throw deny(name, .invalidRequest, "the serverId is longer than \(Self.maximumNameLength) characters")
        }
        var sourceAddress: SourceAddress?
        if let sourceText = request.sourceIP, !sourceText.isEmpty {
            guard let parsed = SourceAddress(parsing: sourceText) else {
                throw deny(name, .invalidRequest, "sourceIp \(quoted(sourceText)) is not an IPv4 or IPv6 address (no zone ids, no other characters)")
            }
            sourceAddress = parsed
        }
        let password = request.password.flatMap { $0.isEmpty ? nil : $0 }
        pass(name, "user \(shown(username)) on server \(shown(serverID)) over \(transferProtocol.rawValue) by \(request.authentication.rawValue)")
        return Fields(serverID: serverID, username: username, transferProtocol: transferProtocol, password: password, sourceAddress: sourceAddress)
    }

    /// Step 2: FTP and FTPS have no key authentication, so they need a password.
    mutating func checkPasswordRequirement(_ fields: Fields) throws(LoginStop) {
        guard fields.password == nil, fields.transferProtocol != .sftp else { return }
        throw deny("protocol", .passwordRequired, "\(fields.transferProtocol.rawValue) logins need a password: there is no key authentication over \(fields.transferProtocol.rawValue)")
    }

    /// The secret's name; a user name or server id that cannot be part of a secret name is a denial.
    mutating func nameSecret(_ fields: Fields) throws(LoginStop) -> String {
        let name = "secret name"
        guard Self.isUsableInSecretName(fields.username) else {
            throw deny(name, .invalidRequest, "user name \(quoted(fields.username)) cannot be part of a secret name (allowed: A-Z a-z 0-9 _ + = . @ -)")
        }
        if namingScheme.needsServerID, !Self.isUsableInSecretName(fields.serverID) {
            throw deny(name, .invalidRequest, "server id \(quoted(fields.serverID)) cannot be part of a secret name (allowed: A-Z a-z 0-9 _ + = . @ -)")
        }
        do {
            let secretName = try namingScheme.secretName(forUser: fields.username, serverID: fields.serverID)
            pass(name, "\(secretName) (scheme \(namingScheme.template))")
            return secretName
        } catch {
            throw deny(name, .invalidRequest, "no secret name for user \(quoted(fields.username)): \(error)")
        }
    }

    /// Step 3a: password attempts from a locked address are refused before any secret is read; attempts for a
    /// user with many recent failures wait first.
    mutating func checkThrottle(_ fields: Fields, secretName: String) async throws(LoginStop) {
        let name = "throttle"
        guard fields.password != nil else {
            skip(name, "public-key logins are not throttled")
            return
        }
        switch await throttle.verdict(user: secretName, address: fields.sourceAddress, at: now) {
        case .refused(let refusal):
            throw deny(name, .throttled, refusal.description)
        case .proceed(let delay) where delay > .zero:
            pass(name, "slowed down by \(delay) after recent failed password attempts for this user")
            await sleep(delay)
        case .proceed:
            pass(name, "no lock on this address, no delay for this user")
        }
        passwordAttempt = PasswordAttempt(user: secretName, address: fields.sourceAddress)
    }

    /// Step 3b: the secret must exist and be a JSON object; the user comes prepared for the request's protocol.
    mutating func readUser(_ fields: Fields, secretName: String) async throws(LoginStop) -> PreparedLogin {
        let name = "secret"
        let lookup: UserLookup
        do {
            lookup = try await users.lookup(name: secretName, transferProtocol: fields.transferProtocol)
        } catch let error as SecretStoreError {
            fail(name, "the store could not be read: \(error.message)")
            throw .storeFailure(error.message)
        } catch {
            fail(name, "the store could not be read")
            throw .storeFailure("the store could not be read: \(error)")
        }
        switch lookup {
        case .found(let user):
            pass(name, user.readDetail)
            return user
        case .notFound:
            try await spendPasswordCheck(fields)
            throw deny(name, .unknownUser, "no secret \(secretName)")
        case .refusedName(let why):
            try await spendPasswordCheck(fields)
            throw deny(name, .invalidRequest, "the store refuses the secret name \(quoted(secretName)): \(why)")
        case .unreadable(let reason):
            try await spendPasswordCheck(fields)
            fail(name, reason)
            throw .denied(.invalidSecret, "secret \(secretName) is not a JSON object")
        }
    }

    /// Steps 4 and 5: the password must match, or there must be unexpired public keys (returned).
    mutating func checkCredentials(_ fields: Fields, user: PreparedLogin) async throws(LoginStop) -> [Int] {
        if let password = fields.password {
            try await checkPassword(password, fields: fields, user: user)
            return []
        }
        return try checkPublicKeys(fields, user: user)
    }

    private mutating func checkPassword(_ password: String, fields: Fields, user: PreparedLogin) async throws(LoginStop) {
        let name = "password"
        let proto = fields.transferProtocol
        let stored = user.storedPassword
        switch await checker.check(password, against: stored) {
        case .match(let kind):
            if kind == .legacyPlainText {
                pass(name, "legacy plain-text password matches (stored as plain text: set a new password to store a hash)")
            } else {
                pass(name, "\(kind.label) hash matches")
            }
        case .mismatch:
            throw deny(name, .wrongPassword, stored == nil ? "user has no password for \(proto.rawValue)" : "password does not match")
        case .unusable(let why):
            throw deny(name, .invalidSecret, "the stored password cannot be checked: \(why)")
        case .busy:
            throw busy(name)
        }
    }

    /// The unexpired keys, as indices into the user's keys (their lines are ready in ``PreparedLogin/publicKeyLines``).
    private mutating func checkPublicKeys(_ fields: Fields, user: PreparedLogin) throws(LoginStop) -> [Int] {
        let name = "public keys"
        let keys = user.publicKeys
        guard !keys.isEmpty else {
            throw deny(name, .noPublicKeys, "user has no public keys for \(fields.transferProtocol.rawValue)")
        }
        let current = keys.indices.filter { !keys[$0].isExpired(at: now) }
        guard !current.isEmpty else {
            throw deny(name, .noPublicKeys, keys.count == 1 ? "the user's only key has expired" : "all \(keys.count) keys have expired")
        }
        let expiredCount = keys.count - current.count
        pass(name, "\(current.count) \(current.count == 1 ? "key" : "keys") returned" + (expiredCount > 0 ? ", \(expiredCount) expired left out" : ""))
        return current
    }

    /// Every key that matters for this protocol must be readable: a broken secret never grants access.
    mutating func checkReadable(_ fields: Fields, user: PreparedLogin, secretName: String) throws(LoginStop) {
        let issues = user.issues
        guard let first = issues.first else {
            pass("fields", "every field for \(fields.transferProtocol.rawValue) is readable")
            return
        }
        fail("fields", issues.map(\.description).joined(separator: "; "))
        let more = issues.count > 1 ? " (and \(issues.count - 1) more)" : ""
        throw .denied(.invalidSecret, "secret \(secretName) has a field that cannot be read: \(first)\(more)")
    }

    /// Our own keys: disabled, expiry date, allowed server ids.
    mutating func checkAccount(_ fields: Fields, user: PreparedLogin) throws(LoginStop) {
        if user.isDisabled {
            throw deny("disabled", .disabled, "user is disabled")
        }
        pass("disabled", "user is enabled")
        if let expiresAt = user.expiresAt {
            guard expiresAt > now else {
                throw deny("expiry", .expired, "user expired on \(Self.display(expiresAt))")
            }
            pass("expiry", "user expires on \(Self.display(expiresAt))")
        } else {
            skip("expiry", "no expiry date")
        }
        guard let allowedServers = user.allowedServerIDs else {
            skip("server", "user may log in to every server")
            return
        }
        guard allowedServers.contains(fields.serverID) else {
            throw deny("server", .serverNotAllowed, "server \(shown(fields.serverID)) is not allowed for this user")
        }
        pass("server", "\(fields.serverID) is allowed")
    }

    /// Step 6: with `AcceptedIpNetwork`, the source address must be in one of its networks.
    mutating func checkSourceIP(_ fields: Fields, user: PreparedLogin) throws(LoginStop) {
        let name = "source ip"
        let networks = user.acceptedNetworks
        guard !networks.isEmpty else {
            skip(name, "no AcceptedIpNetwork: every address is accepted")
            return
        }
        let list = user.acceptedNetworkList
        guard let address = fields.sourceAddress?.address else {
            throw deny(name, .sourceIPNotAllowed, "the request has no sourceIp, but the user is limited to \(list)")
        }
        guard let network = networks.first(where: { $0.contains(address) }) else {
            throw deny(name, .sourceIPNotAllowed, "source IP \(address) is not in \(list)")
        }
        pass(name, "\(address) is in \(network)")
    }

    /// Step 7: the answer of CONTRACT.md section 2, prepared with the user (see ``PreparedAnswer``): no `Role`, or a
    /// field the service would refuse, is a denial with the rule. Returns the answer and, when every key is
    /// returned (or for a password login), its JSON text encoded beforehand.
    mutating func buildAnswer(_ fields: Fields, user: PreparedLogin, keys: [Int]) throws(LoginStop) -> (JSONValue, String?) {
        let prepared = user.answer
        record?.checks += prepared.passed
        if let denial = prepared.denial {
            throw deny(denial.check, denial.category, denial.reason)
        }
        let answer: JSONValue
        let text: String?
        if fields.password == nil {
            answer = PreparedAnswer.answer(prepared.fields, keyLines: keys.map { user.publicKeyLines[$0] })
            text = keys.count == user.publicKeyLines.count ? prepared.allKeysText : nil
        } else {
            answer = .object(prepared.fields)
            text = prepared.passwordText
        }
        pass("answer", fields.password == nil ? prepared.keyFieldList : prepared.passwordFieldList)
        return (answer, text)
    }

    // MARK: Recording

    private func pass(_ name: String, _ detail: @autoclosure () -> String) {
        record?.checks.append(LoginCheck(name: name, outcome: .passed, detail: detail()))
    }

    private func skip(_ name: String, _ detail: @autoclosure () -> String) {
        record?.checks.append(LoginCheck(name: name, outcome: .skipped, detail: detail()))
    }

    private func fail(_ name: String, _ detail: @autoclosure () -> String) {
        record?.checks.append(LoginCheck(name: name, outcome: .failed, detail: detail()))
    }

    /// Records the failed check and returns the denial to throw.
    private func deny(_ name: String, _ category: DenialCategory, _ reason: String) -> LoginStop {
        fail(name, reason)
        return .denied(category, reason)
    }

    /// A password attempt that cannot succeed (no user, unreadable secret): one verification against the dummy
    /// hash all the same, so this denial costs what a wrong password costs.
    private mutating func spendPasswordCheck(_ fields: Fields) async throws(LoginStop) {
        guard let password = fields.password else { return }
        if await checker.check(password, against: nil) == .busy {
            throw busy("password")
        }
    }

    /// The hashing queue is full: denied at once, not counted as a failed attempt.
    private mutating func busy(_ name: String) -> LoginStop {
        passwordAttempt = nil
        return deny(name, .throttled, "too many password checks in progress (the hashing queue is full); denied without checking the password")
    }

    // MARK: Text

    private func quoted(_ text: String) -> String {
        "\"" + text.unicodeScalars.prefix(200).map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined() + "\""
    }

    /// Plain text when it only holds secret-name characters, quoted and escaped otherwise.
    private func shown(_ text: String) -> String {
        Self.isUsableInSecretName(text) && text.utf8.count <= 200 ? text : quoted(text)
    }

    private static func isUsableInSecretName(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 != UInt8(ascii: "/") && NamingScheme.isSecretNameByte($0) }
    }

    /// `2026-01-01` for a midnight-UTC date, the full ISO-8601 time otherwise.
    static func display(_ date: Date) -> String {
        let text = ISODate.format(date)
        return text.hasSuffix("T00:00:00Z") ? String(text.dropLast("T00:00:00Z".count)) : text
    }
}

/// The checks of one login as they are made (see ``LoginEvaluation``).
private final class CheckRecord {
    var checks: [LoginCheck] = []
}

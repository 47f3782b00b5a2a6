import Foundation
import IdentityModel
import SecretStore
import TerminalText

/// One user described for people, as rows of label and value: `sftpidp users show` prints them, the console's
/// detail pane draws them. Secret values never appear (see ``SecretRedaction``); passwords show only their kind.
public struct UserDescription: Sendable, Hashable {
    /// How a row should stand out.
    public enum Tone: Sendable, Hashable {
        case title, normal, dim, success, warning, error
    }

    /// One line: a label (empty for a continuation of the row above) and a value.
    public struct Row: Sendable, Hashable {
        public var label: String
        public var value: String
        public var tone: Tone

        public init(_ label: String, _ value: String, _ tone: Tone = .normal) {
            self.label = label
            self.value = value
            self.tone = tone
        }
    }

    /// The state of the secret being described.
    public enum Content: Sendable, Hashable {
        /// Not read yet.
        case loading
        /// Read, but not a user secret (not a JSON object): why.
        case unreadable(String)
        /// Scheduled for deletion on this date.
        case deleted(Date)
        case user(UserSecret)
    }

    public private(set) var rows: [Row] = []
    private let argon2: Argon2Parameters

    /// Describes a user; `version` is what the store knows of the version read, when it is known. `argon2` is the
    /// configured cost: a stored argon2 hash above it is flagged, as logins refuse it.
    public init(username: String, secretName: String, version: SecretVersionInfo?, lastChangedAt: Date? = nil, content: Content, now: Date,
                argon2: Argon2Parameters) {
        self.argon2 = argon2
        rows.append(Row("User", username, .title))
        rows.append(Row("Secret", secretName))
        if let version {
            rows.append(Row("Version", "\(version.versionID.prefix(12)) · changed \(formatDate(version.createdAt))", .dim))
        } else if let lastChangedAt {
            rows.append(Row("Changed", formatDate(lastChangedAt), .dim))
        }
        switch content {
        case .loading:
            rows.append(Row("", "loading…", .dim))
        case .deleted(let date):
            rows.append(Row("Deleted", "\(formatDate(date)) · restorable until it is removed", .warning))
        case .unreadable(let problem):
            rows.append(Row("Problem", problem, .error))
            rows.append(Row("", "This secret is not a usable user; logins are denied. Fix it with another tool or delete it.", .dim))
        case .user(let secret):
            describe(SFTPUser(secret: secret), now: now)
        }
    }

    /// The description of a user as read by ``UserDirectory/load(_:version:)``.
    public init(stored: StoredUser, now: Date = Date(), argon2: Argon2Parameters) {
        let content: Content = switch stored.secret {
        case .success(let secret): .user(secret)
        case .failure(let error): .unreadable(error.reason)
        }
        self.init(username: stored.username, secretName: stored.value.name, version: stored.value.version, content: content, now: now, argon2: argon2)
    }

    /// The rows as aligned text for a terminal, every value neutralised (see ``TerminalText``).
    public var text: String {
        let width = rows.map(\.label.count).max() ?? 0
        return rows.map { row in
            // Each row is one line: a line break in a stored value is shown escaped, never as a line of its own.
            TerminalText.neutralised(row.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + row.value, keepingLayout: false)
        }.joined(separator: "\n")
    }

    private mutating func describe(_ user: SFTPUser, now: Date) {
        var status = "active"
        var statusTone = Tone.success
        if user.isDisabled { status = "disabled: logins are denied"; statusTone = .warning }
        if let expiresAt = user.expiresAt {
            if expiresAt <= now { status = "expired \(formatDate(expiresAt))"; statusTone = .error }
            else { status += " · expires \(formatDate(expiresAt))" }
        }
        rows.append(Row("Status", status, statusTone))
        rows.append(Row("Role", user.role() ?? "(none: every login is denied)", user.role() == nil ? .error : .normal))
        rows.append(Row("Policy", user.policy().map { "\($0.count) characters of JSON" } ?? "(none)", user.policy() == nil ? .dim : .normal))
        switch user.home() {
        case .path(let path):
            rows.append(Row("Home", "PATH \((path ?? "").isEmpty ? "/ (bucket root)" : path ?? "")"))
        case .logical(let mappings):
            rows.append(Row("Home", "LOGICAL, \(mappings.count) \(mappings.count == 1 ? "entry" : "entries")"))
            for mapping in mappings.prefix(20) {
                rows.append(Row("", "\(mapping.entry) → \(mapping.target)\(mapping.type.map { " (\($0.rawValue))" } ?? "")"))
            }
            if mappings.count > 20 { rows.append(Row("", "… \(mappings.count - 20) more", .dim)) }
        }
        describeCredentials(user, level: nil, now: now)
        let networks = user.acceptedNetworks()
        rows.append(Row("Networks", networks.isEmpty ? (user.restrictsNetworks() ? "(unreadable: every login is denied)" : "any address") : networks.map(\.description).joined(separator: ", "), networks.isEmpty ? .dim : .normal))
        if let posix = user.posixProfile() {
            let secondary = posix.secondaryGids.isEmpty ? "" : " · secondary \(posix.secondaryGids.map(String.init).joined(separator: ","))"
            rows.append(Row("POSIX", "uid \(posix.uid) · gid \(posix.gid)\(secondary)"))
        }
        if let servers = user.allowedServerIDs {
            rows.append(Row("Servers", servers.isEmpty ? "(none)" : servers.joined(separator: ", ")))
        }
        if let comment = user.comment {
            rows.append(Row("Comment", comment))
        }
        for (transferProtocol, keys) in user.protocolOverrides.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            rows.append(Row("\(transferProtocol.rawValue) only", keys.joined(separator: ", ")))
            describeCredentials(user, level: transferProtocol, now: now)
        }
        let unknown = user.unknownKeys
        if !unknown.isEmpty {
            rows.append(Row("Other keys", "kept unchanged on every edit", .dim))
            for key in unknown {
                rows.append(Row("", "\(key) = \(SecretRedaction.displayValue(of: key, in: user.secret))"))
            }
        }
        var seen = Set<FieldError>()
        for issue in (user.issues + user.validate()) where seen.insert(issue).inserted {
            rows.append(Row("Problem", "\(issue.field): \(issue.rule)", .error))
        }
    }

    /// The kind of a stored password, with a warning where logins cannot use it as it is.
    private func passwordRow(_ name: String, _ prefix: String, _ password: StoredPassword) -> Row {
        if password.isLegacy {
            return Row(name, prefix + "\(password.kindLabel): set a new password to store a hash", .warning)
        }
        if case .hash(let hash) = password, let cost = Argon2Parameters(ofHash: hash), cost.costsMore(than: argon2) {
            return Row(name, prefix + "\(password.kindLabel) (\(cost)): costs more than the configured \(argon2), so logins refuse it; "
                + "set a new password or raise SFTPIDP_ARGON2", .warning)
        }
        return Row(name, prefix + password.kindLabel)
    }

    /// The password and keys a login over `level` uses. For a protocol, only where it has keys of its own, as
    /// continuation rows under its `SFTP only` row: `password: legacy plain text`, `keys: 2`.
    private mutating func describeCredentials(_ user: SFTPUser, level: TransferProtocol?, now: Date) {
        func label(_ name: String) -> (label: String, prefix: String) {
            level == nil ? (name, "") : ("", name.lowercased() + ": ")
        }
        let ownPassword = level == nil || [SecretKey.password, SecretKey.passwordHash].contains { user.secret[SecretKey.name($0, for: level)] != nil }
        if ownPassword {
            let (name, prefix) = label("Password")
            if let password = user.storedPassword(for: level) {
                rows.append(passwordRow(name, prefix, password))
            } else {
                rows.append(Row(name, prefix + "(none: key authentication only)", .dim))
            }
        }
        let ownKeys = level == nil || [SecretKey.publicKey, SecretKey.publicKeys].contains { user.secret[SecretKey.name($0, for: level)] != nil }
        guard ownKeys else { return }
        let keys = user.publicKeys(for: level)
        let (name, prefix) = label("Keys")
        rows.append(Row(name, prefix + (keys.isEmpty ? "(none)" : "\(keys.count)"), keys.isEmpty ? .dim : .normal))
        for key in keys {
            var text = "\(key.key.keyTypeLabel) \(key.key.bits) \(key.key.fingerprint)"
            if let comment = key.key.comment { text += " \(comment)" }
            var tone = Tone.normal
            if let expiresAt = key.expiresAt {
                text += key.isExpired(at: now) ? " · EXPIRED \(formatDate(expiresAt))" : " · expires \(formatDate(expiresAt))"
                if key.isExpired(at: now) { tone = .error }
            }
            rows.append(Row("", text, tone))
        }
    }
}

/// A date as both faces show it: `2026-12-31 18:00 UTC`.
public func formatDate(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? .current
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    return String(format: "%04d-%02d-%02d %02d:%02d UTC", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
}

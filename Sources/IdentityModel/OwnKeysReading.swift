import Foundation

/// Reads sftpidp's own `sftpidp:` keys, reporting values of the wrong form into `issues`.
struct OwnKeysReading {
    let secret: UserSecret

    /// `sftpidp:Disabled`; a value that is not a boolean counts as disabled (fail closed).
    func isDisabled(_ issues: inout [FieldError]) -> Bool {
        guard let value = secret[SecretKey.disabled] else { return false }
        switch value {
        case .bool(let flag): return flag
        case .string(let text) where ["true", "false"].contains(text.lowercased()): return text.lowercased() == "true"
        default:
            issues.append(FieldError(field: SecretKey.disabled, rule: "must be true or false (an unreadable value counts as disabled)"))
            return true
        }
    }

    func expiresAt(_ issues: inout [FieldError]) -> Date? {
        guard let value = secret[SecretKey.expiresAt] else { return nil }
        guard let text = value.stringValue, let date = ISODate.parse(text) else {
            issues.append(FieldError(field: SecretKey.expiresAt, rule: "must be an ISO-8601 date (2026-01-31) or date-time (2026-01-31T18:00:00Z)"))
            return nil
        }
        return date
    }

    /// `nil` when every server is allowed.
    func allowedServerIDs(_ issues: inout [FieldError]) -> [String]? {
        guard let value = secret[SecretKey.allowedServerIds] else { return nil }
        let ids: [String]
        switch value {
        case .string(let text):
            ids = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .array(let elements) where elements.allSatisfy({ $0.stringValue != nil }):
            ids = elements.compactMap(\.stringValue)
        default:
            issues.append(FieldError(field: SecretKey.allowedServerIds, rule: "must be a string of comma-separated server ids"))
            return []
        }
        return ids.isEmpty ? nil : ids
    }

    /// Fingerprint -> expiry.
    func keyExpiry(_ issues: inout [FieldError]) -> [String: Date] {
        guard let value = secret[SecretKey.keyExpiry] else { return [:] }
        guard let object = value.objectValue else {
            issues.append(FieldError(field: SecretKey.keyExpiry, rule: "must be an object from key fingerprint (SHA256:...) to ISO-8601 date"))
            return [:]
        }
        var expiry: [String: Date] = [:]
        for (fingerprint, dateValue) in object {
            guard let date = dateValue.stringValue.flatMap(ISODate.parse) else {
                issues.append(FieldError(field: "\(SecretKey.keyExpiry).\(fingerprint.prefix(60))", rule: "must be an ISO-8601 date or date-time"))
                continue
            }
            expiry[fingerprint] = date
        }
        return expiry
    }

    func comment(_ issues: inout [FieldError]) -> String? {
        guard let value = secret[SecretKey.comment] else { return nil }
        guard let text = value.stringValue else {
            issues.append(FieldError(field: SecretKey.comment, rule: "must be a string"))
            return nil
        }
        return text
    }
}

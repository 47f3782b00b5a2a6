import Foundation

/// Reads the typed values of one secret for one protocol, reporting every problem into an `issues` list.
///
/// Lookups read the per-protocol key first (`SFTPRole`), then the plain key (`Role`).
struct UserReading {
    let secret: UserSecret
    let transferProtocol: TransferProtocol?

    /// The key actually read for `key`: the per-protocol one when present, else the plain one, else `nil`.
    func effectiveKey(_ key: String) -> String? {
        if let transferProtocol {
            let specific = SecretKey.name(key, for: transferProtocol)
            if secret[specific] != nil { return specific }
        }
        return secret[key] != nil ? key : nil
    }

    /// The string at the effective `key`; a non-string is an issue.
    func string(_ key: String, _ issues: inout [FieldError]) -> String? {
        guard let name = effectiveKey(key), let value = secret[name] else { return nil }
        guard case .string(let text) = value else {
            issues.append(FieldError(field: name, rule: "must be a string, not a JSON \(value.typeName)"))
            return nil
        }
        return text
    }

    func role(_ issues: inout [FieldError]) -> String? {
        string(SecretKey.role, &issues)
    }

    func policy(_ issues: inout [FieldError]) -> String? {
        guard let name = effectiveKey(SecretKey.policy), let value = secret[name] else { return nil }
        switch value {
        case .string(let text): return text
        case .object: return value.jsonText
        default:
            issues.append(FieldError(field: name, rule: "must be a policy document (a JSON object or a string holding one), not a JSON \(value.typeName)"))
            return nil
        }
    }

    func home(_ issues: inout [FieldError]) -> HomeDirectory {
        let levels: [TransferProtocol?] = transferProtocol.map { [$0, nil] } ?? [nil]
        for level in levels {
            let detailsKey = SecretKey.name(SecretKey.homeDirectoryDetails, for: level)
            if let details = secret[detailsKey] {
                return .logical(Self.homeMappings(details, field: detailsKey, &issues) ?? [])
            }
            let pathKey = SecretKey.name(SecretKey.homeDirectory, for: level)
            if let path = secret[pathKey] {
                guard case .string(let text) = path else {
                    issues.append(FieldError(field: pathKey, rule: "must be a string, not a JSON \(path.typeName)"))
                    return .logical([])
                }
                return .path(text.isEmpty ? nil : text)
            }
        }
        return .path(nil)
    }

    /// HomeDirectoryDetails as a string holding a JSON array, or as a real array.
    static func homeMappings(_ value: JSONValue, field: String, _ issues: inout [FieldError]) -> [HomeMapping]? {
        var array: [JSONValue]
        switch value {
        case .array(let elements):
            array = elements
        case .string(let text):
            do {
                guard case .array(let elements) = try JSONValue(parsing: text) else {
                    issues.append(FieldError(field: field, rule: "must hold a JSON array of {\"Entry\", \"Target\"} objects"))
                    return nil
                }
                array = elements
            } catch {
                issues.append(FieldError(field: field, rule: "must hold a JSON array: \(error.reason)"))
                return nil
            }
        default:
            issues.append(FieldError(field: field, rule: "must be a JSON array (or a string holding one), not a JSON \(value.typeName)"))
            return nil
        }
        var mappings: [HomeMapping] = []
        mappings.reserveCapacity(array.count)
        for (index, element) in array.enumerated() {
            // Named only when there is something to report: listing 100,000 users built the name for every mapping.
            func place() -> String { "\(field)[\(index + 1)]" }
            guard let object = element.objectValue,
                  let entry = object["Entry"]?.stringValue, let target = object["Target"]?.stringValue else {
                issues.append(FieldError(field: place(), rule: "must be an object with string Entry and Target"))
                return nil
            }
            var type: HomeMappingType?
            if let typeValue = object["Type"] {
                guard let parsed = typeValue.stringValue.flatMap({ HomeMappingType(rawValue: $0.uppercased()) }) else {
                    issues.append(FieldError(field: "\(place()).Type", rule: "must be FILE or DIRECTORY"))
                    return nil
                }
                type = parsed
            }
            mappings.append(HomeMapping(entry: entry, target: target, type: type))
        }
        return mappings
    }

    func storedPassword(_ issues: inout [FieldError]) -> StoredPassword? {
        let levels: [TransferProtocol?] = transferProtocol.map { [$0, nil] } ?? [nil]
        for level in levels {
            for key in [SecretKey.passwordHash, SecretKey.password] {
                let name = SecretKey.name(key, for: level)
                guard let value = secret[name] else { continue }
                guard case .string(let text) = value else {
                    issues.append(FieldError(field: name, rule: "must be a string, not a JSON \(value.typeName)"))
                    return nil
                }
                return key == SecretKey.passwordHash ? .hash(text) : .legacyPlainText(text)
            }
        }
        return nil
    }

    /// The raw entries at the first present of `PublicKey`, `PublicKeys` (per protocol first).
    func publicKeyEntries(_ issues: inout [FieldError]) -> PublicKeyEntries? {
        let levels: [TransferProtocol?] = transferProtocol.map { [$0, nil] } ?? [nil]
        for level in levels {
            if let entries = Self.publicKeyEntries(at: level, in: secret, &issues) { return entries }
            if secret[SecretKey.name(SecretKey.publicKey, for: level)] != nil
                || secret[SecretKey.name(SecretKey.publicKeys, for: level)] != nil {
                return nil
            }
        }
        return nil
    }

    /// The entries stored at exactly one level (`SFTPPublicKey`/`SFTPPublicKeys`, or the plain keys).
    static func publicKeyEntries(at level: TransferProtocol?, in secret: UserSecret, _ issues: inout [FieldError]) -> PublicKeyEntries? {
        for key in [SecretKey.publicKey, SecretKey.publicKeys] {
            let name = SecretKey.name(key, for: level)
            if let value = secret[name] {
                return PublicKeyEntries(key: name, value: value, issues: &issues)
            }
        }
        return nil
    }

    func publicKeys(_ issues: inout [FieldError]) -> [UserPublicKey] {
        publicKeys(of: publicKeyEntries(&issues), &issues)
    }

    /// The keys of `entries` (read by ``publicKeyEntries(_:)``), with their expiry dates.
    func publicKeys(of entries: PublicKeyEntries?, _ issues: inout [FieldError]) -> [UserPublicKey] {
        guard let entries else { return [] }
        let expiry = OwnKeysReading(secret: secret).keyExpiry(&issues)
        // The fingerprint is computed only when some key has an expiry date to look up.
        return entries.parsedKeys(issues: &issues).map { UserPublicKey(key: $0.key, expiresAt: expiry.isEmpty ? nil : expiry[$0.key.fingerprint]) }
    }

    func acceptedNetworks(_ issues: inout [FieldError]) -> [IPNetwork] {
        guard let name = effectiveKey(SecretKey.acceptedIpNetwork), let value = secret[name] else { return [] }
        let texts: [String]
        switch value {
        case .string(let text): texts = [text]
        case .array(let elements) where elements.allSatisfy({ $0.stringValue != nil }): texts = elements.compactMap(\.stringValue)
        default:
            issues.append(FieldError(field: name, rule: "must be a string of comma-separated CIDR networks"))
            return []
        }
        var networks: [IPNetwork] = []
        for entry in texts.flatMap({ $0.split(separator: ",") }) where !entry.trimmingSpaces.isEmpty {
            do {
                networks.append(try IPNetwork(parsing: String(entry), field: name))
            } catch {
                issues.append(error)
            }
        }
        if networks.isEmpty && issues.allSatisfy({ $0.field != name }) {
            issues.append(FieldError(field: name, rule: "is present but lists no network (remove it to allow every address)"))
        }
        return networks
    }

    func posixProfile(_ issues: inout [FieldError]) -> PosixProfile? {
        guard let name = effectiveKey(SecretKey.posixProfile), let value = secret[name] else { return nil }
        var object: [String: JSONValue]
        switch value {
        case .object(let members):
            object = members
        case .string(let text):
            guard let members = (try? JSONValue(parsing: text))?.objectValue else {
                issues.append(FieldError(field: name, rule: "must be a JSON object {\"Uid\", \"Gid\", \"SecondaryGids\"} or a string holding one"))
                return nil
            }
            object = members
        default:
            issues.append(FieldError(field: name, rule: "must be a JSON object, not a JSON \(value.typeName)"))
            return nil
        }
        guard let uid = Self.posixID(object["Uid"]) else {
            issues.append(FieldError(field: "\(name).Uid", rule: "must be a whole number from 0 to 4294967295"))
            return nil
        }
        guard let gid = Self.posixID(object["Gid"]) else {
            issues.append(FieldError(field: "\(name).Gid", rule: "must be a whole number from 0 to 4294967295"))
            return nil
        }
        var secondary: [UInt32] = []
        if let list = object["SecondaryGids"] {
            guard let elements = list.arrayValue else {
                issues.append(FieldError(field: "\(name).SecondaryGids", rule: "must be an array of whole numbers"))
                return nil
            }
            for element in elements {
                guard let id = Self.posixID(element) else {
                    issues.append(FieldError(field: "\(name).SecondaryGids", rule: "every id must be a whole number from 0 to 4294967295"))
                    return nil
                }
                secondary.append(id)
            }
        }
        return PosixProfile(uid: uid, gid: gid, secondaryGids: secondary)
    }

    /// A POSIX id from a JSON number or a string of digits.
    private static func posixID(_ value: JSONValue?) -> UInt32? {
        if let integer = value?.integerValue { return UInt32(exactly: integer) }
        if let text = value?.stringValue, text.allSatisfy(\.isASCII) { return UInt32(text) }
        return nil
    }
}

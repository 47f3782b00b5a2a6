import Foundation

/// The limits of the identity-provider contract (CONTRACT.md sections 2 and 6), one check per rule.
///
/// Each check returns `nil` when the value is fine, or a ``FieldError`` naming the field and the rule
/// (never the value).
public enum Validation {
    public static let userNameLength = 3...100
    public static let roleARNLength = 20...2048
    public static let maximumPolicyLength = 2048
    public static let maximumPathLength = 1024
    public static let homeMappingCount = 1...50_000
    public static let maximumSecondaryGids = 16
    public static let maximumPublicKeys = 50
    public static let maximumPasswordLength = 1024
    public static let maximumSecretValueBytes = 65_536
    public static let secretNameLength = 1...512

    /// A user name: 3..100 of `A-Za-z0-9_@.-`, first character `A-Za-z0-9_`; `root` is refused unless
    /// the user is only for FTP/FTPS.
    public static func userName(_ name: String, transferProtocol: TransferProtocol? = nil, field: String = "username") -> FieldError? {
        guard userNameLength.contains(name.count) else {
            return FieldError(field: field, rule: "must be 3 to 100 characters long")
        }
        guard name.allSatisfy({ isASCIIAlphanumeric($0) || "_@.-".contains($0) }) else {
            return FieldError(field: field, rule: "may only contain letters, digits and _ @ . -")
        }
        guard let first = name.first, isASCIIAlphanumeric(first) || first == "_" else {
            return FieldError(field: field, rule: "must start with a letter, a digit or _ (not - . or @)")
        }
        if name == "root", transferProtocol == nil || transferProtocol == .sftp {
            return FieldError(field: field, rule: "root is refused for SFTP")
        }
        return nil
    }

    /// A server id: `s-` followed by 17 lowercase hexadecimal digits.
    public static func serverID(_ id: String, field: String = "serverId") -> FieldError? {
        let digits = id.dropFirst(2)
        guard id.hasPrefix("s-"), digits.count == 17, digits.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            return FieldError(field: field, rule: "must be s- followed by 17 lowercase hexadecimal digits")
        }
        return nil
    }

    /// A role ARN: `arn:<partition>:iam::<12 digits>:role/<path+name>`, 20..2048 characters.
    public static func roleARN(_ arn: String, field: String = "Role") -> FieldError? {
        // On the UTF-8 bytes: every part must be ASCII, and Character-by-Character checks were 4% of listing users.
        let bytes = arn.utf8
        let isASCII = bytes.allSatisfy { $0 < 0x80 }
        let rule = "must be an IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<name>"
        // The shape first: a short word is not an ARN, which says more than its length.
        guard roleARNLength.contains(isASCII ? bytes.count : arn.count) else {
            return FieldError(field: field, rule: bytes.starts(with: "arn:".utf8) ? "must be 20 to 2048 characters long" : rule)
        }
        let parts = bytes.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].elementsEqual("arn".utf8), parts[2].elementsEqual("iam".utf8), parts[3].isEmpty else {
            return FieldError(field: field, rule: rule)
        }
        let partition = parts[1]
        guard let partitionStart = partition.first, isLowercaseLetter(partitionStart),
              partition.allSatisfy({ isLowercaseLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") }) else {
            return FieldError(field: field, rule: rule)
        }
        guard parts[4].count == 12, parts[4].allSatisfy(isDigit) else {
            return FieldError(field: field, rule: "must contain a 12-digit account id")
        }
        let resource = parts[5]
        guard resource.starts(with: "role/".utf8) else { return FieldError(field: field, rule: rule) }
        let pathAndName = resource.dropFirst("role/".utf8.count)
        guard let name = pathAndName.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).last,
              (1...64).contains(name.count),
              pathAndName.allSatisfy({ isLetterOrDigit($0) || "+=,.@_/-".utf8.contains($0) }) else {
            return FieldError(field: field, rule: "the role name must be 1 to 64 of A-Za-z0-9+=,.@_- after role/ and an optional /path/")
        }
        return nil
    }

    private static func isLowercaseLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// A-Z, a-z or 0-9 (setting bit 5 lowercases exactly the bytes A-Z).
    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        isLowercaseLetter(byte | 0x20) || isDigit(byte)
    }

    /// A scope-down policy: a JSON object, at most 2048 characters.
    public static func policy(_ text: String, field: String = "Policy") -> FieldError? {
        guard text.count <= maximumPolicyLength else {
            return FieldError(field: field, rule: "must be at most 2048 characters")
        }
        do {
            guard case .object = try JSONValue(parsing: text) else {
                return FieldError(field: field, rule: "must be a JSON object (a policy document)")
            }
        } catch {
            return FieldError(field: field, rule: "must be a JSON object (a policy document): \(error.reason)")
        }
        return nil
    }

    /// A `PATH` home directory: empty (the bucket root) or a path starting with `/`, at most 1024 characters.
    public static func homeDirectory(_ path: String, field: String = "HomeDirectory") -> FieldError? {
        if path.isEmpty { return nil }
        return absolutePath(path, field: field)
    }

    /// `LOGICAL` home mappings: 1..50000 entries, every Entry and Target starting with `/`, at most 1024 characters.
    public static func homeMappings(_ mappings: [HomeMapping], field: String = "HomeDirectoryDetails") -> FieldError? {
        guard homeMappingCount.contains(mappings.count) else {
            return FieldError(field: field, rule: "must hold 1 to 50000 mappings")
        }
        for (index, mapping) in mappings.enumerated() {
            if let error = absolutePath(mapping.entry, field: "\(field)[\(index + 1)].Entry") { return error }
            if let error = absolutePath(mapping.target, field: "\(field)[\(index + 1)].Target") { return error }
        }
        return nil
    }

    /// A POSIX profile: at most 16 secondary gids (ids are 0..4294967295 by type).
    public static func posixProfile(_ profile: PosixProfile, field: String = "PosixProfile") -> FieldError? {
        guard profile.secondaryGids.count <= maximumSecondaryGids else {
            return FieldError(field: field, rule: "must have at most 16 SecondaryGids")
        }
        return nil
    }

    /// The number of public keys of one user: at most 50.
    public static func publicKeyCount(_ count: Int, field: String = "PublicKey") -> FieldError? {
        count <= maximumPublicKeys ? nil : FieldError(field: field, rule: "at most 50 public keys per user")
    }

    /// A password: 1..1024 characters. The message never contains the password.
    public static func password(_ password: String, field: String = "Password") -> FieldError? {
        if password.isEmpty { return FieldError(field: field, rule: "must not be empty") }
        if password.count > maximumPasswordLength { return FieldError(field: field, rule: "must be at most 1024 characters") }
        return nil
    }

    /// A whole secret value: at most 65536 bytes of UTF-8.
    public static func secretValue(_ text: String, field: String = "SecretString") -> FieldError? {
        text.utf8.count <= maximumSecretValueBytes ? nil
            : FieldError(field: field, rule: "the user's fields together must be at most 65536 bytes of JSON (Secrets Manager's limit for a secret)")
    }

    /// A secret name: 1..512 characters of `A-Za-z0-9/_+=.@-`.
    public static func secretName(_ name: String, field: String = "secret name") -> FieldError? {
        guard secretNameLength.contains(name.count) else {
            return FieldError(field: field, rule: "must be 1 to 512 characters long")
        }
        guard name.allSatisfy({ isASCIIAlphanumeric($0) || "/_+=.@-".contains($0) }) else {
            return FieldError(field: field, rule: "may only contain letters, digits and / _ + = . @ -")
        }
        return nil
    }

    private static func absolutePath(_ path: String, field: String) -> FieldError? {
        guard path.hasPrefix("/") else { return FieldError(field: field, rule: "must start with /") }
        guard path.count <= maximumPathLength else { return FieldError(field: field, rule: "must be at most 1024 characters") }
        guard !path.unicodeScalars.contains(where: isControl) else {
            return FieldError(field: field, rule: "must not contain control characters (line breaks, tabs, escapes)")
        }
        return nil
    }

    /// A C0 control, DEL or a C1 control: never part of a path.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    static func isASCIIAlphanumeric(_ character: Character) -> Bool {
        character.asciiValue.map(isLetterOrDigit) ?? false
    }
}

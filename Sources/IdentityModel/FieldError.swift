/// One field that breaks one rule: `"<field>: <rule>"`. Never carries the field's value.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key or option the rule applies to, e.g. `Role`, `SFTPPublicKey`, `AcceptedIpNetwork`.
    public var field: String
    /// What is wrong, in words a user can act on; never contains a secret value.
    public var rule: String

    public init(field: String, rule: String) {
        self.field = field
        self.rule = rule
    }

    public var description: String { "\(field): \(rule)" }
}

/// A policy document with where it came from, as reports name it.
public struct NamedPolicy: Sendable, Hashable {
    /// Which side of the session a policy limits.
    public enum Origin: String, Sendable, Hashable, Codable {
        /// One of the role's identity policies (inline or attached).
        case role
        /// The answer's `Policy`, the scope-down policy the service passes when it assumes the role.
        case session
    }

    /// How reports name it: a file name, `inline policy S3Access`, `session policy`...
    public var name: String
    public var origin: Origin
    public var document: PolicyDocument
    /// The text as given, for length checks.
    public var text: String

    public init(name: String, origin: Origin, document: PolicyDocument, text: String) {
        self.name = name
        self.origin = origin
        self.document = document
        self.text = text
    }

    /// Parses `text` as a policy of `origin`; a parse error names the policy too.
    public init(name: String, origin: Origin, parsing text: String) throws(PolicyDocumentError) {
        do {
            self.init(name: name, origin: origin, document: try PolicyDocument(parsing: text), text: text)
        } catch {
            throw PolicyDocumentError(statement: error.statement.map { "\(name), \($0)" } ?? name, message: error.message)
        }
    }
}

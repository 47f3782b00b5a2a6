import Foundation

/// An IAM policy document as identity and session policies use it: `Version` and one or more statements.
///
/// `Principal` and `NotPrincipal` are ignored: they belong to resource policies, and the explainer only reads
/// the policies of the role and the session.
public struct PolicyDocument: Sendable, Hashable {
    /// The language version; policy variables are only substituted under ``PolicyDocument/variablesVersion``.
    public var version: String?
    /// The statements in the order written.
    public var statements: [PolicyStatement]

    /// The version under which `${...}` is a policy variable; under any other (or none) it is literal text.
    public static let variablesVersion = "2012-10-17"

    public init(version: String?, statements: [PolicyStatement]) {
        self.version = version
        self.statements = statements
    }

    /// Parses a policy document; throws ``PolicyDocumentError`` naming the statement and the rule it breaks.
    public init(parsing text: String) throws(PolicyDocumentError) {
        let root: PolicyJSON
        do {
            root = try JSONDecoder().decode(PolicyJSON.self, from: Data(text.utf8))
        } catch {
            throw PolicyDocumentError(statement: nil, message: "the policy is not valid JSON")
        }
        guard case .object(let members) = root else {
            throw PolicyDocumentError(statement: nil, message: "the policy must be a JSON object, not \(root.typeName)")
        }
        switch members["Version"] {
        case nil: version = nil
        case .string(let value): version = value
        case .some(let other): throw PolicyDocumentError(statement: nil, message: "Version must be a string, not \(other.typeName)")
        }
        let statementValues: [PolicyJSON]
        switch members["Statement"] {
        case .object(let single)?: statementValues = [.object(single)]
        case .array(let values)?: statementValues = values
        case nil: throw PolicyDocumentError(statement: nil, message: "the policy has no Statement")
        case .some(let other): throw PolicyDocumentError(statement: nil, message: "Statement must be an object or an array of objects, not \(other.typeName)")
        }
        guard !statementValues.isEmpty else {
            throw PolicyDocumentError(statement: nil, message: "Statement must hold at least one statement")
        }
        statements = try statementValues.enumerated().map { index, value throws(PolicyDocumentError) in
            try PolicyStatement(parsing: value, index: index)
        }
    }

    /// True when `${...}` in this document is a policy variable.
    public var substitutesVariables: Bool { version == Self.variablesVersion }
}

/// One statement: an effect, the actions and resources it covers, and its conditions.
public struct PolicyStatement: Sendable, Hashable {
    /// `Allow` or `Deny`.
    public enum Effect: String, Sendable, Hashable, Codable {
        case allow = "Allow"
        case deny = "Deny"
    }

    /// The statement's `Sid`, when it has one.
    public var sid: String?
    /// Its position in the policy, from 0.
    public var index: Int
    public var effect: Effect
    /// `Action` (the listed patterns) or `NotAction` (everything except them).
    public var actions: PatternList
    /// `Resource` or `NotResource`.
    public var resources: PatternList
    /// Every operator-key pair of `Condition`; all must hold.
    public var conditions: [ConditionClause]

    public init(sid: String?, index: Int, effect: Effect, actions: PatternList, resources: PatternList, conditions: [ConditionClause]) {
        self.sid = sid
        self.index = index
        self.effect = effect
        self.actions = actions
        self.resources = resources
        self.conditions = conditions
    }

    /// How people find the statement: its `Sid` when it has one, else its number from 1.
    public var label: String {
        if let sid, !sid.isEmpty { return "\"\(sid)\"" }
        return "#\(index + 1)"
    }

    init(parsing value: PolicyJSON, index: Int) throws(PolicyDocumentError) {
        let name = "statement \(index + 1)"
        guard case .object(let members) = value else {
            throw PolicyDocumentError(statement: name, message: "a statement must be an object, not \(value.typeName)")
        }
        self.index = index
        switch members["Sid"] {
        case nil: sid = nil
        case .string(let value): sid = value
        case .some(let other): throw PolicyDocumentError(statement: name, message: "Sid must be a string, not \(other.typeName)")
        }
        let located = sid.map { "\(name) (\"\($0)\")" } ?? name
        guard case .string(let effectText)? = members["Effect"] else {
            throw PolicyDocumentError(statement: located, message: "Effect is required and must be \"Allow\" or \"Deny\"")
        }
        guard let effect = Effect(rawValue: effectText) else {
            throw PolicyDocumentError(statement: located, message: "Effect must be \"Allow\" or \"Deny\" (case-sensitive), not \"\(effectText)\"")
        }
        self.effect = effect
        actions = try PatternList(members, listed: "Action", excepted: "NotAction", statement: located)
        resources = try PatternList(members, listed: "Resource", excepted: "NotResource", statement: located)
        conditions = try ConditionClause.parse(members["Condition"], statement: located)
    }
}

/// A statement's `Action`/`Resource` (the patterns it names) or `NotAction`/`NotResource` (all but those).
public enum PatternList: Sendable, Hashable {
    case listed([String])
    case allExcept([String])

    /// The patterns as written, whichever form.
    public var patterns: [String] {
        switch self {
        case .listed(let patterns), .allExcept(let patterns): patterns
        }
    }

    init(_ members: [String: PolicyJSON], listed: String, excepted: String, statement: String) throws(PolicyDocumentError) {
        switch (members[listed], members[excepted]) {
        case (let value?, nil): self = .listed(try Self.strings(value, field: listed, statement: statement))
        case (nil, let value?): self = .allExcept(try Self.strings(value, field: excepted, statement: statement))
        case (nil, nil): throw PolicyDocumentError(statement: statement, message: "it needs \(listed) or \(excepted)")
        case (.some, .some): throw PolicyDocumentError(statement: statement, message: "it may have \(listed) or \(excepted), not both")
        }
    }

    private static func strings(_ value: PolicyJSON, field: String, statement: String) throws(PolicyDocumentError) -> [String] {
        let strings: [String]? = switch value {
        case .string(let single): [single]
        case .array(let values): values.allSatisfy { if case .string = $0 { true } else { false } } ? values.compactMap(\.stringValue) : nil
        default: nil
        }
        guard let strings, !strings.isEmpty else {
            throw PolicyDocumentError(statement: statement, message: "\(field) must be a string or a non-empty array of strings")
        }
        return strings
    }
}

/// One operator and key of a `Condition` block, e.g. `StringLike` on `s3:prefix` with its values.
public struct ConditionClause: Sendable, Hashable {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    public var operatorName: String
    /// The condition key as written, e.g. `s3:prefix`.
    public var key: String
    /// The values, as text (booleans and numbers in their JSON spelling).
    public var values: [String]

    public init(operatorName: String, key: String, values: [String]) {
        self.operatorName = operatorName
        self.key = key
        self.values = values
    }

    static func parse(_ value: PolicyJSON?, statement: String) throws(PolicyDocumentError) -> [ConditionClause] {
        guard let value else { return [] }
        guard case .object(let blocks) = value else {
            throw PolicyDocumentError(statement: statement, message: "Condition must be an object of operators")
        }
        var clauses: [ConditionClause] = []
        for (operatorName, block) in blocks.sorted(by: { $0.key < $1.key }) {
            guard case .object(let keys) = block else {
                throw PolicyDocumentError(statement: statement, message: "Condition \(operatorName) must be an object of condition keys")
            }
            for (key, values) in keys.sorted(by: { $0.key < $1.key }) {
                let texts: [String]? = switch values {
                case .array(let elements): elements.allSatisfy(\.isScalar) ? elements.compactMap(\.scalarText) : nil
                default: values.scalarText.map { [$0] }
                }
                guard let texts else {
                    throw PolicyDocumentError(statement: statement, message: "Condition \(operatorName) \(key) must be a string, number, boolean or an array of them")
                }
                clauses.append(ConditionClause(operatorName: operatorName, key: key, values: texts))
            }
        }
        return clauses
    }
}

/// A policy document that breaks a rule, naming the statement when the fault is in one.
public struct PolicyDocumentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// "statement 2 (\"HomeDirObjectAccess\")", or nil for the document as a whole.
    public var statement: String?
    public var message: String

    public init(statement: String?, message: String) {
        self.statement = statement
        self.message = message
    }

    public var description: String {
        statement.map { "\($0): \(message)" } ?? message
    }
}

/// The JSON a policy is made of, decoded with Foundation's parser.
enum PolicyJSON: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([PolicyJSON])
    case object([String: PolicyJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([PolicyJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: PolicyJSON].self))
        }
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var isScalar: Bool { scalarText != nil }

    /// A string, number or boolean as the text a condition compares.
    var scalarText: String? {
        switch self {
        case .string(let value): value
        case .bool(let value): value ? "true" : "false"
        case .number(let value): value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        default: nil
        }
    }
}

import SecretStore

/// One named behaviour that every ``SecretStore`` must show; run it against a fresh or shared store.
public struct ConformanceCheck: Sendable, CustomStringConvertible {
    /// A short name for test output, e.g. `put with a stale version is a conflict`.
    public let name: String
    let body: @Sendable (_ store: any SecretStore, _ prefix: String) async throws -> Void

    init(_ name: String, _ body: @escaping @Sendable (_ store: any SecretStore, _ prefix: String) async throws -> Void) {
        self.name = name
        self.body = body
    }

    /// Runs the check; throws ``ConformanceViolation`` (or the store's own unexpected error) on the first deviation.
    ///
    /// Every secret the check makes is named under `namePrefix`, so checks can share one store.
    public func run(on store: any SecretStore, namePrefix: String) async throws {
        try await body(store, namePrefix)
    }

    public var description: String { name }
}

/// A store that does not behave as the ``SecretStore`` protocol says, with what was expected.
public struct ConformanceViolation: Error, Sendable, CustomStringConvertible {
    /// What the check expected and what it saw (never a secret value it did not write itself).
    public let message: String

    public var description: String { message }
}

/// Assertions used by the conformance checks: each throws a ``ConformanceViolation`` describing the deviation.
enum Expect {
    static func equal<T: Equatable>(_ actual: T, _ expected: T, _ what: String) throws {
        guard actual == expected else {
            throw ConformanceViolation(message: "\(what): expected \(expected), got \(actual)")
        }
    }

    static func that(_ condition: Bool, _ what: String) throws {
        guard condition else { throw ConformanceViolation(message: what) }
    }

    /// Runs `operation` and checks that it fails with a ``SecretStoreError`` whose kind matches `matches`.
    static func failure<T>(_ what: String, kind: String, _ matches: (SecretStoreError.Kind) -> Bool,
                           _ operation: () async throws -> T) async throws {
        do {
            _ = try await operation()
        } catch let error as SecretStoreError {
            guard matches(error.kind) else {
                throw ConformanceViolation(message: "\(what): expected a \(kind) error, got \(error.kind) (\(error.message))")
            }
            return
        }
        throw ConformanceViolation(message: "\(what): expected a \(kind) error, but it succeeded")
    }

    static func notFound<T>(_ what: String, _ operation: () async throws -> T) async throws {
        try await failure(what, kind: "notFound", { $0 == .notFound }, operation)
    }

    static func markedForDeletion<T>(_ what: String, _ operation: () async throws -> T) async throws {
        try await failure(what, kind: "markedForDeletion", { $0 == .markedForDeletion }, operation)
    }

    static func invalidRequest<T>(_ what: String, _ operation: () async throws -> T) async throws {
        try await failure(what, kind: "invalidRequest", { $0 == .invalidRequest }, operation)
    }

    static func alreadyExists<T>(_ what: String, _ operation: () async throws -> T) async throws {
        try await failure(what, kind: "alreadyExists", { $0 == .alreadyExists }, operation)
    }

    static func conflict<T>(_ what: String, expected: String, actual: String, _ operation: () async throws -> T) async throws {
        try await failure(what, kind: "conflict(expected: \(expected), actual: \(actual))",
                          { $0 == .conflict(expectedVersionID: expected, actualVersionID: actual) }, operation)
    }
}

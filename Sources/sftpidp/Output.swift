import Foundation
import SecretStore

/// Writes a line to standard error: progress and confirmations, so that standard output stays scriptable.
func printToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Stable JSON for `--json` output: sorted keys, no escaped slashes.
func encodeJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// A date as people read it in this tool: ISO-8601 in UTC, to the second.
func formatDate(_ date: Date) -> String {
    ISO8601DateFormatter().string(from: date)
}

/// Runs store work, turning store errors into CLI failures with hints.
@discardableResult
func withStoreErrors<T>(_ work: () async throws -> T) async throws -> T {
    do {
        return try await work()
    } catch let error as SecretStoreError {
        throw error.cliFailure
    }
}

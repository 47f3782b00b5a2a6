import Foundation
import SecretStore
import TerminalText
import UserManagement

/// Writes text to standard output with every control character and bidi override neutralised
/// (``TerminalText``): every report, table and listing of the CLI goes out here.
func printOutput(_ text: String) {
    FileHandle.standardOutput.write(Data((TerminalText.neutralised(text) + "\n").utf8))
}

/// Writes a line to standard error, neutralised like ``printOutput(_:)``: progress and confirmations, so
/// that standard output stays scriptable.
func printToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((TerminalText.neutralised(line) + "\n").utf8))
}

/// Writes JSON text to standard output, every unsafe scalar inside its strings as a `\uXXXX` escape
/// (``TerminalText``), so the JSON stays valid and the terminal safe.
func printJSON(_ json: String) {
    FileHandle.standardOutput.write(Data((TerminalText.neutralised(json, escape: .json) + "\n").utf8))
}

/// Stable JSON for `--json` output: sorted keys, no escaped slashes; print it with ``printJSON(_:)``.
func encodeJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

extension ProgressReporter {
    /// A handler that draws store progress: "Listing users" while listing, then `handling` for the items.
    func storeProgress(handling: String) -> StoreProgressHandler? {
        guard isEnabled else { return nil }
        return { progress in
            switch progress {
            case .listing(let listed): self.update("Listing users", done: listed)
            case .handling(let done, let total): self.update(handling, done: done, total: total)
            }
        }
    }
}

/// Every user's overview (see ``UserDirectory/overviews(includeDeleted:now:cache:progress:)``), with a progress line on
/// a terminal: "Listing users", then `stage` while the secrets are read.
func readOverviews(_ directory: UserDirectory, includeDeleted: Bool = false, cache: (any UserOverviewCache)? = nil, stage: String, quiet: Bool) async throws -> [UserOverview] {
    let progress = ProgressReporter.standardError(quiet: quiet)
    return try await withStoreErrors {
        defer { progress.finish() }
        return try await directory.overviews(includeDeleted: includeDeleted, cache: cache, progress: progress.storeProgress(handling: stage))
    }
}

/// Runs store work, turning store errors into CLI failures with hints.
@discardableResult
func withStoreErrors<T>(_ work: () async throws -> T) async throws -> T {
    do {
        return try await work()
    } catch let error as SecretStoreError {
        throw error.cliFailure
    } catch let error as UserEditError {
        throw CLIFailure(error.description)
    }
}

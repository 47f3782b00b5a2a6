import Foundation

/// Runs the `sqlite3` command-line shell, the real peer the tests use to inspect and tamper with store files.
enum SQLiteShell {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The shell's standard output for `sql` run against `path`; throws when `sqlite3` is missing or fails.
    static func run(_ path: String, _ sql: String) throws -> String {
        let candidates = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/opt/homebrew/bin/sqlite3"]
        guard let executable = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw Failure(description: "the sqlite3 command-line shell is not installed (Debian: apt-get install sqlite3); these tests need it")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [path, sql]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "sqlite3 failed (\(process.terminationStatus)): \(errorText)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Replaces a blob column of one row with `transform` applied to its bytes.
    static func rewriteBlob(_ path: String, table: String, column: String, where condition: String, _ transform: (inout [UInt8]) -> Void) throws {
        let hex = try run(path, "SELECT hex(\(column)) FROM \(table) WHERE \(condition);").trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes = try decodeHex(hex)
        transform(&bytes)
        let newHex = bytes.map { String(format: "%02X", $0) }.joined()
        _ = try run(path, "UPDATE \(table) SET \(column) = X'\(newHex)' WHERE \(condition);")
    }

    private static func decodeHex(_ hex: String) throws -> [UInt8] {
        guard !hex.isEmpty, hex.count.isMultiple(of: 2) else { throw Failure(description: "expected one hex blob, got \(hex.count) characters") }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { throw Failure(description: "sqlite3 printed a non-hex blob") }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

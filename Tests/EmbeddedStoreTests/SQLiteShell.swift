import Foundation
import PeerTesting

/// Runs the `sqlite3` command-line shell, the real peer the tests use to inspect and tamper with store files.
enum SQLiteShell {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The shell's standard output for `sql` run against `path`; throws when `sqlite3` is missing or fails.
    static func run(_ path: String, _ sql: String) throws -> String {
        try ExternalProcess.run("sqlite3", [path, sql])
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

import Foundation
import Testing

/// A failure of a real peer tool (ssh-keygen, python3) used by the tests; it never includes a password or hash.
struct ExternalToolError: Error, CustomStringConvertible {
    var description: String
}

/// Runs real programs found on PATH; a missing program is an error that fails the test with a clear message.
enum ExternalTool {
    /// The absolute path of `name` on PATH.
    static func locate(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ExternalToolError(description: "\(name) is not installed (needed by this test; scripts/install-deps.sh --test installs it)")
    }

    /// Runs `name arguments`, feeding `input` on stdin; returns stdout. A non-zero exit is an error showing
    /// stderr only when `showErrors` (tests handling secrets pass false).
    @discardableResult
    static func run(_ name: String, _ arguments: [String], input: String? = nil, showErrors: Bool = true) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try locate(name))
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let detail = showErrors ? ": " + String(decoding: errors, as: UTF8.self) : " (output hidden: it may contain secrets)"
            throw ExternalToolError(description: "\(name) \(arguments.first ?? "") exited with \(process.terminationStatus)\(detail)")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Runs a Python 3 program; values are passed on stdin so they never appear in a process list.
    static func python(_ program: String, input: String) throws -> String {
        try run("python3", ["-W", "ignore", "-c", program], input: input, showErrors: false)
    }
}

/// A fresh temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sftpidp-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

import Foundation
import PeerTesting
import Testing

/// Runs real programs for the model's tests through the tests' one process runner (``ExternalProcess``).
enum ExternalTool {
    /// Runs `name arguments`, feeding `input` on stdin; returns stdout. A non-zero exit is an error showing
    /// stderr only when `showErrors` (tests handling secrets pass false).
    @discardableResult
    static func run(_ name: String, _ arguments: [String], input: String? = nil, showErrors: Bool = true) throws -> String {
        try ExternalProcess.run(name, arguments, input: input ?? "", showErrors: showErrors)
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

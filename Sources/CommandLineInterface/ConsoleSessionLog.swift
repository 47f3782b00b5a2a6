import Foundation

/// The console's own log, `$XDG_STATE_HOME/sftpidp/console.log` (or `SFTPIDP_CONSOLE_LOG`): one JSON line per session
/// event (opened, ended, a hangup and what it left), readable by the owner only. Never a secret value.
///
/// Writes to the store are in the store's audit trail; this log says what the audit trail cannot: who opened a
/// session, how it ended, and which unsaved forms a dropped connection lost.
struct ConsoleSessionLog {
    let path: String
    let actor: String

    init(environment: [String: String], actor: String) {
        if let explicit = environment["SFTPIDP_CONSOLE_LOG"], !explicit.isEmpty {
            path = explicit
        } else {
            let stateHome = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
            path = stateHome + "/sftpidp/console.log"
        }
        self.actor = actor
    }

    /// Appends one line; a log that cannot be written is reported on standard error, never fatal.
    func record(_ event: String, _ detail: String? = nil) {
        var entry = ["time": ISO8601DateFormatter().string(from: Date()), "pid": String(getpid()), "actor": actor, "event": event]
        if let detail { entry["detail"] = detail }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let line = try encoder.encode(entry) + Data("\n".utf8)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw CLIFailure("cannot open \(path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == line.count else { throw CLIFailure("cannot write \(path): \(String(cString: strerror(errno)))") }
        } catch {
            printToStandardError("console log: \(error)")
        }
    }
}

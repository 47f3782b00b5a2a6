import Foundation
import Synchronization
@testable import AWSCore

/// A temporary directory for config files, token files and scripts, removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("aws-core-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `contents` to `name` and returns its path; `executable` makes it a script.
    ///
    /// The file is written through a close-on-exec descriptor: a process that parallel tests fork while it is open
    /// must not inherit it, or running the script would fail with "Text file busy" (ETXTBSY).
    @discardableResult
    func write(_ name: String, _ contents: String, executable: Bool = false) throws -> String {
        let path = url.appendingPathComponent(name).path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, executable ? 0o700 : 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let bytes = Array(contents.utf8)
        guard bytes.withUnsafeBytes({ Foundation.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        return path
    }

    /// An environment with this directory as home, its `config`/`credentials` files, and instance metadata off.
    var environment: [String: String] {
        ["HOME": url.path, "AWS_CONFIG_FILE": url.appendingPathComponent("config").path,
         "AWS_SHARED_CREDENTIALS_FILE": url.appendingPathComponent("credentials").path,
         "AWS_EC2_METADATA_DISABLED": "true"]
    }
}

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func set(_ date: Date) { current.withLock { $0 = date } }

    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    var closure: @Sendable () -> Date { { [self] in now } }
}

/// Resolves the chain for `profile` with `environment`.
func resolveChain(_ environment: [String: String], profile: String = "default", explicit: Bool = false,
                  region: String = "us-east-1", now: @escaping @Sendable () -> Date = { Date() }) throws(AWSConfigurationError) -> AWSCredentialChain.Resolved {
    let config = try AWSSharedConfig(environment: environment)
    return try AWSCredentialChain(config: config, region: region, now: now).resolve(profile: profile, explicitProfile: explicit)
}

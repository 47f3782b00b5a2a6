import EmbeddedStore
import Foundation
import SecretStore

/// A fresh directory under the system temporary directory for one test, with the store and key paths in it.
final class TemporaryStore: Sendable {
    let directory: String
    var databasePath: String { directory + "/data/secrets.db" }
    var keyPath: String { directory + "/config/master.key" }

    init() throws {
        directory = NSTemporaryDirectory() + "sftpidp-store-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Opens (creating when missing) the store in this directory.
    func open(clock: @escaping @Sendable () -> Date = { Date() }) throws -> EmbeddedSecretStore {
        try EmbeddedSecretStore.open(databasePath: databasePath, keyPath: keyPath, createIfMissing: true, clock: clock)
    }

    /// The raw bytes of the database file and its `-wal` file.
    func rawBytes() throws -> Data {
        var data = try Data(contentsOf: URL(fileURLWithPath: databasePath))
        if let wal = FileManager.default.contents(atPath: databasePath + "-wal") {
            data.append(wal)
        }
        return data
    }

    func mode(of path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}

let testContext = WriteContext(action: "test", actor: "tester")

extension Data {
    func contains(_ text: String) -> Bool {
        range(of: Data(text.utf8)) != nil
    }
}

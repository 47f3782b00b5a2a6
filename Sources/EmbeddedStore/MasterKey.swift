import Crypto
import Foundation
import SecretStore

/// The store's 256-bit AES key, kept in its own file (base64, one line) that only its owner may read.
struct MasterKey: Sendable {
    let key: SymmetricKey
    let path: String

    /// Reads the key at `path`; refuses a file that group or others can access, and one that does not hold 32 bytes.
    static func load(path: String) throws -> MasterKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SecretStoreError(.notFound, message: "the master key file \(path) cannot be read: \(String(cString: strerror(errno)))")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw SecretStoreError(.accessDenied, message: "the master key file \(path) can be accessed by group or others (mode \(String(mode, radix: 8))); refusing to use it. Fix it with: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SecretStoreError(.accessDenied, message: "the master key file \(path) cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: text), bytes.count == 32 else {
            throw SecretStoreError(.corrupt, message: "the master key file \(path) does not hold a 256-bit key (expected one line of base64 encoding 32 bytes)")
        }
        return MasterKey(key: SymmetricKey(data: bytes), path: path)
    }

    /// Creates a new random key at `path` (mode 0600, missing directories 0700) unless one appears there first,
    /// then loads whatever key the file holds. Two processes racing here end up with the same key.
    static func loadOrCreate(path: String) throws -> MasterKey {
        if FileManager.default.fileExists(atPath: path) {
            return try load(path: path)
        }
        let directory = (path as NSString).deletingLastPathComponent
        try FileSystem.createDirectory(directory)
        let key = SymmetricKey(size: .bits256)
        let line = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        try FileSystem.writeNewFile(path, contents: Data(line.utf8), what: "master key file")
        return try load(path: path)
    }
}

import Foundation
import SecretStore

/// The few file operations the store needs with exact permissions: private directories and write-once files.
enum FileSystem {
    /// Creates `path` and its missing parents with mode 0700; existing directories are left as they are.
    static func createDirectory(_ path: String) throws {
        guard !path.isEmpty, !FileManager.default.fileExists(atPath: path) else { return }
        try createDirectory((path as NSString).deletingLastPathComponent)
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw SecretStoreError(.accessDenied, message: "cannot create the directory \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `contents` to `path` with mode 0600 and fsync, atomically and only when `path` does not exist yet:
    /// the data goes to a temporary file that is then hard-linked into place. Succeeds quietly when another
    /// process created `path` first.
    static func writeNewFile(_ path: String, contents: Data, what: String) throws {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SecretStoreError(.accessDenied, message: "cannot create the \(what) \(path): \(String(cString: strerror(errno)))")
        }
        defer { unlink(temporary) }
        let written = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == contents.count, synced == 0 else {
            throw SecretStoreError(.unavailable, message: "cannot write the \(what) \(path): \(String(cString: strerror(errno)))")
        }
        guard link(temporary, path) == 0 || errno == EEXIST else {
            throw SecretStoreError(.accessDenied, message: "cannot create the \(what) \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Creates an empty file at `path` with mode 0600 when there is none, so that SQLite (which gives its
    /// `-wal` and `-shm` files the database file's mode) never makes a readable file.
    static func createPrivateFile(_ path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SecretStoreError(.accessDenied, message: "cannot create the store file \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
    }
}

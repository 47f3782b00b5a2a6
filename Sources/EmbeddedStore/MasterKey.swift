import Crypto
import Foundation
import SecretStore

/// The store's 256-bit AES key, kept in its own file (base64, one line) that only its owner may read.
///
/// Public so that other private files (the listing cache) keep their keys the same way.
public struct MasterKey: Sendable {
    public let key: SymmetricKey
    public let path: String

    /// The largest key file read: one line of base64 for 32 bytes is 45 bytes; anything far larger is not a key file.
    private static let maximumFileBytes = 4096

    /// Reads the key at `path` through one descriptor: opened without following a symlink (and without blocking on
    /// a FIFO), checked with `fstat` on that descriptor, then read from it, so the file checked is the file read.
    ///
    /// Refuses, with a message naming the file and the rule: a symlink, anything but a regular file, a file owned by
    /// another user than the effective one, a file that group or others can access, and one that holds no 32 bytes.
    public static func load(path: String) throws -> MasterKey {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else {
            let reason = errno
            switch reason {
            case ELOOP:
                throw SecretStoreError(.accessDenied, message: "the master key file \(path) is a symbolic link; refusing to follow it. Point SFTPIDP_MASTER_KEY_FILE at the real file")
            case ENOENT, ENOTDIR:
                throw SecretStoreError(.notFound, message: "the master key file \(path) does not exist")
            default:
                throw SecretStoreError(.accessDenied, message: "the master key file \(path) cannot be opened: \(String(cString: strerror(reason)))")
            }
        }
        defer { close(descriptor) }
        try checkOwnership(descriptor, path: path)
        let data = try readAll(descriptor, path: path)
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: text), bytes.count == 32 else {
            throw SecretStoreError(.corrupt, message: "the master key file \(path) does not hold a 256-bit key (expected one line of base64 encoding 32 bytes)")
        }
        return MasterKey(key: SymmetricKey(data: bytes), path: path)
    }

    /// Whether something (a file, a symlink, even a dangling one) exists at `path`, without following a symlink.
    static func exists(path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Creates a new random key at `path` (mode 0600, missing directories 0700) unless one appears there first,
    /// then loads whatever key the file holds. Two processes racing here end up with the same key.
    public static func loadOrCreate(path: String) throws -> MasterKey {
        if exists(path: path) {
            return try load(path: path)
        }
        let directory = (path as NSString).deletingLastPathComponent
        try FileSystem.createDirectory(directory)
        let key = SymmetricKey(size: .bits256)
        let line = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        try FileSystem.writeNewFile(path, contents: Data(line.utf8), what: "master key file")
        return try load(path: path)
    }

    /// The rules on the open file itself: a regular file, owned by the effective user, private to it.
    private static func checkOwnership(_ descriptor: Int32, path: String) throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw SecretStoreError(.accessDenied, message: "the master key file \(path) cannot be examined: \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SecretStoreError(.accessDenied, message: "the master key file \(path) is not a regular file (it is \(fileTypeName(info.st_mode))); refusing to use it")
        }
        let owner = geteuid()
        guard info.st_uid == owner else {
            throw SecretStoreError(.accessDenied, message: "the master key file \(path) is owned by uid \(info.st_uid), not by the user running sftpidp (uid \(owner)); refusing to use it. Fix it with: chown \(owner) \(path)")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw SecretStoreError(.accessDenied, message: "the master key file \(path) can be accessed by group or others (mode \(String(mode, radix: 8))); refusing to use it. Fix it with: chmod 600 \(path)")
        }
    }

    /// Everything the descriptor holds, up to ``maximumFileBytes``.
    private static func readAll(_ descriptor: Int32, path: String) throws -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SecretStoreError(.accessDenied, message: "the master key file \(path) cannot be read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
            guard data.count <= maximumFileBytes else {
                throw SecretStoreError(.corrupt, message: "the master key file \(path) does not hold a 256-bit key (it is larger than \(maximumFileBytes) bytes; expected one line of base64 encoding 32 bytes)")
            }
        }
    }

    private static func fileTypeName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: "not a regular file"
        }
    }
}

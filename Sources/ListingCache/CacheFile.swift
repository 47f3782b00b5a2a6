import Foundation

/// Why a cache file could not be read or written; names the file and the reason, never its contents.
struct CacheFileError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Reading and replacing a private cache file without following symbolic links.
enum CacheFile {
    /// The bytes of `path`, or nil when there is no such file. Refuses a symlink, anything but a regular file, a file
    /// owned by another user, one that group or others can access, and one larger than `maximumBytes`.
    static func contents(of path: String, maximumBytes: Int) throws(CacheFileError) -> Data? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw CacheFileError("it cannot be opened: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw CacheFileError("it cannot be examined: \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw CacheFileError("it is not a regular file") }
        guard info.st_uid == geteuid() else { throw CacheFileError("it is owned by uid \(info.st_uid), not by uid \(geteuid())") }
        guard info.st_mode & 0o077 == 0 else {
            throw CacheFileError("group or others can access it (mode \(String(info.st_mode & 0o777, radix: 8)))")
        }
        guard Int(info.st_size) <= maximumBytes else { throw CacheFileError("it is larger than \(maximumBytes) bytes") }
        var data = Data(count: Int(info.st_size))
        var total = 0
        while total < data.count {
            let count = data.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + total, $0.count - total) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw CacheFileError("it cannot be read: \(count < 0 ? String(cString: strerror(errno)) : "it got shorter")") }
            total += count
        }
        return data
    }

    /// Writes `contents` to a new private temporary file next to `path`, flushes it to disk and renames it over
    /// `path`: readers see the old file or the new one, whole.
    static func replace(_ path: String, with contents: Data) throws(CacheFileError) {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CacheFileError("cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        var written = 0
        while written < contents.count {
            let count = contents.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            written += count
        }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == contents.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CacheFileError("cannot write \(path): \(reason)")
        }
    }
}

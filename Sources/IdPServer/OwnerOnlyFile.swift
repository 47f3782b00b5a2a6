#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file that only its owner may read (the bearer token, the TLS private key) without a race between
/// the checks and the read: opened once with `O_NOFOLLOW`, checked with `fstat` on that descriptor, read from it.
///
/// Refused, with the file, the rule and the fix named: a symbolic link, anything but a regular file (a FIFO,
/// a directory, a device), a file owned by another user than the one running sftpidp, a mode that gives group
/// or others any permission, a file larger than the limit.
enum OwnerOnlyFile {
    /// The bytes of the file at `path`; `what` names it in errors (e.g. "auth token file").
    static func contents(of path: String, what: String, maxBytes: Int = 1 << 20) throws(IdPServerError) -> [UInt8] {
        // O_NONBLOCK so that opening a FIFO does not wait for a writer; it is refused right after.
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            let code = errno
            if code == ELOOP {
                throw IdPServerError("\(what) \(path) is a symbolic link: give the path of the file itself")
            }
            throw IdPServerError("\(what) \(path) cannot be opened: \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw IdPServerError("\(what) \(path) cannot be examined: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw IdPServerError("\(what) \(path) must be a regular file")
        }
        guard status.st_uid == geteuid() else {
            throw IdPServerError("\(what) \(path) must be owned by the user running sftpidp (uid \(geteuid())), not uid \(status.st_uid)")
        }
        let mode = Int(status.st_mode & 0o777)
        guard mode & 0o077 == 0 else {
            throw IdPServerError("\(what) \(path) must not be readable or writable by group or others (mode is \(String(mode, radix: 8)); run chmod 600 \(path))")
        }
        guard Int(status.st_size) <= maxBytes else {
            throw IdPServerError("\(what) \(path) is larger than \(maxBytes) bytes")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw IdPServerError("\(what) \(path) cannot be read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            guard bytes.count <= maxBytes else {
                throw IdPServerError("\(what) \(path) is larger than \(maxBytes) bytes")
            }
        }
        return bytes
    }
}

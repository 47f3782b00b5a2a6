import CProcessHardening

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the process could not be hardened: the call that failed and the system's reason.
public struct ProcessHardeningError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Keeps secrets held in memory (passwords being checked, tokens, the store's master key) out of core files.
public enum ProcessHardening {
    /// Turns core dumps off for this process: `RLIMIT_CORE` 0 (soft and hard, so it cannot be raised again) and,
    /// on Linux, `prctl(PR_SET_DUMPABLE, 0)` (no core even where the limit is ignored, such as a piped
    /// `core_pattern`, and no ptrace or /proc/<pid>/mem access by other processes of the same user).
    ///
    /// Call it first thing in every command that holds secrets: `serve`, the console, the Lambda function.
    public static func disableCoreDumps() throws(ProcessHardeningError) {
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_CORE.rawValue)
        #else
        let resource = RLIMIT_CORE
        #endif
        guard setrlimit(resource, &limit) == 0 else {
            throw ProcessHardeningError(message: "setrlimit(RLIMIT_CORE, 0) failed: \(String(cString: strerror(errno)))")
        }
        guard cprocesshardening_set_not_dumpable() == 0 else {
            throw ProcessHardeningError(message: "prctl(PR_SET_DUMPABLE, 0) failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Whether the process may write a core file now: `false` once ``disableCoreDumps()`` ran.
    public static var coreDumpsAllowed: Bool {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_CORE.rawValue)
        #else
        let resource = RLIMIT_CORE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return true }
        return limit.rlim_cur != 0 && cprocesshardening_is_dumpable() != 0
    }
}

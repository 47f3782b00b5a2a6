import Foundation

/// Runs password hashing on threads of its own, never on Swift's cooperative pool, with a bounded queue.
///
/// A password check costs tens of milliseconds of CPU; on the cooperative pool a handful of concurrent guesses
/// would stall every other task (key logins, `/healthz`). Here at most ``threadCount`` checks run at once and at
/// most ``queueLimit`` wait; past that ``run(_:)`` answers `nil` at once, so a flood of guesses is refused fast
/// instead of queueing without end. Threads start on first use and end when the pool is released.
public final class PasswordHashingPool: Sendable {
    /// What the pool is doing now, for metrics.
    public struct Statistics: Sendable, Hashable {
        /// Jobs waiting for a thread.
        public var queued: Int
        /// Jobs running on a thread.
        public var running: Int
        /// Jobs refused since start because the queue was full.
        public var rejected: Int
    }

    /// The work queue shared with the threads; the threads hold it, not the pool, so releasing the pool stops them.
    // @unchecked Sendable: guarded by `condition` (an NSCondition: threads wait on it), which Mutex cannot do.
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        var jobs: [@Sendable () -> Void] = []
        var head = 0
        var running = 0
        var rejected = 0
        var startedThreads = 0
        var stopping = false
        /// The workers, to tell them apart from other threads.
        var threads: Set<pthread_t> = []

        var queuedCount: Int { jobs.count - head }

        /// Takes the next job, waiting for one; `nil` once the pool is stopping and the queue is empty.
        func next() -> (@Sendable () -> Void)? {
            condition.lock()
            defer { condition.unlock() }
            while queuedCount == 0 && !stopping {
                condition.wait()
            }
            guard queuedCount > 0 else { return nil }
            let job = jobs[head]
            head += 1
            if head > 64 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            running += 1
            return job
        }

        func finished() {
            condition.lock()
            running -= 1
            condition.unlock()
        }
    }

    /// Most checks running at once.
    public let threadCount: Int
    /// Most checks waiting for a thread; one more is refused.
    public let queueLimit: Int
    private let queue = Queue()

    /// A pool of `threads` threads (at least 1) and a queue of at most `queueLimit` waiting jobs (at least 0).
    public init(threads: Int, queueLimit: Int) {
        self.threadCount = max(1, threads)
        self.queueLimit = max(0, queueLimit)
    }

    deinit {
        queue.condition.lock()
        queue.stopping = true
        queue.condition.broadcast()
        queue.condition.unlock()
    }

    /// Runs `work` on one of the pool's threads and returns its result, or `nil` at once when the queue is full.
    public func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result?, Never>) in
            let job: @Sendable () -> Void = { continuation.resume(returning: work()) }
            guard enqueue(job) else {
                continuation.resume(returning: nil)
                return
            }
        }
    }

    /// The queue and thread counts now.
    public var statistics: Statistics {
        queue.condition.lock()
        defer { queue.condition.unlock() }
        return Statistics(queued: queue.queuedCount, running: queue.running, rejected: queue.rejected)
    }

    private func enqueue(_ job: @escaping @Sendable () -> Void) -> Bool {
        queue.condition.lock()
        defer { queue.condition.unlock() }
        guard queue.running + queue.queuedCount < threadCount + queueLimit else {
            queue.rejected += 1
            return false
        }
        queue.jobs.append(job)
        let idleThreads = queue.startedThreads - queue.running
        if queue.queuedCount > idleThreads && queue.startedThreads < threadCount {
            startThread()
        }
        queue.condition.signal()
        return true
    }

    /// Whether the calling thread is one of this pool's threads.
    public var isCurrentThreadInPool: Bool {
        queue.condition.lock()
        defer { queue.condition.unlock() }
        return queue.threads.contains(pthread_self())
    }

    /// Starts one more worker; called with the lock held.
    private func startThread() {
        queue.startedThreads += 1
        let queue = self.queue
        let thread = Thread {
            queue.condition.lock()
            queue.threads.insert(pthread_self())
            queue.condition.unlock()
            // Named from inside, for debuggers (Linux threads otherwise keep their creator's name).
            Thread.current.name = "sftpidp-hashing"
            while let job = queue.next() {
                job()
                queue.finished()
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

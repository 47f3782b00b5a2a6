import Dispatch
import Foundation
import Synchronization

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
    private final class Queue: Sendable {
        /// One signal per job queued and one per thread when the pool stops: an idle thread waits on it.
        let available = DispatchSemaphore(value: 0)
        let state = Mutex(State())

        struct State {
            var jobs: [@Sendable () -> Void] = []
            var head = 0
            var running = 0
            var rejected = 0
            var startedThreads = 0
            var stopping = false
            /// The workers, to tell them apart from other threads.
            var threads: Set<pthread_t> = []

            var queuedCount: Int { jobs.count - head }
        }

        /// Takes the next job, waiting for one; `nil` once the pool is stopping and the queue is empty.
        ///
        /// Every signal stands for a job appended before it or for the stop, so a thread woken while the pool is not
        /// stopping always finds a job.
        func next() -> (@Sendable () -> Void)? {
            available.wait()
            return state.withLock { state in
                guard state.queuedCount > 0 else { return nil }
                let job = state.jobs[state.head]
                state.head += 1
                if state.head > 64 && state.head * 2 > state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                state.running += 1
                return job
            }
        }

        func finished() {
            state.withLock { $0.running -= 1 }
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
        let threads = queue.state.withLock { state in
            state.stopping = true
            return state.startedThreads
        }
        for _ in 0..<threads { queue.available.signal() }
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
        queue.state.withLock { Statistics(queued: $0.queuedCount, running: $0.running, rejected: $0.rejected) }
    }

    private func enqueue(_ job: @escaping @Sendable () -> Void) -> Bool {
        let (accepted, startsThread) = queue.state.withLock { state -> (Bool, Bool) in
            guard state.running + state.queuedCount < threadCount + queueLimit else {
                state.rejected += 1
                return (false, false)
            }
            state.jobs.append(job)
            let idleThreads = state.startedThreads - state.running
            guard state.queuedCount > idleThreads && state.startedThreads < threadCount else { return (true, false) }
            state.startedThreads += 1
            return (true, true)
        }
        if startsThread { startThread() }
        if accepted { queue.available.signal() }
        return accepted
    }

    /// Whether the calling thread is one of this pool's threads.
    public var isCurrentThreadInPool: Bool {
        queue.state.withLock { $0.threads.contains(pthread_self()) }
    }

    /// Starts one more worker (already counted in `startedThreads`).
    private func startThread() {
        let queue = self.queue
        let thread = Thread {
            queue.state.withLock { _ = $0.threads.insert(pthread_self()) }
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

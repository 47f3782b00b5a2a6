import SecretStore
import Synchronization

/// The next chunk of a listing, read while the loop handles the one before it.
///
/// Each chunk needs the token the previous one ended with, and the loop asks for it only once it has handled the
/// previous chunk: without reading ahead, the store and the loop take turns (a store of 100,000 users unchanged since
/// the listing cache was written spent half its listing waiting so). One chunk is read ahead at most; asking for
/// anything else (a reload, deleted users shown or hidden) cancels and drops it.
final class ListingReadAhead: Sendable {
    /// Which chunk: the listing's prefix, the token it starts at, and whether deleted secrets are listed.
    struct Request: Hashable, Sendable {
        var prefix: String
        var nextToken: String
        var includeDeleted: Bool
    }

    /// A chunk of the listing and the users the listing cache summarised in it.
    struct Chunk: Sendable {
        var page: SecretPage
        var cached: [String: FetchedUser]
    }

    private let slot = Mutex<(request: Request, task: Task<Chunk, any Error>)?>(nil)

    /// Starts reading `request` with `read`, cancelling what was read ahead before.
    func start(_ request: Request, read: @escaping @Sendable () async throws -> Chunk) {
        let task = Task { try await read() }
        slot.withLock { slot in
            slot?.task.cancel()
            slot = (request, task)
        }
    }

    /// The chunk read ahead for `request`, waiting for it if it is still being read; nil when none was started for it
    /// (what was read ahead for another request is cancelled). A read that failed throws its error here.
    func take(_ request: Request) async throws -> Chunk? {
        let taken = slot.withLock { slot in
            defer { slot = nil }
            return slot
        }
        guard let taken else { return nil }
        guard taken.request == request else {
            taken.task.cancel()
            return nil
        }
        return try await withTaskCancellationHandler {
            try await taken.task.value
        } onCancel: {
            taken.task.cancel()
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// A Lambda Runtime API (version 2018-06-01) on a free loopback port, for tests: ``invoke(_:timeout:)`` queues an
/// event that `GET /2018-06-01/runtime/invocation/next` hands out (with the request id, deadline, trace id and
/// function ARN headers), and returns what the function posts to `.../invocation/{id}/response` or `.../error`.
/// `POST /2018-06-01/runtime/init/error` is recorded in ``initErrors``.
public final class LambdaRuntimeServer: Sendable {
    /// What the function posted for one invocation.
    public enum Outcome: Sendable, Hashable, CustomStringConvertible {
        case response(String)
        /// The body (`{"errorMessage", "errorType"}`) and the `Lambda-Runtime-Function-Error-Type` header.
        case error(body: String, errorType: String?)

        public var description: String {
            switch self {
            case .response(let body): "response \(body)"
            case .error(let body, let type): "error \(type ?? "-") \(body)"
            }
        }

        /// The posted body parsed as a JSON object, or an empty dictionary.
        public var object: [String: Any] {
            let text = switch self {
            case .response(let body), .error(let body, _): body
            }
            return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }

        public var isError: Bool {
            if case .error = self { return true }
            return false
        }
    }

    /// An init error the function posted: its body and error-type header.
    public struct InitError: Sendable, Hashable {
        public var body: String
        public var errorType: String?
    }

    /// `127.0.0.1:PORT`, the value for `AWS_LAMBDA_RUNTIME_API`.
    public let address: String
    private let state: State
    private let serverTask: Task<Void, any Error>

    private init(address: String, state: State, serverTask: Task<Void, any Error>) {
        self.address = address
        self.state = state
        self.serverTask = serverTask
    }

    /// Starts the server on a free loopback port.
    public static func start() async throws -> LambdaRuntimeServer {
        let state = State()
        let router = Router()
        router.get("/2018-06-01/runtime/invocation/next") { _, _ -> Response in
            guard let event = await state.nextEvent() else {
                return Response(status: .serviceUnavailable)
            }
            let deadline = Int((Date().timeIntervalSince1970 + 60) * 1000)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/json",
                    HTTPField.Name("Lambda-Runtime-Aws-Request-Id")!: event.id,
                    HTTPField.Name("Lambda-Runtime-Deadline-Ms")!: String(deadline),
                    HTTPField.Name("Lambda-Runtime-Trace-Id")!: "Root=1-00000000-000000000000000000000000;Sampled=0",
                    HTTPField.Name("Lambda-Runtime-Invoked-Function-Arn")!: "arn:aws:lambda:us-east-1:012345678901:function:sftpidp",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(string: event.body))
            )
        }
        router.post("/2018-06-01/runtime/invocation/:id/response") { request, context -> Response in
            let body = try await request.body.collect(upTo: 8 * 1024 * 1024)
            let accepted = await state.finish(try context.parameters.require("id"), with: .response(String(buffer: body)))
            return Response(status: accepted ? .accepted : .badRequest)
        }
        router.post("/2018-06-01/runtime/invocation/:id/error") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1024 * 1024)
            let type = request.headers[HTTPField.Name("Lambda-Runtime-Function-Error-Type")!]
            let accepted = await state.finish(try context.parameters.require("id"), with: .error(body: String(buffer: body), errorType: type))
            return Response(status: accepted ? .accepted : .badRequest)
        }
        router.post("/2018-06-01/runtime/init/error") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1024 * 1024)
            await state.recordInitError(InitError(body: String(buffer: body), errorType: request.headers[HTTPField.Name("Lambda-Runtime-Function-Error-Type")!]))
            return Response(status: .accepted)
        }

        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        // Stopping cancels the server, which Hummingbird logs as errors: only critical ones are worth showing.
        var logger = Logger(label: "LambdaRuntimeServer")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var port: Int?
        for await value in portStream {
            port = value
        }
        guard let port, port > 0 else {
            task.cancel()
            throw LambdaRuntimeServerError("the Runtime API test server did not start")
        }
        return LambdaRuntimeServer(address: "127.0.0.1:\(port)", state: state, serverTask: task)
    }

    /// Queues `event` (JSON text) and waits up to `timeout` for what the function posts for it.
    public func invoke(_ event: String, timeout: Duration = .seconds(60)) async throws -> Outcome {
        let id = UUID().uuidString.lowercased()
        return try await withThrowingTaskGroup(of: Outcome.self) { group in
            group.addTask { try await self.state.outcome(for: id, event: event) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw LambdaRuntimeServerError("no answer to invocation \(id) within \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// The init errors posted so far.
    public var initErrors: [InitError] {
        get async { await state.initErrors }
    }

    /// Waits (up to `timeout`) until the function has posted an init error, and returns it.
    public func waitForInitError(timeout: Duration = .seconds(30)) async -> InitError? {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end {
            if let first = await state.initErrors.first { return first }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await state.initErrors.first
    }

    /// Stops the server; pending `next` calls are answered 503.
    public func stop() async {
        await state.close()
        serverTask.cancel()
        _ = try? await serverTask.value
    }

    /// Events waiting to be handed out, `next` calls waiting for events, and invocations waiting for answers.
    private actor State {
        struct Event {
            var id: String
            var body: String
        }

        private var queued: [Event] = []
        private var waitingForEvent: [CheckedContinuation<Event?, Never>] = []
        private var waitingForOutcome: [String: CheckedContinuation<Outcome, any Error>] = [:]
        private var closed = false
        private(set) var initErrors: [InitError] = []

        func nextEvent() async -> Event? {
            if !queued.isEmpty { return queued.removeFirst() }
            if closed { return nil }
            return await withCheckedContinuation { waitingForEvent.append($0) }
        }

        func outcome(for id: String, event: String) async throws -> Outcome {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    waitingForOutcome[id] = continuation
                    let event = Event(id: id, body: event)
                    if waitingForEvent.isEmpty {
                        queued.append(event)
                    } else {
                        waitingForEvent.removeFirst().resume(returning: event)
                    }
                }
            } onCancel: {
                Task { await self.cancel(id) }
            }
        }

        func finish(_ id: String, with outcome: Outcome) -> Bool {
            guard let continuation = waitingForOutcome.removeValue(forKey: id) else { return false }
            continuation.resume(returning: outcome)
            return true
        }

        func recordInitError(_ error: InitError) {
            initErrors.append(error)
        }

        func close() {
            closed = true
            for waiter in waitingForEvent { waiter.resume(returning: nil) }
            waitingForEvent.removeAll()
            for (_, waiter) in waitingForOutcome { waiter.resume(throwing: CancellationError()) }
            waitingForOutcome.removeAll()
        }

        private func cancel(_ id: String) {
            queued.removeAll { $0.id == id }
            waitingForOutcome.removeValue(forKey: id)?.resume(throwing: CancellationError())
        }
    }
}

/// The test Runtime API could not do what a test asked.
public struct LambdaRuntimeServerError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

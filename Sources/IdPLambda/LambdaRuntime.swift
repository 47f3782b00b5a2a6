/// A function the runtime loop calls once per event. Must not throw: every failure is a ``LambdaInvocationResult``.
public protocol LambdaFunction: Sendable {
    func handle(_ invocation: LambdaInvocation) async -> LambdaInvocationResult
}

/// The custom runtime's loop: next event, the function, post the result; again, until the task is cancelled or the
/// Runtime API fails (then the process should exit, and Lambda starts a new one).
public struct LambdaRuntime: Sendable {
    public let client: LambdaRuntimeClient

    public init(client: LambdaRuntimeClient) {
        self.client = client
    }

    /// Serves events one at a time, as Lambda hands them out. Throws ``LambdaRuntimeError`` when the Runtime API fails.
    public func run(_ function: some LambdaFunction) async throws {
        while !Task.isCancelled {
            let invocation = try await client.next()
            let result = await function.handle(invocation)
            try await client.post(result, for: invocation.requestID)
        }
    }
}

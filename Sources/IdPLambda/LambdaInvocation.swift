import Foundation

/// One event handed out by the Lambda Runtime API's `GET /2018-06-01/runtime/invocation/next`.
public struct LambdaInvocation: Sendable {
    /// `Lambda-Runtime-Aws-Request-Id`: names the invocation in the answer's URL and in the logs.
    public var requestID: String
    /// `Lambda-Runtime-Deadline-Ms`: when the invocation times out, if the runtime said.
    public var deadline: Date?
    /// `Lambda-Runtime-Trace-Id`: the X-Ray trace header, if any.
    public var traceID: String?
    /// `Lambda-Runtime-Invoked-Function-Arn`, if any.
    public var invokedFunctionARN: String?
    /// The event: JSON text as the invoker sent it.
    public var body: Data

    public init(requestID: String, deadline: Date? = nil, traceID: String? = nil, invokedFunctionARN: String? = nil, body: Data) {
        self.requestID = requestID
        self.deadline = deadline
        self.traceID = traceID
        self.invokedFunctionARN = invokedFunctionARN
        self.body = body
    }
}

/// What a function makes of one invocation: a response body, or an error the runtime reports as the invocation's failure.
public enum LambdaInvocationResult: Sendable, Hashable {
    /// JSON text posted to `.../invocation/{id}/response`.
    case response(String)
    /// Posted to `.../invocation/{id}/error`: the invoker sees a failed invocation, never an answer.
    case error(LambdaFunctionError)
}

/// An error in the Runtime API's shape: `{"errorMessage": "...", "errorType": "..."}`.
public struct LambdaFunctionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A short type name, e.g. `InvalidEvent`, `StoreUnavailable`, `Runtime.ConfigurationError`.
    public var type: String
    /// One sentence for people; never a secret.
    public var message: String

    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    public var description: String { "\(type): \(message)" }
}

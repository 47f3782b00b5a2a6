import AsyncHTTPClient
import Foundation
import IdentityModel
import NIOCore
import NIOHTTP1

/// A client of the Lambda Runtime API (`AWS_LAMBDA_RUNTIME_API`, version 2018-06-01): asks for the next event, posts
/// answers and errors. Only ever talks to the address the runtime environment gives.
public final class LambdaRuntimeClient: Sendable {
    /// `host:port` of the Runtime API.
    public let address: String
    private let httpClient: HTTPClient
    /// The largest event accepted: Lambda's synchronous payload limit is 6 MB.
    private static let maxEventSize = 7 * 1024 * 1024

    /// A client of the Runtime API at `address` (`host:port`, as in `AWS_LAMBDA_RUNTIME_API`).
    public init(address: String) {
        self.address = address
        var configuration = HTTPClient.Configuration()
        // `next` is a long poll: it waits as long as no event comes, so no read timeout.
        configuration.timeout = .init(connect: .seconds(5), read: nil)
        configuration.decompression = .disabled
        self.httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// The client of the address in `AWS_LAMBDA_RUNTIME_API`; throws when the variable is missing or empty.
    public convenience init(environment: [String: String]) throws(LambdaRuntimeError) {
        guard let address = environment["AWS_LAMBDA_RUNTIME_API"], !address.isEmpty else {
            throw LambdaRuntimeError("AWS_LAMBDA_RUNTIME_API is not set: sftpidp-lambda runs as the bootstrap of a Lambda custom runtime (or under a Runtime API emulator)")
        }
        self.init(address: address)
    }

    /// Waits for the next event.
    public func next() async throws -> LambdaInvocation {
        let response = try await send("GET", "invocation/next", body: nil)
        guard let requestID = response.headers.first(name: "Lambda-Runtime-Aws-Request-Id"), !requestID.isEmpty else {
            throw LambdaRuntimeError("the Runtime API answered invocation/next without a Lambda-Runtime-Aws-Request-Id header")
        }
        let deadline = response.headers.first(name: "Lambda-Runtime-Deadline-Ms").flatMap(Double.init).map { Date(timeIntervalSince1970: $0 / 1000) }
        return LambdaInvocation(
            requestID: requestID,
            deadline: deadline,
            traceID: response.headers.first(name: "Lambda-Runtime-Trace-Id"),
            invokedFunctionARN: response.headers.first(name: "Lambda-Runtime-Invoked-Function-Arn"),
            body: response.body
        )
    }

    /// Posts the result of the invocation `requestID`: its response or its error.
    public func post(_ result: LambdaInvocationResult, for requestID: String) async throws {
        let path = requestID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? requestID
        switch result {
        case .response(let text):
            _ = try await send("POST", "invocation/\(path)/response", body: text)
        case .error(let error):
            _ = try await send("POST", "invocation/\(path)/error", body: Self.body(of: error), errorType: error.type)
        }
    }

    /// Reports that the function cannot start (`POST /runtime/init/error`); the process should exit afterwards.
    public func postInitError(_ error: LambdaFunctionError) async throws {
        _ = try await send("POST", "init/error", body: Self.body(of: error), errorType: error.type)
    }

    /// Closes the connections; call once before the process ends.
    public func shutdown() async throws {
        try await httpClient.shutdown()
    }

    /// `{"errorMessage": "...", "errorType": "..."}`.
    static func body(of error: LambdaFunctionError) -> String {
        JSONValue.object(["errorMessage": .string(error.message), "errorType": .string(error.type)]).jsonText
    }

    private struct Reply {
        var headers: HTTPHeaders
        var body: Data
    }

    private func send(_ method: String, _ path: String, body: String?, errorType: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://\(address)/2018-06-01/runtime/\(path)")
        request.method = HTTPMethod(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        if let errorType {
            request.headers.add(name: "Lambda-Runtime-Function-Error-Type", value: errorType)
        }
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, deadline: .distantFuture)
        } catch {
            throw LambdaRuntimeError("the Runtime API at \(address) cannot be reached for \(method) \(path): \(error)")
        }
        let bytes = try await response.body.collect(upTo: Self.maxEventSize)
        guard (200..<300).contains(response.status.code) else {
            throw LambdaRuntimeError("the Runtime API refused \(method) \(path) with status \(response.status.code): \(String(buffer: bytes).prefix(300))")
        }
        return Reply(headers: response.headers, body: Data(bytes.readableBytesView))
    }
}

/// The Runtime API could not be reached or refused a call: the process cannot go on and should exit.
public struct LambdaRuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

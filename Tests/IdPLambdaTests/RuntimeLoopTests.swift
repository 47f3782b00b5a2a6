import Foundation
import IdPLambda
import IdentityModel
import LambdaRuntimeTesting
import Testing

/// Answers with what it was handed, or an error for events starting with `fail`.
struct EchoFunction: LambdaFunction {
    func handle(_ invocation: LambdaInvocation) async -> LambdaInvocationResult {
        let body = String(decoding: invocation.body, as: UTF8.self)
        if body.hasPrefix("\"fail") {
            return .error(LambdaFunctionError(type: "EchoFailure", message: "asked to fail: \(body)"))
        }
        return .response(JSONValue.object([
            "event": .string(body),
            "requestId": .string(invocation.requestID),
            "traceId": .string(invocation.traceID ?? "-"),
            "functionArn": .string(invocation.invokedFunctionARN ?? "-"),
            "deadlineInFuture": .bool((invocation.deadline ?? .distantPast) > Date()),
        ]).jsonText)
    }
}

@Suite("The Runtime API client loop against a Runtime API server")
struct RuntimeLoopTests {
    @Test func eventsAreAnsweredInTurnWithTheirMetadataAndErrorsKeepTheLoopGoing() async throws {
        let server = try await LambdaRuntimeServer.start()
        let client = LambdaRuntimeClient(address: server.address)
        let loop = Task { try await LambdaRuntime(client: client).run(EchoFunction()) }
        defer { loop.cancel() }

        for index in 0..<3 {
            let outcome = try await server.invoke("\"event \(index)\"")
            let answer = outcome.object
            #expect(!outcome.isError)
            #expect(answer["event"] as? String == "\"event \(index)\"")
            #expect((answer["requestId"] as? String)?.count == 36)
            #expect((answer["traceId"] as? String)?.hasPrefix("Root=1-") == true)
            #expect(answer["functionArn"] as? String == "arn:aws:lambda:us-east-1:012345678901:function:sftpidp")
            #expect(answer["deadlineInFuture"] as? Bool == true)
        }
        let failed = try await server.invoke("\"fail now\"")
        #expect(failed == .error(body: #"{"errorMessage":"asked to fail: \"fail now\"","errorType":"EchoFailure"}"#, errorType: "EchoFailure"))
        let after = try await server.invoke("\"still here\"")
        #expect(after.object["event"] as? String == "\"still here\"")

        loop.cancel()
        await server.stop()
        // Cancelled between events the loop ends; cancelled while waiting for one, the stopped server ends it.
        if case .failure(let error) = await loop.result {
            #expect(error is LambdaRuntimeError, "the loop ended with \(error)")
        }
        try await client.shutdown()
    }

    @Test func anInitErrorIsPostedInTheRuntimeShape() async throws {
        let server = try await LambdaRuntimeServer.start()
        let client = LambdaRuntimeClient(address: server.address)
        try await client.postInitError(LambdaFunctionError(type: "Runtime.ConfigurationError", message: "SFTPIDP_CACHE_TTL must be ..."))
        let posted = await server.initErrors
        #expect(posted.count == 1)
        #expect(posted.first?.errorType == "Runtime.ConfigurationError")
        #expect(posted.first?.body == #"{"errorMessage":"SFTPIDP_CACHE_TTL must be ...","errorType":"Runtime.ConfigurationError"}"#)
        await server.stop()
        try await client.shutdown()
    }

    @Test func aMissingRuntimeAPIAddressOrAnUnreachableOneIsAnError() async throws {
        #expect(throws: LambdaRuntimeError.self) { try LambdaRuntimeClient(environment: [:]) }
        #expect(throws: LambdaRuntimeError.self) { try LambdaRuntimeClient(environment: ["AWS_LAMBDA_RUNTIME_API": ""]) }
        // Port 9 (discard) on loopback: nothing listens there in the test environment.
        let client = LambdaRuntimeClient(address: "127.0.0.1:9")
        let error = await #expect(throws: LambdaRuntimeError.self) { try await LambdaRuntime(client: client).run(EchoFunction()) }
        #expect(error?.message.contains("cannot be reached") == true)
        try await client.shutdown()
    }
}

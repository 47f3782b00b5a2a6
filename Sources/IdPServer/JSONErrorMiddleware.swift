import Hummingbird

/// Turns every error into a JSON body `{"error": {"message": "..."}}` with its status, also the ones the
/// framework raises without a message (unknown route, body too large), and never lets an error escape.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.body != nil {
            throw error
        } catch let error as HTTPError {
            throw HTTPError(error.status, headers: error.headers, message: Self.message(for: error.status, request: request))
        } catch let error as any HTTPResponseError {
            throw HTTPError(error.status, message: Self.message(for: error.status, request: request))
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: type(of: error)))"])
            throw HTTPError(.internalServerError, message: "internal error")
        }
    }

    static func message(for status: HTTPResponse.Status, request: Request) -> String {
        switch status {
        case .notFound: "no route for \(request.method) \(request.uri.path)"
        case .contentTooLarge: "the request body is too large"
        case .methodNotAllowed: "method \(request.method) is not allowed here"
        default: status.reasonPhrase
        }
    }
}

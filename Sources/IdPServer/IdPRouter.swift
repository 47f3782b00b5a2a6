import Hummingbird
import IdentityProvider
import Logging

/// The routes of `sftpidp serve`.
///
/// - `GET /servers/{serverId}/users/{username}/config`: the API Gateway form of the contract.
/// - `POST /`: the function-style event `{"username", "password", "protocol", "serverId", "sourceIp"}`.
/// - `GET /healthz`: `{"status":"ok"}`, without authentication.
/// - `GET /metrics`: Prometheus text format.
/// Everything else is a 404 with a JSON error body.
public enum IdPRouter {
    /// The paths reachable without a bearer token.
    static let openPaths: Set<String> = ["/healthz"]

    /// A router answering with `handler`, guarded as `configuration` says.
    public static func build(handler: IdentityProviderHandler, metrics: DecisionMetrics, configuration: IdPServerConfiguration) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        if case .bearerToken(let token) = configuration.authentication {
            router.add(middleware: BearerTokenMiddleware(token: token, openPaths: openPaths))
        }
        let endpoint = DecisionEndpoint(handler: handler, metrics: metrics)
        let maxBodySize = configuration.maxBodySize

        router.get("/servers/:serverId/users/:username/config") { request, context in
            let read = try LoginRequestReader.fromConfigRoute(request, context: context)
            return await endpoint.respond(to: read, logger: context.logger)
        }
        router.post("/") { request, context in
            let body = try await request.body.collect(upTo: maxBodySize)
            let read = try LoginRequestReader.fromEvent(body)
            return await endpoint.respond(to: read, logger: context.logger)
        }
        router.get("/healthz") { _, _ in
            DecisionEndpoint.json(status: .ok, text: #"{"status":"ok"}"#)
        }
        router.get("/metrics") { _, _ in
            await metrics.update(from: handler)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition()))
            )
        }
        if configuration.benchmarkBaselineRoute {
            router.get("/benchmark/baseline") { _, _ in
                DecisionEndpoint.json(status: .ok, text: "{}")
            }
        }
        return router
    }
}

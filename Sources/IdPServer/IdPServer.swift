import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import IdentityProvider
import Logging
import ServiceLifecycle

/// Runs the HTTP endpoint until SIGTERM or SIGINT, then finishes the requests in flight and returns.
public struct IdPServer: Sendable {
    public let handler: IdentityProviderHandler
    public let configuration: IdPServerConfiguration
    public let metrics: DecisionMetrics
    public let logger: Logger

    public init(handler: IdentityProviderHandler, configuration: IdPServerConfiguration, metrics: DecisionMetrics = DecisionMetrics(), logger: Logger) {
        self.handler = handler
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    /// Serves until a shutdown signal; `onListening` gets the URL once the socket is bound (with the real port).
    public func run(onListening: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        try configuration.validate()
        let router = IdPRouter.build(handler: handler, metrics: metrics, configuration: configuration)
        let http1 = HTTPServerBuilder.http1(configuration: .init(
            idleTimeout: .nanoseconds(configuration.idleTimeout.components.seconds * 1_000_000_000),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: configuration.maxHeaderFieldSize,
                maxHeaderListSize: configuration.maxHeaderListSize,
                maxHeaderFieldCount: configuration.maxHeaderFieldCount
            )
        ))
        let server = try configuration.tls.map { try HTTPServerBuilder.tls(http1, tlsConfiguration: $0) } ?? http1
        let scheme = configuration.tls == nil ? "http" : "https"
        let host = configuration.host
        let app = Application(
            router: router,
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: configuration.port),
                serverName: "sftpidp",
                availableConnectionsDelegate: .maximum(configuration.maxConnections, logger: logger)
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
                onListening("\(scheme)://\(shownHost):\(port)")
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [app],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
    }
}

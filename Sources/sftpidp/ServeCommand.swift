import AWSSecretsManager
import ArgumentParser
import Foundation
import IdentityProvider
import IdPServer
import Logging

/// `sftpidp serve`: the identity provider over HTTP, for an SFTP service (or a proxy) to ask.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer the SFTP service's identity-provider questions over HTTP.",
        discussion: """
        GET /servers/{serverId}/users/{username}/config (Password or PasswordBase64 header; protocol and \
        sourceIp query) and POST / (the function-style event) answer 200 with the answer object or {}; 500 only \
        when the store cannot be read. GET /healthz needs no token; GET /metrics is Prometheus text. \
        Stops gracefully on SIGTERM or SIGINT.
        """
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: "The address to bind.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port; 0 picks a free one (printed on standard output).")
    var port = 8080

    @Option(name: .long, help: ArgumentHelp("A file (mode 600) holding the bearer token callers must send as `Authorization: Bearer <token>`.", valueName: "FILE"))
    var authTokenFile: String?

    @Flag(name: .long, help: "Accept callers without a token; only allowed with a loopback --host.")
    var insecureNoAuth = false

    @Option(name: .long, help: ArgumentHelp("PEM certificate chain for HTTPS (with --tls-key).", valueName: "FILE"))
    var tlsCert: String?

    @Option(name: .long, help: ArgumentHelp("PEM private key for HTTPS (with --tls-cert).", valueName: "FILE"))
    var tlsKey: String?

    @Option(name: .long, help: ArgumentHelp("Keep secret reads this many seconds (0 = off). Default: 30 for AWS Secrets Manager, 0 for the embedded store.", valueName: "SECONDS"))
    var cacheTtl: Double?

    @Option(name: .long, help: ArgumentHelp("Failed password attempts per user before a cool-down (0 = no limit).", valueName: "N"))
    var maxFailuresPerUser = 5

    @Option(name: .long, help: ArgumentHelp("Failed password attempts per source IP before a cool-down (0 = no limit).", valueName: "N"))
    var maxFailuresPerIp = 20

    @Option(name: .long, help: ArgumentHelp("Seconds over which failed attempts are counted.", valueName: "SECONDS"))
    var throttleWindow: Double = 900

    @Option(name: .long, help: ArgumentHelp("Seconds password attempts are refused after a limit is reached.", valueName: "SECONDS"))
    var throttleCooldown: Double = 900

    @Option(name: .long, help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "LEVEL"))
    var logLevel = "info"

    @Flag(name: .long, help: .hidden)
    var benchmarkBaselineRoute = false

    func validate() throws {
        if authTokenFile != nil && insecureNoAuth {
            throw ValidationError("give either --auth-token-file or --insecure-no-auth, not both")
        }
        if authTokenFile == nil && !insecureNoAuth {
            throw ValidationError("callers must authenticate: give --auth-token-file FILE (or --insecure-no-auth on a loopback --host)")
        }
        if (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        if let cacheTtl, !(cacheTtl >= 0 && cacheTtl <= 3600) {
            throw ValidationError("--cache-ttl must be between 0 and 3600 seconds")
        }
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if let problem = throttleConfiguration.validationError {
            throw ValidationError(problem)
        }
    }

    var throttleConfiguration: LoginThrottle.Configuration {
        LoginThrottle.Configuration(
            maxFailuresPerUser: maxFailuresPerUser,
            maxFailuresPerSourceIP: maxFailuresPerIp,
            window: .milliseconds(Int64((throttleWindow * 1000).rounded())),
            cooldown: .milliseconds(Int64((throttleCooldown * 1000).rounded()))
        )
    }

    func run() async throws {
        var serverConfiguration: IdPServerConfiguration
        do {
            let authentication = try authTokenFile.map { CallerAuthentication.bearerToken(try AuthTokenFile.readToken(at: $0)) } ?? .none
            serverConfiguration = IdPServerConfiguration(host: host, port: port, authentication: authentication, benchmarkBaselineRoute: benchmarkBaselineRoute)
            if let tlsCert, let tlsKey {
                serverConfiguration.tls = try IdPServerConfiguration.tlsConfiguration(certificatePath: tlsCert, keyPath: tlsKey)
            }
            try serverConfiguration.validate()
        } catch let error as IdPServerError {
            throw CLIFailure(error.message)
        }

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            return handler
        }
        let store = try storeOptions.openStore()
        // A remote store costs a round trip per login: cache its reads briefly unless told otherwise.
        let ttl = cacheTtl ?? (store is AWSSecretsManagerStore ? 30 : 0)
        let handler = IdentityProviderHandler(configuration: .init(
            store: store,
            namingScheme: try storeOptions.resolvedNamingScheme(),
            cacheTimeToLive: .milliseconds(Int64((ttl * 1000).rounded())),
            throttle: throttleConfiguration
        ))
        let server = IdPServer(handler: handler, configuration: serverConfiguration, logger: Logger(label: "sftpidp.serve"))
        let storeName = store.displayName
        try await server.run { url in
            // Written straight to the file descriptor, unbuffered, so scripts can wait for this line.
            FileHandle.standardOutput.write(Data("sftpidp serve: listening on \(url) (store: \(storeName))\n".utf8))
        }
    }
}

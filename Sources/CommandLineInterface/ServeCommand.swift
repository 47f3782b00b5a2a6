import AWSSecretsManager
import ArgumentParser
import Foundation
import IdentityProvider
import IdPServer
import Logging
import ProcessHardening

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

    @Flag(name: .long, help: "Serve plain HTTP on a non-loopback --host (token and passwords in clear): only behind a TLS-terminating proxy.")
    var insecurePlainHttp = false

    @Option(name: .long, help: ArgumentHelp("PEM certificate chain for HTTPS (with --tls-key).", valueName: "FILE"))
    var tlsCert: String?

    @Option(name: .long, help: ArgumentHelp("PEM private key for HTTPS (with --tls-cert).", valueName: "FILE"))
    var tlsKey: String?

    @Option(name: .long, help: ArgumentHelp("Keep AWS Secrets Manager reads this many seconds (0 = off; default 30). Not used by the embedded store: it keeps each user until anything in the store changes.", valueName: "SECONDS"))
    var cacheTtl: Double?

    @Option(name: .long, help: ArgumentHelp("Failed password attempts for one user (from anywhere) before its password logins are slowed down (0 = never).", valueName: "N"))
    var maxFailuresPerUser = 5

    @Option(name: .long, help: ArgumentHelp("Failed password attempts from one source address (IPv4, IPv6 /64) before it is locked (0 = never).", valueName: "N"))
    var maxFailuresPerIp = 20

    @Option(name: .long, help: ArgumentHelp("Seconds over which failed attempts are counted.", valueName: "SECONDS"))
    var throttleWindow: Double = 900

    @Option(name: .long, help: ArgumentHelp("Seconds a locked source address's password attempts are refused.", valueName: "SECONDS"))
    var throttleCooldown: Double = 900

    @Option(name: .long, help: ArgumentHelp("Longest delay of a password login for a user under attack (doubling from 1 s).", valueName: "SECONDS"))
    var userDelayMax: Double = 16

    @Option(name: .long, help: ArgumentHelp("Most connections open at once.", valueName: "N"))
    var maxConnections = IdPServerConfiguration.defaultMaxConnections

    @Option(name: .long, help: ArgumentHelp("Threads that hash passwords (default: one per processor).", valueName: "N"))
    var hashingThreads: Int?

    @Option(name: .long, help: ArgumentHelp("Password checks that may wait for a hashing thread; more are denied at once.", valueName: "N"))
    var hashingQueue = 64

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
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        do {
            _ = try limits.checked()
        } catch {
            throw ValidationError(error.message)
        }
    }

    var limits: ServeLimits {
        ServeLimits(port: port, cacheTTL: cacheTtl, maxFailuresPerIP: maxFailuresPerIp, maxFailuresPerUser: maxFailuresPerUser, throttleWindow: throttleWindow, throttleCooldown: throttleCooldown, userDelayMax: userDelayMax, maxConnections: maxConnections, hashingThreads: hashingThreads, hashingQueue: hashingQueue)
    }

    func run() async throws {
        do {
            try ProcessHardening.disableCoreDumps()
        } catch {
            throw CLIFailure(error.message)
        }
        var serverConfiguration: IdPServerConfiguration
        let checked: ServeLimits.Checked
        do {
            checked = try limits.checked(argon2: try storeOptions.argon2Parameters())
            let authentication = try authTokenFile.map { CallerAuthentication.bearerToken(try AuthTokenFile.readToken(at: $0)) } ?? .none
            serverConfiguration = IdPServerConfiguration(host: host, port: port, authentication: authentication, allowsPlainHTTPOffLoopback: insecurePlainHttp, maxConnections: maxConnections, benchmarkBaselineRoute: benchmarkBaselineRoute)
            if let tlsCert, let tlsKey {
                serverConfiguration.tls = try IdPServerConfiguration.tlsConfiguration(certificatePath: tlsCert, keyPath: tlsKey)
            }
            try serverConfiguration.validate()
        } catch let error as IdPServerError {
            throw CLIFailure(error.message)
        }

        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in JSONLineLogHandler.standardError(label: label, level: level) }
        let store = try storeOptions.openStore()
        // A remote store costs a round trip per login: cache its reads briefly unless told otherwise (the embedded store
        // tracks its changes, so the handler keeps its users prepared instead).
        let handler = IdentityProviderHandler(configuration: .init(
            store: store,
            namingScheme: try storeOptions.resolvedNamingScheme(),
            cacheTimeToLive: checked.cacheTTL ?? (store is AWSSecretsManagerStore ? .seconds(30) : .zero),
            throttle: checked.throttle,
            passwordChecking: checked.passwordChecking
        ))
        let server = IdPServer(handler: handler, configuration: serverConfiguration, logger: Logger(label: "sftpidp.serve"))
        let storeName = store.displayName
        try await server.run { url in
            // Written straight to the file descriptor, unbuffered, so scripts can wait for this line.
            FileHandle.standardOutput.write(Data("sftpidp serve: listening on \(url) (store: \(storeName))\n".utf8))
        }
    }
}

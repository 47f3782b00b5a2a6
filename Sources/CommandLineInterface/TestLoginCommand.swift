import ArgumentParser
import Foundation
import IdentityModel
import IdentityProvider
import SecretStore

/// `sftpidp test-login`: asks the identity provider about one login and prints what `test-identity-provider` prints.
///
/// Exit status: 0 allowed, 1 denied or the store failed, 2 usage error.
struct TestLoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-login",
        abstract: "Decide one login exactly as `sftpidp serve` would, and print it like test-identity-provider.",
        discussion: """
        Prints {"Response": "<answer as a string>", "StatusCode": 200, "Message": "", "Url": "..."}. \
        Message is empty when allowed and "access denied: <reason>" when denied; a store that cannot be read \
        gives StatusCode 500. Without --user-password or --password-stdin it tests public-key authentication \
        and the answer holds the keys. Exit status: 0 allowed, 1 denied or failed, 2 usage error.
        """
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: ArgumentHelp("The user name to log in as.", valueName: "USER"))
    var userName: String

    @Option(name: .long, help: ArgumentHelp("The password (visible in the process list: prefer --password-stdin). Omit both to test key authentication.", valueName: "PW"))
    var userPassword: String?

    @Flag(name: .long, help: "Read the password from standard input (one line).")
    var passwordStdin = false

    @Option(name: .long, help: ArgumentHelp("SFTP, FTP or FTPS.", valueName: "PROTOCOL"))
    var serverProtocol: String = "SFTP"

    @Option(name: .long, help: ArgumentHelp("The client address to test with (IPv4 or IPv6).", valueName: "IP"))
    var sourceIp: String?

    @Flag(name: .long, help: "Also show the reason, every check made, the time and the keys returned (on standard error; in the JSON with --json).")
    var explain = false

    @Flag(name: .long, help: "Print the result as one line of JSON; with --explain the explanation goes into an \"Explanation\" key.")
    var json = false

    @OptionGroup var access: AccessOptions

    func validate() throws {
        if userPassword != nil && passwordStdin {
            throw ValidationError("give either --user-password or --password-stdin, not both")
        }
        if userPassword?.isEmpty == true {
            // An empty variable in a script must not turn a password test into a key login that passes.
            throw ValidationError("--user-password must not be empty (leave it out to test a key login)")
        }
        if TransferProtocol(parsing: serverProtocol) == nil {
            throw ValidationError("--server-protocol must be SFTP, FTP or FTPS, not \"\(serverProtocol)\"")
        }
        // Here rather than in run(), so the message comes with this command's usage, not the tool's.
        guard try storeOptions.resolvedServerID()?.isEmpty == false else {
            throw ValidationError("--server-id is required (or set SFTPIDP_SERVER_ID, or the config's server-id)")
        }
    }

    func run() async throws {
        let serverID = try storeOptions.resolvedServerID() ?? ""
        let password = passwordStdin ? try readPasswordFromStandardInput() : userPassword
        let namingScheme = try storeOptions.resolvedNamingScheme()
        // The configured argon2 cost, as `serve` has it: a hash costlier than that is refused here as there.
        let argon2 = try storeOptions.argon2Parameters()
        let request = LoginRequest(serverID: serverID, username: userName, password: password, protocolName: serverProtocol, sourceIP: sourceIp)
        let report: TestLoginReport
        do {
            let store = try storeOptions.openStore(.refuse)
            let handler = IdentityProviderHandler(configuration: .init(
                store: store, namingScheme: namingScheme, throttle: .disabled, passwordChecking: .init(parameters: argon2)))
            report = TestLoginReport(outcome: await handler.decide(request), url: Self.url(for: request), store: store.displayName, explain: explain)
        } catch {
            // A store that cannot even be opened is the endpoint failing: status 500, as the managed service reports it.
            let failure = LoginStoreFailure(message: String(describing: error), checks: [], duration: .zero)
            report = TestLoginReport(outcome: .storeFailure(failure), url: Self.url(for: request), store: storeOptions.store ?? "default store", explain: explain)
        }
        var accessExplanation: AccessExplanation?
        if access.explainAccess {
            let config = try ConfigFile.load(environment: storeOptions.environment)
            accessExplanation = try await AccessExplanation(login: report, userName: userName) { role in
                try await access.lookup(role: role, config: config) {
                    try storeOptions.iamRolePolicies(config: config, endpointURL: access.iamEndpointUrl)
                }
            }
        }
        let accessMember = json ? accessExplanation.map { [("AccessExplanation", $0.jsonText)] } : nil
        printJSON(report.jsonText(prettyPrinted: !json, includeExplanation: json, extraMembers: accessMember ?? []))
        if !json, let explanation = report.explanationText {
            printToStandardError(explanation)
        }
        if !json, let accessExplanation {
            printToStandardError(accessExplanation.text)
        }
        if !report.isAllowed {
            throw ExitCode.failure
        }
    }

    /// The request in the form `sftpidp serve` receives it: `sftpidp://local/servers/{id}/users/{user}/config?...`.
    static func url(for request: LoginRequest) -> String {
        var components = URLComponents()
        components.scheme = "sftpidp"
        components.host = "local"
        let segment = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))
        let server = (request.serverID ?? "").addingPercentEncoding(withAllowedCharacters: segment) ?? ""
        let user = (request.username ?? "").addingPercentEncoding(withAllowedCharacters: segment) ?? ""
        components.percentEncodedPath = "/servers/\(server)/users/\(user)/config"
        var query = [URLQueryItem(name: "protocol", value: request.protocolName)]
        if let sourceIP = request.sourceIP {
            query.append(URLQueryItem(name: "sourceIp", value: sourceIP))
        }
        components.queryItems = query
        return components.string ?? "sftpidp://local"
    }
}

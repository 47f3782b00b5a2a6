import AccessAnalysis
import ArgumentParser
import Console
import Foundation
import IdentityProvider
import ProcessHardening
import SecretStore
import TerminalUI
import UserManagement

#if canImport(Glibc)
import Glibc
#endif

/// `sftpidp console` (also plain `sftpidp`): the curses console on the configured store.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Browse and edit SFTP users, test logins and onboard new users in a terminal UI (the default command).",
        discussion: "Keys: ? shows every key; q quits. See docs/console.md."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var listingCacheOptions: ListingCacheOptions

    @Flag(name: .long, help: "Browse only: hide and refuse every action that writes.")
    var readOnly = false

    @Option(name: .long, help: ArgumentHelp("Colour theme: auto (the default: default or light, by the terminal's background), a built-in name (\(Theme.builtInNames.joined(separator: ", "))) or a .toml file. Also SFTPIDP_THEME.", valueName: "THEME"))
    var theme: String?

    @Option(name: .long, help: ArgumentHelp("Over ssh (ExposeAuthInfo yes): the admins' public keys, one per line, each comment naming the admin. A login with another key is read-only. See docs/ssh.md.", valueName: "FILE"))
    var adminKeys: String?

    func run() async throws {
        do {
            try ProcessHardening.disableCoreDumps()
        } catch {
            throw CLIFailure(error.message)
        }
        let environment = ProcessInfo.processInfo.environment
        let searchPaths = Theme.defaultSearchPaths(environment: environment)
        let config = try ConfigFile.load(environment: environment)
        let choice: ThemeChoice
        do {
            choice = try Theme.choose(
                option: theme, environment: environment, configured: config["theme"], searchPaths: searchPaths,
                detectBackground: { TerminalBackground.detect(environment: environment) })
        } catch {
            throw CLIFailure("\(error)")
        }
        for warning in choice.contrastWarnings { printToStandardError(warning) }
        let startTheme = choice.theme
        let directory = try store.openDirectory(missingStore: .create)
        let argon2 = try store.argon2Parameters()
        let handler = IdentityProviderHandler(configuration: .init(
            store: directory.store, namingScheme: directory.naming, passwordChecking: .init(parameters: argon2)))
        // Settings files first, as for test-login; then IAM on an AWS store.
        let rolePolicies = RolePolicySources([RolePolicyFiles(filesByRole: config.rolePolicyFiles)]
            + (try store.iamRolePolicies(config: config, endpointURL: nil).map { [$0] } ?? []))
        let themeNames = [startTheme.name] + Theme.builtInNames.filter { $0 != startTheme.name }
        let login = try sshLogin(environment: environment)
        // With an admin keys file, only a login with a listed key may write: fail closed when the key is unknown.
        let readOnly = readOnly || (adminKeys != nil && login?.isAdmin != true)
        // Who this session writes as, resolved once: the admin named by their ssh key, else the process's user.
        var writer = WriterIdentity.current(environment: environment)
        if let actor = login?.actor { writer.actor = actor }
        let log = ConsoleSessionLog(environment: environment, actor: writer.actor)
        // As `users list` would use it (same settings, --no-cache); its warnings go to the log, not over the screen.
        let listingCache = try listingCacheOptions.listingCache(for: directory.store, environment: environment) { log.record("listing-cache", $0) }

        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal.open(environment: environment, theme: startTheme)
        } catch {
            throw CLIFailure("\(error)\nUse the command-line interface instead: sftpidp users --help")
        }
        log.record("session.open", readOnly ? "read-only" : "read-write")
        let end = await ConsoleApp.run(
            terminal: terminal,
            store: directory.store,
            naming: directory.naming,
            serverID: directory.serverID,
            handler: handler,
            options: ConsoleOptions(
                writer: writer, readOnly: readOnly, themeNames: themeNames, themeExplanation: choice.explanation, argon2: argon2,
                recoveryWindowDays: directory.recoveryWindowDays, rolePolicies: rolePolicies, listingCache: listingCache),
            loadTheme: { name in try Theme.load(name: name, searchPaths: searchPaths) }
        )
        terminal.close()
        switch end {
        case .quit:
            log.record("session.quit")
        case .hungUp(let loss):
            log.record("session.hangup", "the terminal hung up (SIGHUP)")
            for line in loss.logLines { log.record("session.hangup", line) }
            // Die of the hangup, as before, now that every write sent has its answer: ssh and shells see the real cause.
            // (This thread is a concurrency-pool thread, which blocks most signals: unblock it, or raise would only leave
            // it pending and the process would exit 0.)
            signal(SIGHUP, SIG_DFL)
            var hangup = sigset_t()
            sigemptyset(&hangup)
            sigaddset(&hangup, SIGHUP)
            pthread_sigmask(SIG_UNBLOCK, &hangup, nil)
            raise(SIGHUP)
        }
    }

    /// The ssh login (the key from `SSH_USER_AUTH`, named by `--admin-keys`), nil when not over ssh with a key.
    private func sshLogin(environment: [String: String]) throws -> SSHLogin? {
        var keys: String?
        if let adminKeys {
            do {
                keys = try String(contentsOfFile: adminKeys, encoding: .utf8)
            } catch {
                throw CLIFailure("--admin-keys \(adminKeys) cannot be read: \((error as NSError).localizedDescription)")
            }
        }
        do {
            return try SSHLogin.current(environment: environment, adminKeys: keys)
        } catch {
            throw CLIFailure("\(error)")
        }
    }
}

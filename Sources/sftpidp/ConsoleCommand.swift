import AccessAnalysis
import ArgumentParser
import Console
import Foundation
import IdentityProvider
import ProcessHardening
import TerminalUI

/// `sftpidp console` (also plain `sftpidp`): the curses console on the configured store.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Browse and edit SFTP users, test logins and onboard new users in a terminal UI (the default command).",
        discussion: "Keys: ? shows every key; q quits. See docs/console.md."
    )

    @OptionGroup var store: StoreOptions

    @Flag(name: .long, help: "Browse only: hide and refuse every action that writes.")
    var readOnly = false

    @Option(name: .long, help: ArgumentHelp("Colour theme: auto (the default: default or light, by the terminal's background), a built-in name (\(Theme.builtInNames.joined(separator: ", "))) or a .toml file. Also SFTPIDP_THEME.", valueName: "THEME"))
    var theme: String?

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
        let directory = try store.openDirectory()
        let argon2 = try store.argon2Parameters()
        let handler = IdentityProviderHandler(configuration: .init(store: directory.store, namingScheme: directory.naming))
        // Settings files first, as for test-login; then IAM on an AWS store.
        let rolePolicies = RolePolicySources([RolePolicyFiles(filesByRole: config.rolePolicyFiles)]
            + (try store.iamRolePolicies(config: config, endpointURL: nil).map { [$0] } ?? []))
        let themeNames = [startTheme.name] + Theme.builtInNames.filter { $0 != startTheme.name }

        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal.open(environment: environment, theme: startTheme)
        } catch {
            throw CLIFailure("\(error)\nUse the command-line interface instead: sftpidp users --help")
        }
        await ConsoleApp.run(
            terminal: terminal,
            store: directory.store,
            naming: directory.naming,
            serverID: directory.serverID,
            handler: handler,
            options: ConsoleOptions(
                readOnly: readOnly, themeNames: themeNames, themeExplanation: choice.explanation, argon2: argon2,
                recoveryWindowDays: directory.recoveryWindowDays, rolePolicies: rolePolicies),
            loadTheme: { name in try Theme.load(name: name, searchPaths: searchPaths) }
        )
        terminal.close()
    }
}

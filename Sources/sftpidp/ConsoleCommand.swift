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

    @Option(name: .long, help: ArgumentHelp("Colour theme: a built-in name (\(Theme.builtInNames.joined(separator: ", "))) or a .toml file. Also SFTPIDP_THEME.", valueName: "THEME"))
    var theme: String?

    func run() async throws {
        do {
            try ProcessHardening.disableCoreDumps()
        } catch {
            throw CLIFailure(error.message)
        }
        let environment = ProcessInfo.processInfo.environment
        let searchPaths = Theme.defaultSearchPaths(environment: environment)
        let startTheme: Theme
        do {
            startTheme = try Theme.choose(option: theme, environment: environment, configured: nil, searchPaths: searchPaths)
        } catch {
            throw CLIFailure("\(error)")
        }
        let directory = try store.openDirectory()
        let argon2 = try store.argon2Parameters()
        let handler = IdentityProviderHandler(configuration: .init(store: directory.store, namingScheme: directory.naming))
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
            options: ConsoleOptions(readOnly: readOnly, themeNames: themeNames, argon2: argon2),
            loadTheme: { name in try Theme.load(name: name, searchPaths: searchPaths) }
        )
        terminal.close()
    }
}

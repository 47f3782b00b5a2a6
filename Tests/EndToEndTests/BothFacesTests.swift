import EmbeddedStore
import Foundation
import IdentityModel
import IdentityProvider
import SecretStore
import TerminalUI
import Testing
import UserManagement
@testable import Console

/// The CLI (the real binary) and the console (its reducer and effect runner) on the SAME embedded store: one set of
/// rules, one wording of each error, one redaction rule, and a reset password that really stops working.
@Suite struct BothFacesTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"

    /// A sandbox with `jess` (role, PATH home), created through the CLI.
    static func sandboxWithJess() throws -> Sandbox {
        let sandbox = try Sandbox()
        let created = try sandbox.run(["users", "create", "jess", "--role", role, "--home", "/bucket/home/jess"])
        #expect(created.status == 0, "\(created)")
        return sandbox
    }

    /// What an administrator does in the console to give the bad input.
    enum ConsoleInput: Sendable {
        /// Edit form (e): these fields set, then Ctrl-S.
        case editorFields([(String, String)])
        /// Password dialog (p, s): typed twice, then Enter.
        case password(String)
        /// Keys editor (K, a): a key line or a file path, then Enter.
        case keyInput(String)
    }

    /// One bad input, as CLI arguments after `users update jess` and as console input, and the message both show.
    struct BadInput: Sendable, CustomTestStringConvertible {
        var name: String
        var cli: [String]
        var standardInput: String? = nil
        var console: ConsoleInput
        var message: String
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "expiry", cli: ["--expires-at", "soon"], console: .editorFields([("expires", "soon")]),
                 message: #"sftpidp:ExpiresAt: "soon" is not a date: use YYYY-MM-DD, an ISO-8601 date-time like 2026-12-31T18:00:00Z, or never (empty also means never)"#),
        BadInput(name: "POSIX gid", cli: ["--posix", "1000:staff"], console: .editorFields([("uid", "1000"), ("gid", "staff")]),
                 message: #"PosixProfile: the gid "staff" is not a whole number from 0 to 4294967295"#),
        BadInput(name: "secondary gid", cli: ["--posix", "1000:1000:5,x"], console: .editorFields([("uid", "1000"), ("gid", "1000"), ("gids", "5,x")]),
                 message: #"PosixProfile: the secondary gid "x" is not a whole number from 0 to 4294967295"#),
        BadInput(name: "network", cli: ["--network", "10.0.0.0/33"], console: .editorFields([("networks", "10.0.0.0/33")]),
                 message: #"AcceptedIpNetwork: "10.0.0.0/33" has a prefix length that is not a number from 0 to 32"#),
        BadInput(name: "role", cli: ["--role", "not-an-arn"], console: .editorFields([("role", "not-an-arn")]),
                 message: "Role: must be an IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<name>"),
        BadInput(name: "home", cli: ["--home", "bucket/home"], console: .editorFields([("home", "bucket/home")]),
                 message: "HomeDirectory: must start with /"),
        BadInput(name: "empty password", cli: ["--password-stdin"], standardInput: "\n", console: .password(""),
                 message: "Password: must not be empty (clear the password instead to allow key logins only)"),
        BadInput(name: "key line", cli: ["--add-public-key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA"], console: .keyInput("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA"),
                 message: "PublicKey: the key data is truncated or damaged (the ssh-ed25519 fields are incomplete)"),
        BadInput(name: "missing key file", cli: ["--public-key-file", "/nonexistent/id.pub"], console: .keyInput("/nonexistent/id.pub"),
                 message: "PublicKey: /nonexistent/id.pub: no such file"),
    ]

    @Test("the CLI and the console answer a bad input with the same message, and write nothing", arguments: badInputs)
    func sameMessageForTheSameBadInput(_ input: BadInput) async throws {
        let sandbox = try Self.sandboxWithJess()
        let before = try sandbox.run(["users", "history", "jess", "--json"]).stdout

        let cli = try sandbox.run(["users", "update", "jess"] + input.cli, input: input.standardInput)
        #expect(cli.status == 1, "\(cli)")
        #expect(cli.stderr == "sftpidp: \(input.message)\n", "\(cli)")

        let console = try await ConsoleSession(sandbox: sandbox)
        defer { console.close() }
        await console.start()
        await console.give(input.console, to: "jess")
        #expect(console.visibleErrors.contains(input.message), "console shows \(console.visibleErrors)")
        #expect(try sandbox.run(["users", "history", "jess", "--json"]).stdout == before, "a version was written")
    }

    @Test("a private key file is refused the same way by both faces")
    func privateKeyFileRefusedByBoth() async throws {
        let sandbox = try Self.sandboxWithJess()
        let keyPath = sandbox.path("id_ed25519")
        try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", keyPath])
        let message = "PublicKey: \(keyPath) is a PRIVATE key: give the .pub file, and never share the private key"
        let cli = try sandbox.run(["users", "update", "jess", "--public-key-file", keyPath])
        #expect(cli.stderr == "sftpidp: \(message)\n", "\(cli)")
        let console = try await ConsoleSession(sandbox: sandbox)
        defer { console.close() }
        await console.start()
        await console.give(.keyInput(keyPath), to: "jess")
        #expect(console.visibleErrors == [message])
    }

    @Test("issue #12: a reset password stops working (CLI): per-protocol passwords are replaced and cleared too")
    func resetPasswordStopsWorkingThroughTheCLI() async throws {
        let sandbox = try Self.sandboxWithJess()
        let refused = try sandbox.run(["users", "update", "jess", "--set", "SFTPPassword=old12345"])
        #expect(refused.status == 1 && refused.stderr.contains("--password-stdin"), "\(refused)")
        #expect(!refused.stderr.contains("old12345"))
        // Other tools still write per-protocol plain-text passwords.
        try await rewrite("SFTP/jess", in: sandbox) { $0["SFTPPassword"] = "old12345" }
        #expect(try Self.cliLogin(sandbox, "old12345") == true, "the seeded password should log in before the reset")

        let reset = try sandbox.run(["users", "update", "jess", "--password-stdin"], input: "new-password-1\n")
        #expect(reset.status == 0 && reset.stderr.contains("SFTPPassword"), "\(reset)")
        #expect(try Self.cliLogin(sandbox, "old12345") == false)
        #expect(try Self.cliLogin(sandbox, "new-password-1") == true)

        let cleared = try sandbox.run(["users", "update", "jess", "--clear-password"])
        #expect(cleared.status == 0, "\(cleared)")
        #expect(try Self.cliLogin(sandbox, "old12345") == false)
        #expect(try Self.cliLogin(sandbox, "new-password-1") == false)

        for clash in [["--clear-password", "--set", "Password=x"], ["--generate-password", "--password-stdin"], ["--clear-password", "--unset", "PasswordHash"], ["--set", "Note=a", "--unset", "Note"]] {
            let result = try sandbox.run(["users", "update", "jess"] + clash, input: "p4ssword\n")
            #expect(result.status == 1, "\(clash): \(result)")
        }
    }

    @Test("issue #12: a reset password stops working (console): set, then clear, through the reducer")
    func resetPasswordStopsWorkingThroughTheConsole() async throws {
        let sandbox = try Self.sandboxWithJess()
        try await rewrite("SFTP/jess", in: sandbox) { $0["SFTPPassword"] = "old12345"; $0["FTPPasswordHash"] = "$6$salt$bogus" }
        let console = try await ConsoleSession(sandbox: sandbox)
        defer { console.close() }
        await console.start()
        #expect(await console.login("old12345") == true)

        console.state.list.select(username: "jess")
        await console.press(.character("p"), .character("s"))
        await console.type("new-password-1")
        await console.press(.tab)
        await console.type("new-password-1")
        await console.press(.enter)
        #expect(await console.login("old12345") == false)
        #expect(await console.login("new-password-1") == true)
        #expect(try Self.cliLogin(sandbox, "old12345") == false)

        await console.press(.character("p"), .character("c"), .character("y"))
        #expect(await console.login("new-password-1") == false)
        let secret = try String(decoding: Data(sandbox.run(["users", "show", "jess", "--json"]).stdout.utf8), as: UTF8.self)
        #expect(!secret.contains("SFTP\""), "per-protocol password keys are gone: \(secret)")
    }

    @Test("users show, --json, the detail pane and the conflict screen hide the same keys")
    func everyFaceHidesTheSameKeys() async throws {
        let sandbox = try Self.sandboxWithJess()
        let hidden = ["DbCredential": "s3cr3t-db", "ApiToken": "s3cr3t-api", "PrivateKeyPem": "s3cr3t-pem", "SFTPPassword": "s3cr3t-sftp", "FTPSPasswordHash": "$6$s3cr3t$hash"]
        try await rewrite("SFTP/jess", in: sandbox) { members in
            for (key, value) in hidden { members[key] = value }
            members["Note"] = "visible-note"
        }
        for key in hidden.keys { #expect(SecretRedaction.looksSecret(key), "\(key)") }
        #expect(!SecretRedaction.looksSecret("Note"))

        let text = try sandbox.run(["users", "show", "jess"])
        let json = try sandbox.run(["users", "show", "jess", "--json"])
        #expect(text.stdout.contains("visible-note") && json.stdout.contains("visible-note"))
        #expect(text.stdout.contains("password: legacy plain text"), "per-protocol credentials are listed: \(text.stdout)")
        #expect(!text.stdout.contains("s3cr3t") && !json.stdout.contains("s3cr3t"), "\(text.stdout)\n\(json.stdout)")

        let console = try await ConsoleSession(sandbox: sandbox, size: TerminalSize(rows: 60, columns: 160))
        defer { console.close() }
        await console.start()
        console.state.list.select(username: "jess")
        let detail = console.detailText
        #expect(detail.contains("Note = visible-note") && detail.contains("DbCredential = (hidden)"), "\(detail)")
        #expect(!console.screen.contains("s3cr3t"))

        // The conflict screen: the CLI changes every hidden key while the console edits the role.
        await console.press(.character("e"), .control("u"))
        await console.type("arn:aws:iam::012345678901:role/Mine")
        let changes = hidden.keys.filter { !SecretKey.isPasswordVariant($0) }.flatMap { ["--set", "\($0)=s3cr3t-new"] }
        let theirs = try sandbox.run(["users", "update", "jess", "--set", "Note=their-note"] + changes)
        #expect(theirs.status == 0, "\(theirs)")
        await console.press(.control("s"))
        guard case .conflict? = console.state.topModal else {
            Issue.record("no conflict screen: \(console.screen)")
            return
        }
        let conflict = console.screen
        #expect(conflict.contains("their-note") && conflict.contains("(hidden)"), "\(conflict)")
        #expect(!conflict.contains("s3cr3t"), "\(conflict)")
    }

    @Test("issue #12: stored escape sequences never reach the terminal from users show, list, history or audit")
    func storedEscapesAreNeutralised() throws {
        let sandbox = try Self.sandboxWithJess()
        let hostile = "x\u{1B}]0;PWNED\u{07} \u{202E}evil"
        let updated = try sandbox.run(["users", "update", "jess", "--comment", hostile, "--set", "Tag\u{1B}[2J=\u{9B}31m"])
        #expect(updated.status == 0, "\(updated)")
        for arguments in [["users", "show", "jess"], ["users", "show", "jess", "--json"], ["users", "history", "jess"], ["users", "list"], ["audit"], ["users", "show", "no\u{1B}]0;body"]] {
            let result = try sandbox.run(arguments)
            for output in [result.stdout, result.stderr] {
                #expect(!output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{9B}" || $0 == "\u{202E}" }, "\(arguments): \(output)")
            }
        }
        let shown = try sandbox.run(["users", "show", "jess"]).stdout
        #expect(shown.contains(#"x\u{1B}]0;PWNED\u{7} \u{202E}evil"#), "\(shown)")
        let json = try sandbox.run(["users", "show", "jess", "--json"]).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["comment"] as? String == hostile, "the JSON still carries the exact value, escaped")
    }

    /// `test-login` over SFTP through the binary: true when allowed.
    static func cliLogin(_ sandbox: Sandbox, _ password: String) throws -> Bool {
        let result = try sandbox.run(["test-login", "--server-id", "s-0123456789abcdef0", "--user-name", "jess", "--server-protocol", "SFTP", "--password-stdin", "--json"], input: password + "\n")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
        let response = (report["Response"] as? String) ?? "{}"
        return response.contains("\"Role\"")
    }
}

/// The console's reducer and effect runner on the sandbox's embedded store, every effect run to completion before
/// the next event (as the console tests' driver does, here on the store the CLI uses).
final class ConsoleSession {
    var state: ConsoleState
    let store: EmbeddedSecretStore
    let runner: EffectRunner
    let handler: IdentityProviderHandler

    init(sandbox: Sandbox, size: TerminalSize = TerminalSize(rows: 40, columns: 120)) async throws {
        let location = EmbeddedStoreLocation.resolve(storePath: nil, environment: sandbox.environment)
        store = try EmbeddedSecretStore.open(databasePath: location.databasePath, keyPath: location.keyPath, createIfMissing: false)
        handler = IdentityProviderHandler(configuration: .init(store: store, namingScheme: .sftpPrefix))
        let argon2 = try Argon2Parameters(memoryKiB: 256, iterations: 1, parallelism: 1)
        runner = EffectRunner(directory: UserDirectory(store: store, naming: .sftpPrefix, serverID: nil), handler: handler, inbox: EventInbox())
        state = ConsoleState(context: ConsoleContext(storeName: store.displayName, naming: .sftpPrefix, serverID: nil, readOnly: false, themeNames: ["default"], argon2: argon2),
                             size: size, now: Date())
    }

    func close() {
        try? store.close()
    }

    func start() async {
        await send(.started)
    }

    func send(_ event: ConsoleEvent) async {
        var queue = reduce(state: &state, event: event)
        while !queue.isEmpty {
            if let result = await runner.perform(queue.removeFirst()) {
                queue += reduce(state: &state, event: result)
            }
        }
    }

    func press(_ keys: Key...) async {
        for key in keys { await send(.key(key)) }
    }

    func type(_ text: String) async {
        for character in text { await send(.key(.character(character))) }
    }

    /// Gives one bad input to the screen it belongs to, for `username`.
    func give(_ input: BothFacesTests.ConsoleInput, to username: String) async {
        state.list.select(username: username)
        switch input {
        case .editorFields(let fields):
            await press(.character("e"))
            guard case .editor(var editor)? = state.topModal else { return }
            for (id, value) in fields { editor.form.set(id, value) }
            state.replaceTop(.editor(editor))
            await press(.control("s"))
        case .password(let password):
            await press(.character("p"), .character("s"))
            await type(password)
            await press(.tab)
            await type(password)
            await press(.enter)
        case .keyInput(let text):
            await press(.character("K"), .character("a"))
            await type(text)
            await press(.enter)
        }
    }

    /// Every error message the top screen shows.
    var visibleErrors: [String] {
        switch state.topModal {
        case .editor(let editor)?: editor.form.fields.compactMap(\.error) + editor.generalErrors
        case .password(let dialog)?: dialog.form.fields.compactMap(\.error)
        case .keys(let editor)?: editor.error.map { [$0] } ?? []
        default: []
        }
    }

    /// A login over SFTP with this password, decided by the same handler `serve` uses.
    func login(_ password: String) async -> Bool {
        let request = LoginRequest(serverID: "s-0123456789abcdef0", username: "jess", password: password, protocolName: "SFTP", sourceIP: "192.0.2.1")
        if case .decided(let decision) = await handler.decide(request) { return decision.isAllowed }
        return false
    }

    var screen: String {
        var canvas = Canvas(size: state.size)
        render(state, into: &canvas)
        return canvas.text
    }

    /// The detail lines of the selected user, as the detail pane draws them.
    var detailText: String {
        guard let record = state.list.selectedRecord else { return "" }
        return detailLines(for: record, now: state.now, argon2: state.context.argon2).map { "\($0.label) \($0.value)" }.joined(separator: "\n")
    }
}

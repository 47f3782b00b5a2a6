import Foundation
import PeerTesting
import Testing

/// Every `sftpidp` command shown in a code block of README.md and docs/*.md runs with the built binary, so a doc
/// example that stops working fails the tests.
///
/// A concrete command runs in a fresh sandbox (its own HOME and embedded store), in the order the document shows
/// it, after the document's setup below; the console's commands run in tmux and are quit with `q`. Its exit status
/// must be 0 (or the one listed in `expectedStatus`) and, where listed in `expectedOutput`, its output must hold
/// the text shown. A synopsis (a line with `[...]`, `|`, `...` or an upper-case placeholder such as `USER`) cannot
/// run as written: its subcommand must exist and every option it names must be in that subcommand's `--help`.
/// AWS examples run against a local moto server (`AWS_ENDPOINT_URL`), with the profile they name.
@Suite("Doc examples", .serialized, .motoServer)
struct DocExamplesTests {
    /// The repository root.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Documents whose commands another test runs, with the reason; every other document is run here.
    static let runElsewhere: [String: String] = [
        "docs/deploy.md": "its shell blocks need a CloudFormation stack and a Transfer server: deploy/test/test_deploy.py "
            + "(bash scripts/test-deploy.sh) runs every block, in order, against moto",
    ]

    /// Commands run here that answer with a non-zero exit status on purpose (none today).
    static let expectedStatus: [String: Int32] = [:]

    /// Text a command's output (standard output and error) must hold, where the document shows or promises it.
    static let expectedOutput: [String: [String]] = [
        "sftpidp users list --store aws:eu-west-1 --profile sftp-admin": ["docs-aws"],
        "sftpidp users list --store aws --region us-east-1 --endpoint-url http://127.0.0.1:4566": ["docs-east"],
        "sftpidp store copy --from embedded --to aws:eu-west-1 --dry-run": ["(dry run)", "would create 1,"],
        "sftpidp store init": ["secrets.db", "master.key"],
        "sftpidp test-login --server-id s-0123456789abcdef0 --user-name jess --source-ip 10.1.2.3 --explain": ["\"StatusCode\": 200", "PublicKeys"],
    ]

    /// Every document that shows an `sftpidp` command in a code block.
    static let documents: [String] = {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("docs").path)) ?? []
        return (["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 })
            .filter { !DocCommand.extract(fromDocument: $0, in: repository).isEmpty }
    }()

    @Test("the extraction finds the commands the documents are known to show")
    func extractionFindsCommands() throws {
        #expect(Self.documents.contains("README.md"))
        #expect(Self.documents.contains("docs/aws.md"))
        #expect(Self.documents.contains("docs/cli.md"))
        let readme = DocCommand.extract(fromDocument: "README.md", in: Self.repository)
        let create = try #require(readme.first { $0.text.hasPrefix("sftpidp users create jess") })
        #expect(create.text.hasSuffix("--public-key-file ~/.ssh/id_ed25519.pub --generate-password"), "a continued line is joined")
        #expect(!create.isSynopsis)
        #expect(readme.contains { $0.isSynopsis && $0.text.hasPrefix("sftpidp serve") })
        // The console screens drawn in README.md start with " sftpidp  embedded": they are pictures, not commands.
        #expect(!readme.contains { $0.text.contains("embedded /tmp") })
        let aws = DocCommand.extract(fromDocument: "docs/aws.md", in: Self.repository)
        #expect(aws.contains { $0.text == "sftpidp console" && $0.environment == ["AWS_PROFILE": "sftp-admin", "SFTPIDP_STORE": "aws"] })
        for (document, _) in Self.runElsewhere {
            #expect(FileManager.default.fileExists(atPath: Self.repository.appendingPathComponent(document).path), "\(document) is gone")
        }
        for command in Self.expectedOutput.keys {
            #expect(Self.documents.flatMap { DocCommand.extract(fromDocument: $0, in: Self.repository) }.contains { $0.text == command },
                    "expectedOutput names a command no document shows any more: \(command)")
        }
    }

    @Test("every sftpidp command in the document runs as shown", arguments: documents)
    func documentRuns(_ document: String) async throws {
        let moto = try #require(MotoServer.current)
        let sandbox = try Sandbox()
        let aws = try awsEnvironment(for: sandbox, moto: moto)
        // A document in `runElsewhere` has its synopses checked here and its commands run by the test named there.
        let runsHere = Self.runElsewhere[document] == nil
        if runsHere { try setUp(document, sandbox: sandbox, aws: aws) }
        for command in DocCommand.extract(fromDocument: document, in: Self.repository) {
            if command.isSynopsis {
                try checkSynopsis(command, sandbox: sandbox)
            } else if !runsHere {
                continue
            } else if command.isConsole {
                try runConsole(command, sandbox: sandbox, environment: aws)
            } else {
                try run(command, sandbox: sandbox, environment: aws, moto: moto)
            }
        }
    }

    /// The documents whose TOML blocks are config files (themes/README.md's are themes, checked by ThemeTests).
    static let configDocuments = ["docs/cli.md", "docs/access.md"]

    @Test("every config file shown is accepted: users list runs with it", arguments: configDocuments)
    func configExamplesLoad(_ document: String) throws {
        let moto = try #require(MotoServer.current)
        let sandbox = try Sandbox()
        let aws = try awsEnvironment(for: sandbox, moto: moto)
        let text = try String(contentsOf: Self.repository.appendingPathComponent(document), encoding: .utf8)
        let blocks = text.matches(of: /```toml\n((?:.|\n)*?)```/).map { String($0.output.1) }
        #expect(!blocks.isEmpty, "\(document) shows no config file any more")
        for (index, block) in blocks.enumerated() {
            let path = try sandbox.write(block, to: "config-\(index).toml")
            let result = try sandbox.run(["users", "list"], environment: aws.merging(["SFTPIDP_CONFIG": path]) { $1 })
            #expect(result.status == 0, "\(document), config block \(index + 1):\n\(block)\n\(result)")
        }
    }

    // MARK: - per-document setup

    /// What each document's examples take for granted, made explicitly before they run.
    func setUp(_ document: String, sandbox: Sandbox, aws: [String: String]) throws {
        switch document {
        case "README.md":
            // The command-line synopsis shows `sftpidp audit`, which reads an existing store (it says to run `store init`).
            try require(sandbox.run(["store", "init"]))
            // `users create jess ... --public-key-file ~/.ssh/id_ed25519.pub`: the reader's own key.
            try FileManager.default.createDirectory(atPath: sandbox.path(".ssh"), withIntermediateDirectories: true)
            try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "jess@laptop", "-f", sandbox.path(".ssh/id_ed25519")])
        case "docs/aws.md":
            // Users to list in each region, and one in the embedded store to copy.
            try require(sandbox.run(["users", "create", "docs-aws", "--role", Self.role, "--store", "aws:eu-west-1"], environment: aws))
            try require(sandbox.run(["users", "create", "docs-east", "--role", Self.role, "--store", "aws:us-east-1"], environment: aws))
            try require(sandbox.run(["users", "create", "docs-embedded", "--role", Self.role]))
        case "docs/access.md":
            // `test-login --store aws ... --user-name jess --explain-access`: a key login of a user in the AWS store
            // (moto's IAM has no such role: the explanation says why the role's policies are unknown).
            try FileManager.default.createDirectory(atPath: sandbox.path(".ssh"), withIntermediateDirectories: true)
            try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "jess@laptop", "-f", sandbox.path(".ssh/id_ed25519")])
            try require(sandbox.run(["users", "create", "jess", "--role", Self.role, "--home", "/bucket/home/jess",
                                     "--public-key-file", sandbox.path(".ssh/id_ed25519.pub"), "--store", "aws"], environment: aws))
        case "docs/console.md":
            try require(sandbox.run(["users", "create", "docs-console", "--role", Self.role]))
            try require(sandbox.run(["users", "create", "docs-console", "--role", Self.role, "--store", "aws:eu-west-1",
                                     "--naming-scheme", "server", "--server-id", "s-0123456789abcdef0"], environment: aws))
        default:
            break
        }
    }

    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"

    /// The AWS setting the examples assume: default credentials, the profile `sftp-admin` (eu-west-1) they name,
    /// and moto as the endpoint (`AWS_ENDPOINT_URL`, the override the AWS tests use).
    func awsEnvironment(for sandbox: Sandbox, moto: MotoServer) throws -> [String: String] {
        let keys = "aws_access_key_id = \(moto.accessKeyID)\naws_secret_access_key = \(moto.secretAccessKey)\n"
        try sandbox.write("[default]\n\(keys)\n[sftp-admin]\n\(keys)", to: ".aws/credentials")
        try sandbox.write("[default]\nregion = us-east-1\n\n[profile sftp-admin]\nregion = eu-west-1\n", to: ".aws/config")
        return ["AWS_ENDPOINT_URL": moto.endpoint]
    }

    // MARK: - running

    /// Runs a concrete command through bash in the sandbox (so `~` and `VAR=value` prefixes work as for the reader).
    func run(_ command: DocCommand, sandbox: Sandbox, environment: [String: String], moto: MotoServer) throws {
        // The document's local emulator address is the test's moto server.
        let line = command.shellLine.replacingOccurrences(of: "http://127.0.0.1:4566", with: moto.endpoint)
        var environment = environment
        environment["PATH"] = Sandbox.binary.deletingLastPathComponent().path + ":" + (sandbox.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try sandbox.runTool("bash", ["-c", line], environment: environment)
        let expected = Self.expectedStatus[command.text] ?? 0
        #expect(result.status == expected, "\(command.location): \(command.text)\n\(result)")
        for text in Self.expectedOutput[command.text] ?? [] {
            #expect((result.stdout + result.stderr).contains(text), "\(command.location): \(command.text) does not print \"\(text)\"\n\(result)")
        }
    }

    /// Opens the console as shown, waits for its user list, quits with `q` and checks the exit status.
    func runConsole(_ command: DocCommand, sandbox: Sandbox, environment: [String: String]) throws {
        let session = try TmuxSession(sandbox: sandbox, environment: environment)
        defer { session.close() }
        // The shell joins "DOC" and "-EXIT": the typed line never holds the marker waited for.
        try session.shell(command.shellLine + "; echo \"DOC\"\"-EXIT $?\"")
        let started = try session.waitUntil("the user list or an exit") { $0.contains(" loaded") || $0.contains("DOC-EXIT ") }
        if !started.contains("DOC-EXIT ") {
            try session.keys("q")
        }
        let pane = try session.waitFor("DOC-EXIT ")
        #expect(pane.contains("DOC-EXIT 0") && started.contains(" loaded"), "\(command.location): \(command.text)\n\(pane)")
    }

    /// A synopsis: its subcommands exist and take every option it names.
    func checkSynopsis(_ command: DocCommand, sandbox: Sandbox) throws {
        var helps: [String] = []
        for path in command.subcommandPaths {
            let help = try sandbox.run(path + ["--help"])
            #expect(help.status == 0, "\(command.location): `sftpidp \(path.joined(separator: " "))` is not a command\n\(help)")
            helps.append(help.stdout)
        }
        for option in command.options {
            #expect(helps.contains { $0.contains(option) }, "\(command.location): \(option) is not an option of `\(command.text)`")
        }
    }

    private func require(_ result: CommandResult) throws {
        guard result.status == 0 else { throw SandboxError("a document's setup step failed: \(result)") }
    }
}

/// One `sftpidp` command line shown in a fenced code block of a document.
struct DocCommand: CustomStringConvertible {
    /// `file:line` of the command's first line.
    var location: String
    /// The command from `sftpidp` on: continued lines joined, a trailing `# comment` dropped.
    var text: String
    /// `NAME=value` assignments written before `sftpidp`.
    var environment: [String: String]

    var description: String { "\(location): \(text)" }

    /// The command as typed into a shell, assignments included.
    var shellLine: String {
        (environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value) " }.joined()) + text
    }

    /// A synopsis shows the shape of a command, not one to run: `[...]`, `|`, `...` or an upper-case placeholder.
    var isSynopsis: Bool {
        if text.contains("[") || text.contains("|") || text.contains("...") || text.contains("…") { return true }
        return words.contains { word in
            word.contains { $0.isLetter } && word.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" }
        }
    }

    /// The console: `sftpidp` alone, `sftpidp console ...`, or only options.
    var isConsole: Bool {
        guard let first = words.dropFirst().first else { return true }
        return first == "console" || first.hasPrefix("-")
    }

    private var words: [Substring] { text.split(separator: " ") }

    /// The subcommands a synopsis names: `users list|show` is two; `[console]` is the console.
    var subcommandPaths: [[String]] {
        var paths: [[String]] = [[]]
        for word in words.dropFirst() {
            let bare = word.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            let alternatives = bare.split(separator: "|").map(String.init)
            guard !alternatives.isEmpty, alternatives.allSatisfy({ $0.allSatisfy { $0.isLowercase || $0 == "-" } && !$0.hasPrefix("-") }) else { break }
            paths = paths.flatMap { path in alternatives.map { path + [$0] } }
        }
        return paths
    }

    /// Every `--option` named.
    var options: [String] {
        text.matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) }
    }

    /// The commands in every fenced code block of `document` (a path relative to `repository`).
    static func extract(fromDocument document: String, in repository: URL) -> [DocCommand] {
        guard let text = try? String(contentsOf: repository.appendingPathComponent(document), encoding: .utf8) else { return [] }
        return extract(from: text, document: document)
    }

    static func extract(from text: String, document: String) -> [DocCommand] {
        var commands: [DocCommand] = []
        var inBlock = false
        var pending: (line: Int, text: String)?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                inBlock.toggle()
                pending = nil
                continue
            }
            guard inBlock else { continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if var continued = pending {
                continued.text += " " + trimmed
                pending = continued
            } else {
                pending = (index + 1, trimmed)
            }
            guard let current = pending else { continue }
            if current.text.hasSuffix("\\") {
                pending = (current.line, String(current.text.dropLast()).trimmingCharacters(in: .whitespaces))
                continue
            }
            // Synopses continue on indented lines that start with an option.
            pending = nil
            if let command = DocCommand(line: current.text, location: "\(document):\(current.line)") {
                commands.append(command)
            } else if let last = commands.last, last.isSynopsis, trimmed.hasPrefix("[") || trimmed.hasPrefix("(") || trimmed.hasPrefix("--"),
                      line.hasPrefix(" ") {
                commands[commands.count - 1].text += " " + trimmed
            }
        }
        return commands
    }

    /// Parses `[$ ][NAME=value ...]sftpidp ARGS [# comment]`; nil for anything else (console pictures start with
    /// `sftpidp` followed by two spaces).
    init?(line: String, location: String) {
        var rest = Substring(line)
        if rest.hasPrefix("$ ") { rest = rest.dropFirst(2) }
        var environment: [String: String] = [:]
        while let match = rest.prefixMatch(of: /([A-Z][A-Z0-9_]*)=(\S*) +/) {
            environment[String(match.output.1)] = String(match.output.2)
            rest = rest[match.range.upperBound...]
        }
        guard rest == "sftpidp" || (rest.hasPrefix("sftpidp ") && !rest.hasPrefix("sftpidp  ")) else { return nil }
        if let comment = rest.firstMatch(of: /\s+# .*$/) { rest = rest[..<comment.range.lowerBound] }
        self.location = location
        self.text = String(rest).trimmingCharacters(in: .whitespaces)
        self.environment = environment
    }
}

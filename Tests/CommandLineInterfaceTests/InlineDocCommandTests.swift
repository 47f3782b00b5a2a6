import ArgumentParser
@testable import CommandLineInterface
import Foundation
import Testing

/// Commands named inline in the docs (`` `sftpidp users list --json` `` inside a sentence) are not run by
/// DocExamplesTests, which runs the code blocks: here every one must name real subcommands and real options.
@Suite struct InlineDocCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Inline spans that mention `sftpidp` without being a command of it, each with the reason.
    static let notCommands: Set<String> = [
        "sftpidp embedded store state MAC v1",  // the HKDF info string of the embedded store
        "sftpidp lambda",  // named to say that there is no such subcommand (docs/lambda.md)
    ]

    /// Every `` `sftpidp ...` `` span in README.md and docs/*.md, with the file it is in.
    static func inlineCommands() throws -> [(file: String, span: String)] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        var spans: [(String, String)] = []
        for file in ["README.md"] + docs {
            let text = try String(contentsOf: repository.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /`(sftpidp [^`\n]+)`/) {
                spans.append((file, String(match.output.1)))
            }
        }
        return spans
    }

    /// The command a span names: its subcommand words walked down from the root (`users create/update` is both).
    static func commands(in words: [Substring]) -> (found: [ParsableCommand.Type], unknown: String?) {
        var current: [ParsableCommand.Type] = [SFTPIdP.self]
        for word in words.dropFirst() where !word.hasPrefix("-") {
            let name = word.hasSuffix(":") ? word.dropLast() : word
            let children = current.map { command in
                name.split(separator: "/").map { alternative in
                    command.configuration.subcommands.first { $0._commandName == alternative }
                }
            }.joined()
            guard !children.isEmpty, children.allSatisfy({ $0 != nil }) else {
                // Not a subcommand: the command ends here, unless the first word after `sftpidp` is unknown.
                return current.count == 1 && current[0] == SFTPIdP.self && words.count > 1 && !name.allSatisfy({ $0 == "." })
                    ? (current, String(name)) : (current, nil)
            }
            current = children.compactMap { $0 }
        }
        return (current, nil)
    }

    @Test("every inline `sftpidp ...` in README.md and docs/ names real subcommands and options")
    func inlineCommandsExist() throws {
        let spans = try Self.inlineCommands()
        #expect(spans.count >= 10, "the docs' inline commands were not found: \(spans.count)")
        for (file, span) in spans where !Self.notCommands.contains(span) {
            let words = span.split(separator: " ")
            let (commands, unknown) = Self.commands(in: words)
            #expect(unknown == nil, "\(file): `\(span)`: \(unknown ?? "") is not a subcommand of sftpidp")
            for command in commands {
                let help = SFTPIdP.helpMessage(for: command, includeHidden: true, columns: 400)
                for option in words where option.hasPrefix("--") {
                    let name = option.split(separator: "=", maxSplits: 1)[0]
                    #expect(help.contains(name + " ") || help.contains(name + "\n") || help.contains(name + ","),
                            "\(file): `\(span)`: \(command._commandName) has no option \(name)")
                }
            }
        }
    }

    @Test("the check itself finds an unknown subcommand and an unknown option")
    func checkCanFail() {
        #expect(Self.commands(in: "sftpidp userz list".split(separator: " ")).unknown == "userz")
        let (commands, _) = Self.commands(in: "sftpidp users create --no-such-option".split(separator: " "))
        #expect(commands.map { $0._commandName } == ["create"])
        #expect(!SFTPIdP.helpMessage(for: commands[0], includeHidden: true, columns: 400).contains("--no-such-option"))
    }
}

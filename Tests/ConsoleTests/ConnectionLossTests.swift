import Foundation
import IdentityModel
import IdentityProvider
import SecretStore
import SecretStoreTesting
import Testing
import TerminalUI
@testable import Console

/// The real loop when its terminal hangs up (SIGHUP): a save already sent is waited for and reported, an unsaved form
/// is dropped and reported, and nothing else is written.
@Suite("The console loop after a hangup")
struct ConnectionLossTests {
    static let newRole = "arn:aws:iam::123456789012:role/uploaders"

    static func run(_ terminal: ScriptedTerminal, store: InMemorySecretStore, writer: WriterIdentity = WriterIdentity(actor: "console-test")) async -> ConsoleEnd {
        let handler = IdentityProviderHandler(configuration: .init(store: store, namingScheme: .sftpPrefix))
        return await ConsoleApp.run(terminal: terminal, store: store, naming: .sftpPrefix, serverID: nil, handler: handler,
                                    options: ConsoleOptions(writer: writer, argon2: .cheapForTests),
                                    loadTheme: { try Theme.builtIn(named: $0) })
    }

    @Test("a form with typed changes is lost, logged and never written")
    func unsavedFormLost() async throws {
        let store = try await Fixtures.store()
        let terminal = ScriptedTerminal(size: TerminalSize(rows: 24, columns: 80), steps: [
            ("4 users loaded", [.key(.character("j")), .key(.character("e"))]),
            ("Edit bob", [.key(.control("u"))] + Self.newRole.map { .key(.character($0)) }),
            ("unsaved", []),
        ], hangsUpAtEnd: true)
        let end = await Self.run(terminal, store: store)
        #expect(terminal.timedOutWaitingFor == nil, "the screen never showed \(terminal.timedOutWaitingFor ?? ""):\n\(terminal.text)")
        #expect(end == .hungUp(ConnectionLoss(writes: [], lostForms: ["edit of bob"])))
        #expect(try await store.listVersions(name: "SFTP/bob").count == 1, "the lost form was written")
        if case .hungUp(let loss) = end {
            #expect(loss.logLines == ["unsaved form lost, nothing written: edit of bob"])
        }
    }

    @Test("a save sent just before the hangup completes, is reported as written, and names the actor in the audit trail")
    func sentSaveCompletes() async throws {
        let store = try await Fixtures.store()
        // A slow store: the save is still out when the terminal hangs up, right after Ctrl-S.
        await store.setLatency(.milliseconds(300))
        let terminal = ScriptedTerminal(size: TerminalSize(rows: 24, columns: 80), steps: [
            ("4 users loaded", [.key(.character("j")), .key(.character("e"))]),
            ("Edit bob", [.key(.control("u"))] + Self.newRole.map { .key(.character($0)) } + [.key(.control("s"))]),
        ], hangsUpAtEnd: true)
        let end = await Self.run(terminal, store: store, writer: WriterIdentity(actor: "sftp-console (alice@laptop, SHA256:test)", clientAddress: "192.0.2.7"))
        #expect(terminal.timedOutWaitingFor == nil, "the screen never showed \(terminal.timedOutWaitingFor ?? ""):\n\(terminal.text)")
        #expect(end == .hungUp(ConnectionLoss(writes: [.init(label: "Saving bob", outcome: "written")], lostForms: [])))
        await store.setLatency(.zero)
        let value = try await store.getSecret(name: "SFTP/bob", version: .current)
        #expect(try UserSecret(secretString: value.string)["Role"] == .string(Self.newRole))
        let audit = try await store.auditTrail(secretName: "SFTP/bob", limit: 1)
        #expect(audit.first?.actor == "sftp-console (alice@laptop, SHA256:test)")
        #expect(audit.first?.clientAddress == "192.0.2.7", "the writer the console was given, not the environment's SSH_CLIENT")
    }

    @Test("a save the store refuses (a conflict) is reported as not written")
    func conflictNotWritten() {
        let id = OperationID(7)
        let theirs = SecretValue(version: SecretVersionInfo(name: "SFTP/bob", versionID: "v2", stages: ["AWSCURRENT"], createdAt: Date()), string: "{}")
        #expect(ConnectionLoss.writeOutcome(of: .writeConflict(id, theirs: theirs))?.1 == "not written: someone else changed the user first")
        #expect(ConnectionLoss.writeOutcome(of: .failed(id, "disk full"))?.1 == "not written: disk full")
        #expect(ConnectionLoss.writeOutcome(of: .tick(Date())) == nil)
    }
}

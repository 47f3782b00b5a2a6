import Foundation
import IdentityModel
import SecretStore
import SecretStoreTesting
import Testing
import TerminalUI
@testable import Console

@Suite("Console flows against the in-memory store")
struct ConsoleFlowTests {
    @Test("the list shows every user sorted, broken secrets with their reason, and ignores other secrets")
    func listsUsers() async throws {
        let driver = ConsoleDriver(store: try await Fixtures.store())
        await driver.start()
        #expect(driver.state.list.records.map(\.username) == ["alice", "bob", "carol", "dave"])
        let screen = driver.screen
        #expect(screen.contains("4 users"))
        #expect(screen.contains("legacy plain text"))
        #expect(screen.contains("legacy pw"))
        #expect(screen.contains("not JSON"))
        #expect(screen.contains("invalid"))
        #expect(screen.contains("(no role)"))
        #expect(!screen.contains("ignored"))
        #expect(!screen.contains("legacy-secret"))
    }

    @Test("/ filters as you type, Esc clears, and the selection moves with j/k/End/Home")
    func filtersAndMoves() async throws {
        let driver = ConsoleDriver(store: try await Fixtures.store())
        await driver.start()
        await driver.press(.character("j"), .character("j"))
        #expect(driver.state.selectedUsername == "carol")
        await driver.press(.end)
        #expect(driver.state.selectedUsername == "dave")
        await driver.press(.home)
        #expect(driver.state.selectedUsername == "alice")
        await driver.press(.character("/"))
        await driver.type("BO")
        #expect(driver.state.list.visible.count == 1)
        #expect(driver.state.selectedUsername == "bob")
        #expect(driver.screen.contains("1 of 4 users"))
        await driver.press(.escape)
        #expect(driver.state.list.visible.count == 4)
        #expect(driver.state.list.filter.isEmpty)
    }

    @Test("editing the role writes one new version naming the changed field")
    func editsRole() async throws {
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        await driver.press(.character("j"), .character("e"))
        #expect(driver.screen.contains("Edit bob"))
        await driver.press(.control("u"))
        await driver.type("arn:aws:iam::123456789012:role/uploaders")
        await driver.press(.control("s"))
        #expect(driver.state.topModal == nil)
        let value = try await store.getSecret(name: "SFTP/bob", version: .current)
        #expect(try UserSecret(secretString: value.string)["Role"] == .string("arn:aws:iam::123456789012:role/uploaders"))
        #expect(try await store.listVersions(name: "SFTP/bob").count == 2)
        let audit = try await store.auditTrail(secretName: "SFTP/bob", limit: 1)
        #expect(audit.first?.changedFields == ["Role"])
        #expect(audit.first?.action == "console.edit")
        #expect(driver.screen.contains("uploaders"))
    }

    @Test("a bad role is refused inline with the rule, and nothing is written")
    func validatesInline() async throws {
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        await driver.press(.character("j"), .character("e"), .control("u"))
        await driver.type("not-an-arn")
        await driver.press(.control("s"))
        #expect(driver.screen.contains("Role:"))
        #expect(driver.screen.contains("Not saved"))
        #expect(try await store.listVersions(name: "SFTP/bob").count == 1)
        await driver.press(.escape)
        #expect(driver.screen.contains("Discard"))
        await driver.press(.character("y"))
        #expect(driver.state.topModal == nil)
    }

    @Test("a concurrent save shows both versions; merge keeps their change and mine")
    func resolvesConflictByMerging() async throws {
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        await driver.press(.character("j"), .character("e"), .control("u"))
        await driver.type("arn:aws:iam::123456789012:role/mine")
        let current = try await store.getSecret(name: "SFTP/bob", version: .current)
        var theirs = try UserSecret(secretString: current.string)
        theirs["sftpidp:Comment"] = .string("changed by someone else")
        _ = try await store.putSecret(name: "SFTP/bob", value: theirs.secretString, replacing: current.versionID, context: WriteContext(action: "test", actor: "other"))
        await driver.press(.control("s"))
        let screen = driver.screen
        #expect(screen.contains("Conflict"))
        #expect(screen.contains("sftpidp:Comment"))
        #expect(screen.contains("Role"))
        await driver.press(.character("a"))
        let saved = try UserSecret(secretString: try await store.getSecret(name: "SFTP/bob", version: .current).string)
        #expect(saved["Role"] == .string("arn:aws:iam::123456789012:role/mine"))
        #expect(saved["sftpidp:Comment"] == .string("changed by someone else"))
        #expect(driver.state.topModal == nil)
    }

    @Test("a password typed twice is stored as an argon2id hash, replaces the legacy one and is never shown")
    func setsPassword() async throws {
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        await driver.press(.character("p"), .character("s"))
        await driver.type("correct horse battery")
        await driver.press(.tab)
        await driver.type("correct horse battery!")
        await driver.press(.enter)
        #expect(driver.screen.contains("the two passwords differ"))
        await driver.type("correct horse battery")
        #expect(!driver.screen.contains("correct horse"))
        await driver.press(.enter)
        let saved = try UserSecret(secretString: try await store.getSecret(name: "SFTP/alice", version: .current).string)
        #expect(saved["Password"] == nil)
        #expect(saved["PasswordHash"]?.stringValue?.hasPrefix("$argon2id$") == true)
        #expect(!driver.screen.contains("correct horse"))
        #expect(driver.state.list.selectedRecord?.summary.flags.contains(.legacyPassword) == false)
    }

    @Test("a generated password is shown once, then gone from the screen and the state")
    func generatesPassword() async throws {
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        await driver.press(.character("j"), .character("p"), .character("g"))
        guard case .password(let dialog)? = driver.state.topModal, case .showGenerated(let password) = dialog.step else {
            Issue.record("the generated password is not shown")
            return
        }
        #expect(driver.screen.contains(password.value))
        #expect(driver.screen.contains("Pass it on safely"))
        await driver.press(.enter)
        #expect(!driver.screen.contains(password.value))
        let saved = try UserSecret(secretString: try await store.getSecret(name: "SFTP/bob", version: .current).string)
        #expect(!saved.secretString.contains(password.value))
        #expect(PasswordVerifier.verify(password.value, against: .hash(saved["PasswordHash"]?.stringValue ?? "")) == .match)
    }

    @Test("keys: add by pasting and by ~ path, fingerprints as ssh-keygen, a bad key shows the parser's message, remove asks")
    func editsKeys() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        let first = try generateKey(comment: "bob@laptop", in: directory)
        let second = try generateKey(type: "rsa", comment: "bob@desktop", in: directory)
        await driver.press(.character("j"), .character("K"), .character("a"))
        await driver.send(.paste("ssh-ed25519 AAAAnot-base64"))
        await driver.press(.enter)
        #expect(driver.screen.contains("base64"))
        await driver.press(.control("u"))
        await driver.send(.paste(first.line))
        await driver.press(.enter)
        #expect(driver.screen.contains(first.fingerprint))
        await driver.press(.character("a"))
        await driver.type(second.publicKeyPath)
        await driver.press(.enter)
        #expect(driver.screen.contains(second.fingerprint))
        #expect(driver.screen.contains("RSA"))
        let user = SFTPUser(secret: try UserSecret(secretString: try await store.getSecret(name: "SFTP/bob", version: .current).string))
        #expect(user.publicKeys().map(\.key.fingerprint) == [first.fingerprint, second.fingerprint])
        await driver.press(.character("d"))
        #expect(driver.screen.contains("Remove"))
        await driver.press(.character("y"))
        let after = SFTPUser(secret: try UserSecret(secretString: try await store.getSecret(name: "SFTP/bob", version: .current).string))
        #expect(after.publicKeys().map(\.key.fingerprint) == [second.fingerprint])
    }

    @Test("delete needs the user name typed; D shows deleted users and R restores")
    func deletesAndRestores() async throws {
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        await driver.press(.character("j"), .character("d"))
        await driver.type("bo")
        await driver.press(.enter)
        #expect(driver.state.list.record(named: "bob") != nil)
        await driver.type("b")
        await driver.press(.enter)
        #expect(driver.state.list.record(named: "bob") == nil)
        #expect(driver.screen.contains("Deleted bob"))
        await driver.press(.character("D"))
        #expect(driver.screen.contains("deleted"))
        driver.state.list.select(username: "bob")
        await driver.press(.character("R"))
        #expect(driver.screen.contains("Restored bob"))
        #expect(try await store.getSecret(name: "SFTP/bob", version: .current).string.contains("Role"))
    }

    @Test("deleting the last user of the list keeps a valid selection")
    func deletesTheLastUser() async throws {
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        await driver.press(.character("G"))
        let last = try #require(driver.state.list.selectedRecord?.username)
        await driver.press(.character("d"))
        await driver.type(last)
        await driver.press(.enter)
        #expect(driver.state.list.record(named: last) == nil)
        #expect(driver.state.list.selectedRecord != nil)
        #expect(driver.screen.contains("Deleted \(last)"))
        await driver.press(.character("k"), .character("G"))
        #expect(driver.state.list.selectedRecord != nil)
    }

    @Test("history lists versions with their changed fields and rolls back")
    func rollsBack() async throws {
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        await driver.press(.character("j"), .character("e"), .control("u"))
        await driver.type("arn:aws:iam::123456789012:role/newer")
        await driver.press(.control("s"))
        await driver.press(.character("h"))
        #expect(driver.screen.contains("History of bob"))
        #expect(driver.screen.contains("Role"))
        #expect(driver.screen.contains("current"))
        await driver.press(.down, .character("r"), .character("y"))
        let saved = try UserSecret(secretString: try await store.getSecret(name: "SFTP/bob", version: .current).string)
        #expect(saved["Role"] == .string(Fixtures.role))
    }

    @Test("test login: allowed with the answer JSON, denied with the reason and the checks")
    func testsLogins() async throws {
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        await driver.press(.character("t"))
        await driver.type("legacy-secret")
        await driver.press(.control("s"))
        var screen = driver.screen
        #expect(screen.contains("ALLOWED"))
        #expect(screen.contains("StatusCode: 200"))
        #expect(screen.contains("\"Role\""))
        #expect(!screen.contains("legacy-secret"))
        await driver.press(.control("u"))
        await driver.type("wrong")
        await driver.press(.control("s"))
        screen = driver.screen
        #expect(screen.contains("DENIED"))
        #expect(screen.contains("access denied"))
        #expect(screen.contains("password"))
    }

    @Test("below 80x24 a notice is shown and q still quits")
    func tooSmall() async throws {
        let driver = ConsoleDriver(store: try await Fixtures.store())
        await driver.start()
        await driver.send(.resize(TerminalSize(rows: 20, columns: 60)))
        #expect(driver.screen.contains("Terminal too small"))
        await driver.press(.character("j"))
        #expect(driver.state.selectedUsername == "alice")
        await driver.press(.character("q"))
        #expect(driver.state.shouldQuit)
    }

    @Test("q with an unsaved edit asks before quitting")
    func quitAsksWhenUnsaved() async throws {
        let driver = ConsoleDriver(store: try await Fixtures.store())
        await driver.start()
        await driver.press(.character("e"))
        await driver.type("x")
        await driver.press(.control("c"))
        #expect(!driver.state.shouldQuit)
        #expect(driver.screen.contains("unsaved changes"))
        await driver.press(.character("n"))
        #expect(!driver.state.shouldQuit)
        await driver.press(.control("c"), .character("y"))
        #expect(driver.state.shouldQuit)
    }

    @Test("the onboarding wizard creates a user with a generated password and a key, tests the login and prints a summary")
    func onboards() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = try generateKey(comment: "erin@home", in: directory)
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        await driver.press(.character("n"))
        await driver.type("bob")
        await driver.press(.enter)
        #expect(driver.screen.contains("already exists"))
        await driver.press(.control("u"))
        await driver.type("erin")
        await driver.press(.enter)
        #expect(driver.screen.contains("How they prove who they are"))
        await driver.press(.tab, .tab, .tab)
        await driver.send(.paste(key.line))
        await driver.press(.enter)
        #expect(driver.screen.contains(key.fingerprint))
        await driver.press(.control("s"))
        #expect(driver.screen.contains(Fixtures.role))
        await driver.press(.enter)
        #expect(driver.screen.contains("/bucket/home/"))
        await driver.press(.control("s"))
        await driver.press(.enter)
        #expect(driver.screen.contains("Review"))
        await driver.press(.enter)
        let screen = driver.screen
        #expect(screen.contains("login allowed"))
        #expect(screen.contains("User name"))
        #expect(screen.contains("Shown only now"))
        let saved = SFTPUser(secret: try UserSecret(secretString: try await store.getSecret(name: "SFTP/erin", version: .current).string))
        #expect(saved.role() == Fixtures.role)
        #expect(saved.home() == .path("/bucket/home/erin"))
        #expect(saved.storedPassword()?.kind == .argon2id)
        #expect(saved.publicKeys().map(\.key.fingerprint) == [key.fingerprint])
        await driver.press(.enter)
        #expect(driver.state.topModal == nil)
        #expect(driver.state.selectedUsername == "erin")
    }

    @Test("the onboarding wizard takes several LOGICAL Entry → Target rows and names the row a bad one is on")
    func onboardsWithLogicalMappings() async throws {
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        await driver.press(.character("n"))
        await driver.type("frank")
        await driver.press(.enter, .control("s"), .enter)
        #expect(driver.screen.contains("Where they land"))
        await driver.press(.character(" "), .tab, .tab, .control("u"))
        await driver.type("/bucket/home/frank")
        await driver.press(.control("n"))
        await driver.type("/reports")
        await driver.press(.tab)
        await driver.type("bucket/reports")
        await driver.press(.control("s"))
        #expect(driver.screen.contains("HomeDirectoryDetails[2].Target: must start with /"))
        guard case .wizard(let wizard)? = driver.state.topModal else {
            Issue.record("the wizard closed")
            return
        }
        #expect(wizard.step == .home)
        #expect(wizard.home.focusedID == "target1")
        await driver.press(.home)
        await driver.type("/")
        await driver.press(.control("s"))
        await driver.press(.enter)
        #expect(driver.screen.contains("/reports → /bucket/reports"))
        await driver.press(.enter)
        #expect(driver.screen.contains("they see /, /reports"))
        let saved = SFTPUser(secret: try UserSecret(secretString: try await store.getSecret(name: "SFTP/frank", version: .current).string))
        #expect(saved.home() == .logical([HomeMapping(entry: "/", target: "/bucket/home/frank"), HomeMapping(entry: "/reports", target: "/bucket/reports")]))
    }

    @Test("switching the wizard's home between PATH and LOGICAL keeps what was typed in both")
    func wizardHomeSwitchKeepsValues() async throws {
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        await driver.press(.character("n"))
        await driver.type("gina")
        await driver.press(.enter, .control("s"), .enter, .tab, .control("u"))
        await driver.type("/bucket/gina")
        await driver.press(.backTab, .character(" "), .tab, .tab, .control("u"))
        await driver.type("/bucket/logical/gina")
        await driver.press(.backTab, .backTab, .character(" "))
        guard case .wizard(let onPath)? = driver.state.topModal else {
            Issue.record("the wizard closed")
            return
        }
        #expect(onPath.home.homeDirectory == .path("/bucket/gina"))
        await driver.press(.character(" "))
        guard case .wizard(let onLogical)? = driver.state.topModal else {
            Issue.record("the wizard closed")
            return
        }
        #expect(onLogical.home.homeDirectory == .logical([HomeMapping(entry: "/", target: "/bucket/logical/gina")]))
    }

    @Test("Esc during a save does not cancel it: the write completes and is reported, and the next save does not conflict with it")
    func escapeDuringASaveWaitsForIt() async throws {
        let store = try await Fixtures.store()
        let driver = ConsoleDriver(store: store)
        await driver.start()
        await driver.press(.character("j"), .character("e"), .control("u"))
        await driver.type("arn:aws:iam::123456789012:role/uploaders")
        let base = try await store.getSecret(name: "SFTP/bob", version: .current)

        // The save asks for exactly one write: bob's edits over the version the form was opened on.
        let effects = reduce(state: &driver.state, event: .key(.control("s")))
        #expect(effects.count == 1)
        guard case .updateUser(let id, let username, let version, let edits, let action)? = effects.first else {
            Issue.record("expected one updateUser effect, got \(effects)")
            return
        }
        #expect(username == "bob" && version.versionID == base.versionID && action == "console.edit")
        #expect(edits.contains(.setRole("arn:aws:iam::123456789012:role/uploaders")))

        // Esc while the write is out: nothing is cancelled, the form stays and says it waits.
        #expect(reduce(state: &driver.state, event: .key(.escape)).isEmpty)
        #expect(driver.state.operations[id] != nil)
        #expect(driver.state.message?.text.contains("cannot be taken back") == true)
        guard case .editor? = driver.state.topModal else {
            Issue.record("the editor closed while its save was out")
            return
        }

        // The write lands and is reported as saved.
        let result = try #require(await driver.runner.perform(effects[0]))
        _ = reduce(state: &driver.state, event: result)
        #expect(driver.state.topModal == nil)
        #expect(driver.state.message?.text.hasPrefix("Saved") == true, "\(String(describing: driver.state.message))")
        #expect(try await store.listVersions(name: "SFTP/bob").count == 2)

        // The next edit starts from the version just written: no conflict with our own write.
        await driver.press(.character("e"), .control("u"))
        await driver.type("arn:aws:iam::123456789012:role/second")
        await driver.press(.control("s"))
        #expect(driver.state.topModal == nil)
        #expect(try await store.listVersions(name: "SFTP/bob").count == 3)
    }
}

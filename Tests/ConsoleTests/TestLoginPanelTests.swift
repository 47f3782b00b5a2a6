import Foundation
import IdentityModel
import IdentityProvider
import Testing
import TerminalUI
@testable import Console

/// The test-login panel as a value: focus order, validation before the call, stale answers, wrapping; and values
/// shortened in the middle elsewhere, with the key that shows them whole.
@Suite("Test-login panel and shortened values")
struct TestLoginPanelTests {
    static let size = TerminalSize(rows: 24, columns: 80)

    static func panel(_ state: ConsoleState) -> TestLoginState? {
        if case .testLogin(let panel)? = state.topModal { panel } else { nil }
    }

    static func screen(_ state: ConsoleState) -> String {
        var canvas = Canvas(size: state.size)
        render(state, into: &canvas)
        return canvas.text
    }

    static func styled(_ state: ConsoleState) -> String {
        var canvas = Canvas(size: state.size)
        render(state, into: &canvas)
        return canvas.styledText
    }

    /// The panel opened on the selected user (alice), with `password` typed and asked once (answer: allowed).
    static func answered(password: String = "pw") -> ConsoleState {
        var state = SnapshotScenes.loaded(size: size)
        _ = SnapshotScenes.press([.character("t")], &state)
        SnapshotScenes.typing(password, &state)
        let effects = SnapshotScenes.press([.enter], &state)
        if case .testLogin(let id, _)? = effects.first {
            _ = reduce(state: &state, event: .loginDecided(id, SnapshotScenes.allowedOutcome()))
        }
        return state
    }

    @Test("with a user selected the password has focus, and a Tab too many never shows typing in clear text")
    func passwordFirst() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        _ = SnapshotScenes.press([.character("t")], &state)
        var panel = try #require(Self.panel(state))
        #expect(panel.form.focusedID == "password")
        #expect(panel.form.fields.map(\.id) == ["password", "protocol", "source", "server", "user"])
        // Shift-Tab on the first field stays there: the focus does not wrap round to the last (clear-text) field.
        _ = SnapshotScenes.press([.backTab, .up], &state)
        SnapshotScenes.typing("hunter2", &state)
        // One Tab too many lands on the protocol choice, where typed text shows nowhere.
        _ = SnapshotScenes.press([.tab], &state)
        SnapshotScenes.typing("zq7", &state)
        panel = try #require(Self.panel(state))
        #expect(panel.form.focusedID == "protocol")
        #expect(panel.form["password"] == "hunter2")
        #expect(panel.form["source"] == "192.0.2.10" && panel.form["server"] == "s-0123456789abcdef0" && panel.form["user"] == "alice")
        #expect(!Self.screen(state).contains("hunter2") && !Self.screen(state).contains("zq7"))
    }

    @Test("without a user selected the user name comes first, the password right after it")
    func userNameFirstWhenNoneSelected() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        _ = SnapshotScenes.press([.character("/")], &state)
        SnapshotScenes.typing("nobody-matches", &state)
        _ = SnapshotScenes.press([.enter, .character("t")], &state)
        let panel = try #require(Self.panel(state))
        #expect(panel.form.fields.map(\.id) == ["user", "password", "protocol", "source", "server"])
        #expect(panel.form.focusedID == "user")
    }

    @Test("Enter asks from any field, with the fields as typed")
    func enterRuns() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        _ = SnapshotScenes.press([.character("t")], &state)
        SnapshotScenes.typing("pw", &state)
        let effects = SnapshotScenes.press([.enter], &state)
        guard case .testLogin(_, let request)? = effects.first else {
            Issue.record("expected a testLogin effect, got \(effects)")
            return
        }
        #expect(request.username == "alice" && request.password == "pw" && request.sourceIP == "192.0.2.10" && request.serverID == "s-0123456789abcdef0")
    }

    @Test("each invalid field gets a message naming its rule under it, and nothing is asked", arguments: [
        ("source", "10.0.0.300", "must be an IPv4 or IPv6 address, e.g. 192.0.2.10 or 2001:db8::10"),
        ("source", "", "required: an IPv4 or IPv6 address, e.g. 192.0.2.10 or 2001:db8::10"),
        ("source", "192.0.2.0/24", "must be an IPv4 or IPv6 address, e.g. 192.0.2.10 or 2001:db8::10"),
        ("server", "s-0123456789ABCDEF0", "must be s- followed by 17 lowercase hexadecimal digits, e.g. s-0123456789abcdef0"),
        ("server", "s-0123", "must be s- followed by 17 lowercase hexadecimal digits, e.g. s-0123456789abcdef0"),
        ("server", "", "required: s- followed by 17 lowercase hexadecimal digits, e.g. s-0123456789abcdef0"),
    ])
    func validation(field: String, value: String, message: String) throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        _ = SnapshotScenes.press([.character("t")], &state)
        var panel = try #require(Self.panel(state))
        panel.form.set(field, value)
        state.replaceTop(.testLogin(panel))
        let effects = SnapshotScenes.press([.control("s")], &state)
        #expect(effects.isEmpty)
        #expect(state.operations.isEmpty)
        panel = try #require(Self.panel(state))
        #expect(panel.form.fields.first { $0.id == field }?.error == message)
        #expect(panel.form.focusedID == "password")  // not moved: a password typed next must not land in a clear-text field
        #expect(panel.report == nil)
        // On screen: the whole message (wrapped when long), on the rows under its field.
        let screen = Self.screen(state)
        let lines = screen.split(separator: "\n").map(String.init)
        let fieldRow = try #require(lines.firstIndex { $0.contains(field == "source" ? "Source IP" : "Server id") })
        let under = lines[(fieldRow + 1)...].prefix(2).map { $0.replacingOccurrences(of: "│", with: "").trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(under.hasPrefix("✗ " + message))
        #expect(screen.contains("Not asked: fix the fields marked ✗ first"))
        // Typing in the field clears its message.
        panel.form.focus(on: field)
        state.replaceTop(.testLogin(panel))
        _ = SnapshotScenes.press([.backspace], &state)
        #expect(Self.panel(state)?.form.fields.first { $0.id == field }?.error == nil)
    }

    @Test("IPv6 and IPv4-mapped source addresses are accepted", arguments: ["2001:db8::10", "::ffff:192.0.2.10", "203.0.113.7"])
    func validAddresses(address: String) throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        _ = SnapshotScenes.press([.character("t")], &state)
        var panel = try #require(Self.panel(state))
        panel.form.set("source", address)
        state.replaceTop(.testLogin(panel))
        let effects = SnapshotScenes.press([.control("s")], &state)
        guard case .testLogin(_, let request)? = effects.first else {
            Issue.record("expected a testLogin effect, got \(effects)")
            return
        }
        #expect(request.sourceIP == address)
    }

    @Test("an answer turns stale (marked and dimmed) when any field changes, and fresh when asked again")
    func staleAnswer() throws {
        var state = Self.answered()
        #expect(Self.panel(state)?.isStale == false)
        #expect(!Self.screen(state).contains("stale:"))
        #expect(Self.styled(state).contains("[success]✔ ALLOWED"))

        SnapshotScenes.typing("x", &state)
        #expect(Self.panel(state)?.isStale == true)
        #expect(Self.screen(state).contains("stale: fields changed since this answer"))
        let styled = Self.styled(state)
        #expect(styled.contains("[dim]✔ ALLOWED"))
        #expect(!styled.contains("[success]✔ ALLOWED"))

        // Moving between fields changes nothing; changing the protocol choice or pasting does.
        state = Self.answered()
        _ = SnapshotScenes.press([.tab], &state)
        #expect(Self.panel(state)?.isStale == false)
        _ = SnapshotScenes.press([.character(" ")], &state)
        #expect(Self.panel(state)?.isStale == true)
        state = Self.answered()
        _ = reduce(state: &state, event: .paste("more"))
        #expect(Self.panel(state)?.isStale == true)

        let effects = SnapshotScenes.press([.enter], &state)
        #expect(Self.panel(state)?.isStale == false)
        if case .testLogin(let id, _)? = effects.first {
            _ = reduce(state: &state, event: .loginDecided(id, SnapshotScenes.deniedOutcome()))
        }
        #expect(!Self.screen(state).contains("stale:"))
        #expect(Self.screen(state).contains("DENIED"))
    }

    @Test("a long reason and long response lines wrap instead of being cut at the edge")
    func longLinesWrap() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        _ = SnapshotScenes.press([.character("t")], &state)
        let effects = SnapshotScenes.press([.enter], &state)
        let home = "/myawstransferbucket/home/departments/finance/quarterly-reports/2026/uploads-from-partners/jess"
        let reason = "source address 192.0.2.10 is outside every network in AcceptedIpNetwork (203.0.113.0/24, 2001:db8::/32) configured for this user"
        let outcome = LoginOutcome.decided(LoginDecision(
            response: .object(["HomeDirectory": .string(home), "Role": .string(SnapshotScenes.role)]),
            denialCategory: nil, reason: reason, checks: [], authentication: .password, duration: .milliseconds(5)))
        guard case .testLogin(let id, _)? = effects.first else {
            Issue.record("expected a testLogin effect, got \(effects)")
            return
        }
        _ = reduce(state: &state, event: .loginDecided(id, outcome))
        let panelRows = Self.screen(state).split(separator: "\n").dropFirst()  // the header shortens the store path
        let joined = panelRows
            .map { $0.replacingOccurrences(of: "│", with: "").trimmingCharacters(in: .whitespaces) }
            .joined()
        #expect(joined.replacingOccurrences(of: " ", with: "").contains(home))
        #expect(joined.replacingOccurrences(of: " ", with: "").contains(reason.replacingOccurrences(of: " ", with: "")))
        #expect(!panelRows.filter { $0.hasPrefix("│") }.contains { $0.contains("…") })  // the status line below may spin "…"
    }

    @Test("styled runs wrap at spaces, mid-word only for a word wider than the line, with indented continuations")
    func wrappedRunsRule() {
        let line = [StyledRun(text: "key: ", role: .jsonKey), StyledRun(text: "aaaa bbbb cccccccccccc", role: .jsonString)]
        let rows = wrappedRuns([line], width: 10).map { $0.map(\.text).joined() }
        #expect(rows == ["key: aaaa ", "  bbbb ", "  cccccccc", "  cccc"])
        let roles = wrappedRuns([line], width: 10)[0].map(\.role)
        #expect(roles == [.jsonKey, .jsonString])
        #expect(wrappedRuns([[]], width: 10) == [[]])
    }

    @Test("the conflict screen shortens values in the middle, so the differing end shows; w shows them whole")
    func conflictValues() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        _ = SnapshotScenes.press([.character("e"), .control("u")], &state)
        SnapshotScenes.typing("arn:aws:iam::123456789012:role/mine", &state)
        let effects = SnapshotScenes.press([.control("s")], &state)
        guard case .updateUser(let id, _, _, _, _)? = effects.first else {
            Issue.record("expected an updateUser effect, got \(effects)")
            return
        }
        let theirs = SnapshotScenes.users[0].1.replacingOccurrences(of: "sftp-access", with: "theirs-access")
        _ = reduce(state: &state, event: .writeConflict(id, theirs: SnapshotScenes.value("alice", theirs, version: "v2", at: SnapshotScenes.now)))
        var screen = Self.screen(state)
        let roleRow = try #require(screen.split(separator: "\n").first { $0.contains("│ Role ") })
        // BEFORE ends in sftp-access, MINE in role/mine, THEIRS in theirs-access: each end shows.
        #expect(roleRow.contains("…p-access") && roleRow.contains("…ole/mine") && roleRow.contains("…s-access"), "\(roleRow)")
        #expect(roleRow.contains("arn:aws:"))
        #expect(screen.contains("w: full values."))
        #expect(screen.contains("│ edited it."))  // the intro wraps instead of being cut at 80 columns

        _ = SnapshotScenes.press([.character("w")], &state)
        screen = Self.screen(state)
        let flattened = screen.replacingOccurrences(of: " ", with: "")
        #expect(flattened.contains("arn:aws:iam::123456789012:role/mine".prefix(17)))
        #expect(!screen.split(separator: "\n").contains { $0.contains("│ Role ") && $0.contains("…") })
        #expect(screen.contains("w: one line per field."))
        _ = SnapshotScenes.press([.character("w")], &state)
        #expect(Self.screen(state).contains("w: full values."))
    }

    @Test("list cells and the header's store path shorten in the middle; the hint line names the key for the whole value")
    func listAndHeader() throws {
        var state = SnapshotScenes.loaded(size: Self.size)
        var screen = Self.screen(state)
        let header = try #require(screen.split(separator: "\n").first)
        #expect(header.contains("embedded /home…") && header.contains("secrets.db"))
        #expect(screen.contains("? full store path"))
        _ = SnapshotScenes.press([.character("?")], &state)
        #expect(Self.screen(state).contains("embedded /home/admin/.local/share/sftpidp/secrets.db"))
        _ = SnapshotScenes.press([.escape], &state)

        // A home longer than its column: its end (the user's folder) stays; Enter shows it whole.
        let home = "/myawstransferbucket/home/departments/finance/alice-uploads"
        state.list.updateRecord(named: "alice") { $0.summary.home = home }
        screen = Self.screen(state)
        let row = try #require(screen.split(separator: "\n").first { $0.contains(" alice ") })
        #expect(row.contains("…") && row.contains("uploads") && row.contains("/myaws"))
        #expect(screen.contains("⏎ full values"))

        state = SnapshotScenes.loaded(size: TerminalSize(rows: 40, columns: 160))
        screen = Self.screen(state)
        #expect(!screen.contains("full values") && !screen.contains("full store path"))
    }
}

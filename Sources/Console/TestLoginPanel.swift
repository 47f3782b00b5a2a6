import Foundation
import IdentityModel
import IdentityProvider
import TerminalUI

/// Asks the identity provider handler, in-process, exactly what the SFTP service would ask, and shows its answer.
struct TestLoginState: Sendable, Hashable {
    var form: Form
    var report: TestLoginReport?
    /// Why the last run did not finish (cancelled, failed).
    var failure: String?
    var isRunning = false
    var resultScroll = 0
    /// True once a field changed after the shown answer (or failure): it no longer answers what the fields ask.
    var isStale = false

    /// The fields in the order the task needs them. With a user selected the password comes first and has focus;
    /// without one the user name does, the password right after it. The focus stops at both ends (no wrapping) and
    /// the field after the password is the protocol choice, so a password typed after one Tab too many is never
    /// shown in a clear-text field.
    init(serverID: String?, username: String) {
        let password = FormField.text("password", "Password", hint: "empty: public-key authentication", masked: true)
        let user = FormField.text("user", "User name", username)
        let rest: [FormField] = [
            .choice("protocol", "Protocol", options: TransferProtocol.allCases.map(\.rawValue), hint: "Space or ←→ changes the protocol"),
            .text("source", "Source IP", "192.0.2.10", hint: "the client's IPv4 or IPv6 address"),
            .text("server", "Server id", serverID ?? "", hint: "s-0123456789abcdef0"),
        ]
        form = Form(username.isEmpty ? [user, password] + rest : [password] + rest + [user])
        form.wraps = false
        form.entersSubmit = true
        form.focus = 0
    }

    /// Marks each field that breaks its rule with a message under it (naming the rule); true when all are valid.
    /// The SFTP service always sends a server id and the client's address, so both are required. The focus stays
    /// where it is: moving it to a clear-text field could catch a password typed next.
    mutating func validate() -> Bool {
        form.clearErrors()
        let server = form["server"]
        if server.isEmpty {
            form.setError("server", "required: s- followed by 17 lowercase hexadecimal digits, e.g. \(placeholderServerID)")
        } else if let error = Validation.serverID(server) {
            form.setError("server", "\(error.rule), e.g. \(placeholderServerID)")
        }
        let source = form["source"]
        if source.isEmpty {
            form.setError("source", "required: an IPv4 or IPv6 address, e.g. 192.0.2.10 or 2001:db8::10")
        } else if IPAddress(parsing: source) == nil {
            form.setError("source", "must be an IPv4 or IPv6 address, e.g. 192.0.2.10 or 2001:db8::10")
        }
        return !form.fields.contains { $0.error != nil }
    }

    /// The request as the SFTP service would send it; empty fields are sent as missing.
    var request: LoginRequest {
        func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
        return LoginRequest(serverID: optional(form["server"]), username: optional(form["user"]), password: optional(form["password"]), protocolName: optional(form["protocol"]), sourceIP: optional(form["source"]))
    }
}

/// The server id the test uses when none is configured: any valid id works for schemes without `{serverId}`.
let placeholderServerID = "s-0123456789abcdef0"

func openTestLogin(state: inout ConsoleState) {
    let username = state.list.selectedRecord?.username ?? ""
    state.push(.testLogin(TestLoginState(serverID: state.context.serverID ?? placeholderServerID, username: username)))
}

func handleTestLoginKey(_ key: Key, panel: TestLoginState, state: inout ConsoleState) -> [Effect] {
    var panel = panel
    if panel.isRunning { return [] }
    switch key {
    case .pageDown:
        panel.resultScroll += 5
    case .pageUp:
        panel.resultScroll = max(0, panel.resultScroll - 5)
    default:
        switch panel.form.handle(key) {
        case .cancel:
            state.popModal()
            return []
        case .submit:
            return runTestLogin(&panel, state: &state)
        case .edited:
            panel.markStaleIfAnswered()
        default:
            break
        }
    }
    state.replaceTop(.testLogin(panel))
    return []
}

extension TestLoginState {
    /// Pasted text goes into the focused field, which makes a shown answer stale like typing does.
    mutating func paste(_ text: String) {
        let before = form
        form.paste(text)
        if form != before { markStaleIfAnswered() }
    }

    /// A field changed: an answer (or failure) on screen no longer answers what the fields ask.
    mutating func markStaleIfAnswered() {
        if report != nil || failure != nil { isStale = true }
    }
}

private func runTestLogin(_ panel: inout TestLoginState, state: inout ConsoleState) -> [Effect] {
    guard panel.validate() else {
        state.replaceTop(.testLogin(panel))
        state.show("Not asked: fix the fields marked ✗ first", .error)
        return []
    }
    panel.isRunning = true
    panel.isStale = false
    panel.failure = nil
    panel.report = nil
    panel.resultScroll = 0
    let request = panel.request
    state.replaceTop(.testLogin(panel))
    let id = state.startOperation(.testLogin, label: "Asking the identity provider", subject: request.username)
    return [.testLogin(id, request)]
}

/// A test login's answer as the panel and the wizard show it.
func loginReport(_ outcome: LoginOutcome, state: ConsoleState) -> TestLoginReport {
    TestLoginReport(outcome: outcome, url: "in-process: sftpidp console", store: state.context.storeName, explain: true)
}

/// A new test answer replaces the access shown; an allowed one is explained, for the screen that asked `operation`.
func explainAnswer(_ report: TestLoginReport?, username: String, continuing operation: Operation, state: inout ConsoleState) -> [Effect] {
    state.access = nil
    guard let report, report.isAllowed else { return [] }
    return startAccessExplanation(answerJSON: report.response, username: username, continuing: operation, state: &state)
}

func renderTestLogin(_ panel: TestLoginState, state: ConsoleState, into canvas: inout Canvas) {
    let frame = renderScreenFrame(title: "Test a login", state: state, into: &canvas)
    let formEnd = panel.form.render(into: &canvas, top: frame.top, left: frame.left, width: frame.width, height: frame.height / 2, focused: !panel.isRunning)
    var resultTop = max(frame.top + 7, formEnd + 1)
    let bottom = frame.top + frame.height
    if panel.isStale, panel.report != nil || panel.failure != nil {
        canvas.put("stale: fields changed since this answer (Enter asks again)", row: resultTop, column: frame.left, role: .warning, maxWidth: frame.width)
        resultTop += 1
    }
    if panel.isRunning {
        canvas.put("\(spinner(state)) asking the identity provider…", row: resultTop, column: frame.left, role: .info)
    } else if let failure = panel.failure {
        putWrapped([StyledRun(text: "Not finished: \(failure)", role: panel.isStale ? .dim : .warning)], top: resultTop, bottom: bottom, left: frame.left, width: frame.width, into: &canvas)
    } else if let report = panel.report {
        renderReport(report, access: report.isAllowed ? state.access.flatMap { $0.onDemand ? nil : $0 } : nil, state: state, top: resultTop, left: frame.left,
                     height: bottom - resultTop, width: frame.width, scroll: panel.resultScroll, dimmed: panel.isStale, into: &canvas)
    } else {
        putWrapped([StyledRun(text: "Enter (or Ctrl-S) asks the identity provider, in-process, exactly as `serve` would.", role: .dim)], top: resultTop, bottom: bottom, left: frame.left, width: frame.width, into: &canvas)
    }
    renderStatusLine(state, into: &canvas)
    renderKeyBar([("⏎", "run"), ("Tab/↑↓", "field"), ("PgUp/PgDn", "scroll result"), ("Esc", "back")], state: state, into: &canvas)
}

/// Draws one line of runs wrapped to `width`, from `top` down to (not including) `bottom`.
private func putWrapped(_ runs: [StyledRun], top: Int, bottom: Int, left: Int, width: Int, into canvas: inout Canvas) {
    for (offset, row) in wrappedRuns([runs], width: width).prefix(max(0, bottom - top)).enumerated() {
        putRuns(row, row: top + offset, column: left, width: width, into: &canvas)
    }
}

/// The answer: verdict and time, StatusCode and Message, the Response JSON coloured, the checks, then `access`
/// (the access section of an allowed answer) when given; long lines wrap. `dimmed` draws it all in the dim role
/// (a stale answer).
func renderReport(_ report: TestLoginReport, access: AccessSection?, state: ConsoleState, top: Int, left: Int, height: Int, width: Int, scroll: Int, dimmed: Bool = false, into canvas: inout Canvas) {
    var lines: [[StyledRun]] = []
    let verdict = report.isAllowed ? "✔ ALLOWED" : (report.statusCode == 200 ? "✘ DENIED" : "✘ ERROR")
    var headline = [StyledRun(text: verdict, role: report.isAllowed ? .success : .error)]
    if let explanation = report.explanation {
        headline.append(StyledRun(text: "  \(explanation.reason)", role: .value))
        headline.append(StyledRun(text: String(format: "  (%.1f ms)", explanation.milliseconds), role: .dim))
    }
    lines.append(headline)
    lines.append([StyledRun(text: "StatusCode: ", role: .label), StyledRun(text: String(report.statusCode), role: .jsonNumber),
                  StyledRun(text: "   Message: ", role: .label), StyledRun(text: report.message.isEmpty ? "\"\"" : report.message, role: .jsonString)])
    lines.append([StyledRun(text: "Response:", role: .label)])
    if let response = try? JSONValue(parsing: report.response) {
        lines += colouredJSONLines(response)
    } else {
        lines.append([StyledRun(text: report.response.isEmpty ? "(none)" : report.response, role: .jsonString)])
    }
    if let explanation = report.explanation, !explanation.checks.isEmpty {
        lines.append([StyledRun(text: "Checks:", role: .label)])
        for check in explanation.checks {
            let role: StyleRole = switch check.outcome {
            case .passed: .success
            case .failed: .error
            case .skipped: .dim
            }
            let mark = switch check.outcome {
            case .passed: "✔"
            case .failed: "✘"
            case .skipped: "·"
            }
            lines.append([StyledRun(text: "  \(mark) \(check.name): ", role: role), StyledRun(text: check.detail, role: .value)])
        }
    }
    if let access {
        lines += accessRunLines(access, state: state, width: width)
    }
    lines = wrappedRuns(lines, width: width)
    if dimmed { lines = lines.map { $0.map { StyledRun(text: $0.text, role: .dim) } } }
    for (offset, runs) in lines.dropFirst(min(scroll, max(0, lines.count - 1))).prefix(height).enumerated() {
        putRuns(runs, row: top + offset, column: left, width: width, into: &canvas)
    }
}

extension TestLoginState: ConsoleScreen {
    func handleKey(_ key: Key, state: inout ConsoleState) -> [Effect] { handleTestLoginKey(key, panel: self, state: &state) }
    /// The answer shows under the fields (an allowed one with its access explained); a failure or Esc says why not.
    func handle(_ result: ConsoleEvent, of operation: Operation, state: inout ConsoleState) -> [Effect] {
        var panel = self
        panel.isRunning = false
        switch result {
        case .loginDecided(_, let outcome):
            panel.report = loginReport(outcome, state: state)
            state.replaceScreen(operation.origin, with: .testLogin(panel))
            return explainAnswer(panel.report, username: form["user"], continuing: operation, state: &state)
        default:
            panel.failure = result.failure
            state.replaceScreen(operation.origin, with: .testLogin(panel))
            return []
        }
    }
    func render(state: ConsoleState, into canvas: inout Canvas) { renderTestLogin(self, state: state, into: &canvas) }
    var unsavedForm: UnsavedForm? { nil }
    var modal: Modal { .testLogin(self) }
}

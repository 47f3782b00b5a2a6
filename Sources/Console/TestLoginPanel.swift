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

    init(serverID: String?, username: String) {
        form = Form([
            .text("server", "Server id", serverID ?? "", hint: "s-0123456789abcdef0"),
            .text("user", "User name", username),
            .text("password", "Password", hint: "empty: public-key authentication", masked: true),
            .choice("protocol", "Protocol", options: TransferProtocol.allCases.map(\.rawValue), hint: "Space or ←→ changes the protocol"),
            .text("source", "Source IP", "192.0.2.10", hint: "the client's IPv4 or IPv6 address"),
        ])
        form.focus = username.isEmpty ? 1 : 2
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
        default:
            break
        }
    }
    state.replaceTop(.testLogin(panel))
    return []
}

private func runTestLogin(_ panel: inout TestLoginState, state: inout ConsoleState) -> [Effect] {
    panel.isRunning = true
    panel.failure = nil
    panel.report = nil
    panel.resultScroll = 0
    let request = panel.request
    state.replaceTop(.testLogin(panel))
    let id = state.startOperation(.testLogin, label: "Asking the identity provider")
    return [.testLogin(id, request)]
}

func loginDecided(_ outcome: LoginOutcome, state: inout ConsoleState) -> [Effect] {
    let report = TestLoginReport(outcome: outcome, url: "in-process: sftpidp console", store: state.context.storeName, explain: true)
    let username: String
    if case .testLogin(var panel)? = state.topModal {
        panel.isRunning = false
        panel.report = report
        username = panel.form["user"]
        state.replaceTop(.testLogin(panel))
    } else if case .wizard(var wizard)? = state.topModal {
        wizard.testReport = report
        wizard.isTesting = false
        username = wizard.username
        state.replaceTop(.wizard(wizard))
    } else {
        return []
    }
    state.access = nil
    return report.isAllowed ? startAccessExplanation(answerJSON: report.response, username: username, state: &state) : []
}

func testLoginFailed(_ message: String, state: inout ConsoleState) {
    if case .testLogin(var panel)? = state.topModal {
        panel.isRunning = false
        panel.failure = message
        state.replaceTop(.testLogin(panel))
    } else if case .wizard(var wizard)? = state.topModal {
        wizard.isTesting = false
        state.replaceTop(.wizard(wizard))
    }
}

func renderTestLogin(_ panel: TestLoginState, state: ConsoleState, into canvas: inout Canvas) {
    let frame = renderScreenFrame(title: "Test a login", state: state, into: &canvas)
    panel.form.render(into: &canvas, top: frame.top, left: frame.left, width: frame.width, height: 7, focused: !panel.isRunning)
    let resultTop = frame.top + 7
    canvas.fill(row: resultTop - 1, column: frame.left, width: frame.width, role: .normal)
    if panel.isRunning {
        canvas.put("\(spinner(state)) asking the identity provider…", row: resultTop, column: frame.left, role: .info)
    } else if let failure = panel.failure {
        canvas.put("Not finished: \(failure)", row: resultTop, column: frame.left, role: .warning, maxWidth: frame.width)
    } else if let report = panel.report {
        renderReport(report, access: report.isAllowed ? state.access.flatMap { $0.onDemand ? nil : $0 } : nil, state: state, top: resultTop, left: frame.left,
                     height: frame.top + frame.height - resultTop, width: frame.width, scroll: panel.resultScroll, into: &canvas)
    } else {
        canvas.put("Enter on the last field (or Ctrl-S) asks the identity provider, in-process, exactly as `serve` would.", row: resultTop, column: frame.left, role: .dim, maxWidth: frame.width)
    }
    renderStatusLine(state, into: &canvas)
    renderKeyBar([("Tab/↑↓", "field"), ("Ctrl-S", "run"), ("PgUp/PgDn", "scroll result"), ("Esc", "back")], state: state, into: &canvas)
}

/// The answer: verdict and time, StatusCode and Message, the Response JSON coloured, the checks, then `access`
/// (the access section of an allowed answer) when given.
func renderReport(_ report: TestLoginReport, access: AccessSection?, state: ConsoleState, top: Int, left: Int, height: Int, width: Int, scroll: Int, into canvas: inout Canvas) {
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
    for (offset, runs) in lines.dropFirst(min(scroll, max(0, lines.count - 1))).prefix(height).enumerated() {
        putRuns(runs, row: top + offset, column: left, width: width, into: &canvas)
    }
}

import AccessAnalysis
import IdentityModel
import TerminalUI

/// What an allowed login can do where, shown under the test panel's and the wizard's answer and, on demand (`a`),
/// in the user's details. The role's policies come from the console's ``RolePolicySource`` off the UI loop.
struct AccessSection: Sendable, Hashable {
    enum Phase: Sendable, Hashable {
        case explaining
        case explained(AccessReport)
        /// No explanation: the answer cannot be read, or the user has no role.
        case unavailable(String)
    }

    /// The user the section is about.
    var username: String
    /// Asked for with `a` (shown in the user's details), rather than under a test answer.
    var onDemand = false
    /// The work explaining it, while it runs; a result for another id is stale and dropped.
    var operation: OperationID?
    var phase: Phase
}

/// Starts explaining an allowed answer (`Response` JSON) of `username`; nil effects when the answer cannot be read.
func startAccessExplanation(answerJSON: String, username: String, continuing previous: Operation, state: inout ConsoleState) -> [Effect] {
    let answer: TransferAnswer
    do {
        answer = try TransferAnswer(json: answerJSON)
    } catch {
        state.access = AccessSection(username: username, phase: .unavailable(error.description))
        return []
    }
    return startAccessExplanation(answer, username: username, onDemand: false, continuing: previous, state: &state)
}

/// `a` on a user: explains the SFTP answer their stored fields give (role, policy, home), without logging in.
func explainSelectedUser(state: inout ConsoleState) -> [Effect] {
    guard let record = state.list.selectedRecord else { return [] }
    guard let secret = record.secret else {
        state.show("\(record.username) is not loaded yet or cannot be read", .warning)
        return []
    }
    let user = SFTPUser(secret: secret)
    guard let role = user.role(for: .sftp), !role.isEmpty else {
        state.access = AccessSection(username: record.username, onDemand: true, phase: .unavailable("the user has no Role: every login is denied"))
        return []
    }
    let answer: TransferAnswer = switch user.home(for: .sftp) {
    case .path(let path):
        TransferAnswer(role: role, policy: user.policy(for: .sftp), homeDirectoryType: "PATH", homeDirectory: path)
    case .logical(let mappings):
        TransferAnswer(role: role, policy: user.policy(for: .sftp), homeDirectoryType: "LOGICAL",
                       mappings: mappings.map { TransferAnswer.Mapping(entry: $0.entry, target: $0.target, type: $0.type?.rawValue) })
    }
    return startAccessExplanation(answer, username: record.username, onDemand: true, continuing: nil, state: &state)
}

private func startAccessExplanation(_ answer: TransferAnswer, username: String, onDemand: Bool, continuing previous: Operation?, state: inout ConsoleState) -> [Effect] {
    let id = state.startOperation(.explainAccess, label: "Reading the role's policies", subject: username, continuing: previous)
    state.access = AccessSection(username: username, onDemand: onDemand, operation: id, phase: .explaining)
    return [.explainAccess(id, answer, username: username)]
}

func accessExplained(_ report: AccessReport, id: OperationID, state: inout ConsoleState) {
    guard state.access?.operation == id else { return }
    state.access?.operation = nil
    state.access?.phase = .explained(report)
}

func accessExplanationFailed(_ message: String, id: OperationID, state: inout ConsoleState) {
    guard state.access?.operation == id else { return }
    state.access?.operation = nil
    state.access?.phase = .unavailable(message)
}

/// The section as label / value rows: the policies used, each place with its operations (the first reason of every
/// one not allowed), then the findings with their fixes.
func accessRows(_ section: AccessSection, state: ConsoleState) -> [DetailLine] {
    var rows = [DetailLine(label: "Access", value: "what \(section.username) can do where", role: .title)]
    switch section.phase {
    case .explaining:
        rows.append(DetailLine(label: "", value: "\(spinner(state)) reading the role's policies…", role: .info))
    case .unavailable(let reason):
        rows.append(DetailLine(label: "", value: "not explained: \(reason)", role: .warning))
    case .explained(let report):
        let roleSide = report.rolePoliciesUnknown.map { "role policies unknown: \($0)" }
            ?? "role: " + report.policies.filter { $0.origin == .role }.map(\.name).joined(separator: ", ")
        rows.append(DetailLine(label: "Policies", value: roleSide, role: report.rolePoliciesUnknown == nil ? .value : .warning))
        if report.policies.contains(where: { $0.origin == .session }) {
            rows.append(DetailLine(label: "", value: "and the session policy from the user's Policy", role: .value))
        }
        for place in report.places {
            rows.append(DetailLine(label: "Directory", value: place.entry == place.target ? place.entry : "\(place.entry) → \(place.target)", role: .label))
            if let note = place.note { rows.append(DetailLine(label: "", value: note, role: .warning)) }
            for operation in place.operations {
                // The reason the role's policies are unknown is said once, above, not under every operation.
                let first = operation.requests.first { $0.decision != .allowed }?.reasons.first?.text
                let reason = first == report.rolePoliciesUnknown ? nil : first
                rows.append(DetailLine(label: "  \(operation.operation.rawValue)", value: operation.decision.rawValue + (reason.map { ": \($0)" } ?? ""),
                                       role: operation.decision.styleRole))
            }
        }
        for finding in report.findings {
            rows.append(DetailLine(label: "Finding", value: "[\(finding.code.rawValue)] \(finding.message); fix: \(finding.fix)", role: .warning))
        }
    }
    return rows
}

/// The section in a few rows for the wizard's summary: the role's policies, then one row per directory with a mark
/// per operation (✔ allowed, ✘ denied, ? unknown); the reasons are one `a` away in the user's details.
func accessSummaryRows(_ section: AccessSection, state: ConsoleState) -> [DetailLine] {
    guard case .explained(let report) = section.phase else { return Array(accessRows(section, state: state).dropFirst()) }
    var rows = [DetailLine(label: "Access", value: report.rolePoliciesUnknown.map { "role policies unknown: \($0)" }
        ?? "role policies: " + report.policies.filter { $0.origin == .role }.map(\.name).joined(separator: ", "),
        role: report.rolePoliciesUnknown == nil ? .value : .warning)]
    for place in report.places {
        let marks = place.operations.map { operation in
            let mark = switch operation.decision {
            case .allowed: "✔"
            case .denied: "✘"
            case .unknown: "?"
            }
            return "\(mark) \(operation.operation.rawValue)"
        }
        rows.append(DetailLine(label: "", value: "\(place.entry): " + (place.note ?? marks.joined(separator: "  ")), role: .value))
    }
    if !report.findings.isEmpty {
        rows.append(DetailLine(label: "", value: "\(report.findings.count) finding(s): press a on \(section.username) in the list for them", role: .warning))
    }
    return rows
}

/// The rows as styled lines for a result area `width` wide: labels in a column, long values wrapped beside them.
func accessRunLines(_ section: AccessSection, state: ConsoleState, width: Int) -> [[StyledRun]] {
    let labelWidth = 22
    return accessRows(section, state: state).flatMap { row in
        wrapped(row.value, width: max(10, width - labelWidth)).enumerated().map { index, part in
            [StyledRun(text: (index == 0 ? row.label : "").padding(toLength: labelWidth, withPad: " ", startingAt: 0), role: .label),
             StyledRun(text: part, role: row.role)]
        }
    }
}

extension Decision {
    var styleRole: StyleRole {
        switch self {
        case .allowed: .success
        case .denied: .error
        case .unknown: .warning
        }
    }
}

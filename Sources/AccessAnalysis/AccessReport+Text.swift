extension AccessReport {
    /// The report as lines for people: each place and operation, the requests behind every denied or unknown
    /// operation with their reasons, then the findings with their fixes and what was not checked.
    public var text: String {
        var lines = ["access for \(userName): \(homeDirectoryType) home, role \(role)"]
        lines.append("policies: " + (policies.isEmpty ? "none" : policies.map { "\($0.name) (\($0.origin.rawValue), \($0.characters) characters)" }.joined(separator: ", ")))
        if let rolePoliciesUnknown {
            lines.append("role policies: unknown: \(rolePoliciesUnknown)")
        }
        for place in places {
            lines.append("")
            let shown = place.entry == place.target ? place.entry : "\(place.entry) -> \(place.target)"
            lines.append(shown + (place.isFile ? " (file)" : ""))
            if let note = place.note {
                lines.append("  \(note)")
            }
            for operation in place.operations {
                lines.append("  " + operation.operation.title.padding(toLength: 20, withPad: " ", startingAt: 0) + operation.decision.rawValue)
                guard operation.decision != .allowed else { continue }
                for request in operation.requests where request.decision != .allowed {
                    let context = request.context.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: " ")
                    lines.append("    \(request.decision.rawValue): \(request.step): \(request.action) on \(request.resource)" + (context.isEmpty ? "" : " with \(context)"))
                    lines += request.reasons.map { "      \($0.text)" }
                }
            }
        }
        lines.append("")
        if findings.isEmpty {
            lines.append("findings: none")
        } else {
            lines.append("findings:")
            for finding in findings {
                lines.append("  [\(finding.code.rawValue)] \(finding.message)")
                lines.append("    fix: \(finding.fix)")
            }
        }
        lines.append("not checked: " + notChecked.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }
}

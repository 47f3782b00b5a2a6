import ArgumentParser
import SecretStore
import TerminalText
import UserManagement

/// `sftpidp audit`: the store's audit trail: who changed which keys of which secret, when; never a value.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print the audit trail of the store (newest first): time, who, from where, action, secret, changed keys."
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Only entries about this user.", valueName: "USER"))
    var user: String?

    @Option(help: ArgumentHelp("At most this many entries.", valueName: "N"))
    var limit = 100

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let store = try storeOptions.openStore(.refuse)
        guard let audited = store as? any AuditedSecretStore else {
            throw CLIFailure("\(store.displayName) keeps no audit trail of its own (for AWS Secrets Manager, use CloudTrail)")
        }
        let secretName = try user.map { try storeOptions.resolvedNamingScheme().secretName(forUser: $0, serverID: try storeOptions.resolvedServerID()) }
        let entries = try await withStoreErrors { try await audited.auditTrail(secretName: secretName, limit: limit) }
        if json {
            printJSON(try encodeJSON(entries))
            return
        }
        for entry in entries {
            let origin = entry.clientAddress.map { "\(entry.actor)@\($0)" } ?? entry.actor
            let fields = entry.changedFields.isEmpty ? "" : "  [\(entry.changedFields.joined(separator: ", "))]"
            printOutput(TerminalText.oneLine("\(formatDate(entry.time))  \(origin)  \(entry.action)  \(entry.secretName)\(fields)"))
        }
    }
}

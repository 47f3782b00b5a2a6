import SecretStore

/// A failure reported to the user as `sftpidp: <message>` with exit status 1.
struct CLIFailure: Error, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}

extension SecretStoreError {
    /// The store error as a CLI failure, with a hint where one helps.
    var cliFailure: CLIFailure {
        switch kind {
        case .conflict:
            CLIFailure("\(message). Someone changed it meanwhile: run the command again to apply your change on top of theirs.")
        case .markedForDeletion:
            // The embedded store already says "restore it first"; AWS says it in its own words.
            CLIFailure(message.hasSuffix("restore it first") ? "\(message) with `sftpidp users restore`." : "\(message). Restore it first with `sftpidp users restore`.")
        default:
            CLIFailure(message)
        }
    }
}

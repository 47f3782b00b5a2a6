import Foundation

/// Runs a profile's `credential_process` command (with `/bin/sh -c`) and reads the JSON it prints:
/// `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}`. A failing command or an answer
/// of the wrong shape is an error that names the rule broken, never the output itself.
public struct ProcessCredentialFetcher: Sendable {
    public let command: String
    /// The profile the command came from, for messages.
    public let profile: String

    public init(command: String, profile: String) {
        self.command = command
        self.profile = profile
    }

    public func fetch() async throws(AWSCredentialError) -> AWSCredentials {
        let (status, output) = try await run()
        guard status == 0 else {
            throw failure("the credential_process of profile \(profile) exited with status \(status)")
        }
        let document: CredentialDocument
        do {
            document = try JSONDecoder().decode(CredentialDocument.self, from: output)
        } catch {
            throw failure("the credential_process of profile \(profile) did not print a JSON credentials object")
        }
        guard document.Version == 1 else {
            throw failure("the credential_process of profile \(profile) printed Version \(document.Version.map(String.init) ?? "(none)"); only 1 is supported")
        }
        do {
            return try document.credentials(source: "process")
        } catch {
            throw failure("the credential_process of profile \(profile): \(error.message)")
        }
    }

    private func failure(_ message: String) -> AWSCredentialError {
        AWSCredentialError(source: "process", message: message)
    }

    /// Runs the command with no input, returns its exit status and standard output (standard error is discarded).
    private func run() async throws(AWSCredentialError) -> (Int32, Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw failure("the credential_process of profile \(profile) could not be started")
        }
        let command = process
        let result = await Task.detached {
            let data = (try? output.fileHandleForReading.readToEnd()) ?? Data()
            command.waitUntilExit()
            return (command.terminationStatus, data)
        }.value
        return result
    }
}

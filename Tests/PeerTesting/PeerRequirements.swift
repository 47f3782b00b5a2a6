import Foundation
import Testing

/// Tests that need what a developer's machine may lack (root, to run sshd or change a file's owner): a developer's run
/// skips them and says why; the project's test command (`scripts/test.sh` exports `SFTPIDP_REQUIRE_ALL_PEERS=1`) runs
/// them anyway, so that there they fail instead of silently not running.
public enum PeerRequirements {
    public static let variable = "SFTPIDP_REQUIRE_ALL_PEERS"

    /// Whether this run must run every peer test (`SFTPIDP_REQUIRE_ALL_PEERS=1`).
    public static var allRequired: Bool { ProcessInfo.processInfo.environment[variable] == "1" }

    public static var isRoot: Bool { geteuid() == 0 }

    /// Fails the test, naming `need`, when the process is not root (a required run that is not).
    public static func requireRoot(_ need: String) throws {
        guard isRoot else {
            throw ExternalProcess.Failure(description: "this test \(need) and the process is not root; \(variable)=1 (scripts/test.sh) requires it to run: run the tests as root, as CI does")
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test or suite as root; otherwise skips it with the reason, except when every peer is required (then it
    /// runs and fails in ``PeerRequirements/requireRoot(_:)``, which the test calls first).
    public static func needsRoot(_ need: String) -> Self {
        .enabled(if: PeerRequirements.isRoot || PeerRequirements.allRequired,
                 Comment(rawValue: "\(need): skipped, not root (\(PeerRequirements.variable)=1, as scripts/test.sh sets, fails it instead)"))
    }
}

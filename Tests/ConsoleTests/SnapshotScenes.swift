import Foundation
import IdentityModel
import IdentityProvider
import SecretStore
import TerminalUI
import UserManagement
@testable import Console

/// Fixed users and a fixed clock, fed to the reducer as events: screens that look the same on every run.
enum SnapshotScenes {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let earlier = Date(timeIntervalSince1970: 1_780_000_000)
    static let role = "arn:aws:iam::123456789012:role/sftp-access"
    static let argon2Hash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Mq2cxY9z3Ws5P2wqYq0l7q4xUj5b3kM2dM9Jm4bF3oE"

    /// A valid ed25519 public key line made from a fixed 32-byte point.
    static func ed25519Line(seed: UInt8, comment: String) -> String {
        func lengthPrefixed(_ bytes: [UInt8]) -> [UInt8] {
            let count = UInt32(bytes.count)
            return [UInt8(count >> 24), UInt8((count >> 16) & 0xff), UInt8((count >> 8) & 0xff), UInt8(count & 0xff)] + bytes
        }
        let blob = lengthPrefixed(Array("ssh-ed25519".utf8)) + lengthPrefixed((0..<32).map { UInt8(truncatingIfNeeded: Int($0) * 7 + Int(seed)) })
        return "ssh-ed25519 \(Data(blob).base64EncodedString()) \(comment)"
    }

    static let users: [(String, String)] = [
        ("alice", """
        {"Role": "\(role)", "HomeDirectory": "/bucket/home/alice", "PasswordHash": "\(argon2Hash)", "PublicKey": "\(ed25519Line(seed: 1, comment: "alice@laptop")),\(ed25519Line(seed: 2, comment: "alice@ci"))", "sftpidp:Comment": "Finance uploads", "Department": "finance", "ApiToken": "do-not-show"}
        """),
        ("bob", """
        {"Role": "arn:aws:iam::123456789012:role/partners", "HomeDirectoryDetails": "[{\\"Entry\\": \\"/\\", \\"Target\\": \\"/bucket/partners/bob\\"}, {\\"Entry\\": \\"/shared\\", \\"Target\\": \\"/bucket/shared\\"}]", "Password": "legacy", "AcceptedIpNetwork": "203.0.113.0/24, 2001:db8::/32", "PosixProfile": {"Uid": 1001, "Gid": 1001, "SecondaryGids": [2000]}, "FTPPassword": "other"}
        """),
        ("carol", "this is not JSON"),
        ("dave", """
        {"Role": "\(role)", "HomeDirectory": "/bucket/home/dave", "PasswordHash": "\(argon2Hash)", "sftpidp:Disabled": true, "sftpidp:ExpiresAt": "2026-01-31"}
        """),
        ("zoë.東京", """
        {"Role": "\(role)", "PublicKey": "\(ed25519Line(seed: 3, comment: "zoë@東京"))"}
        """),
    ]

    static func value(_ name: String, _ string: String, version: String = "v1", at date: Date = earlier) -> SecretValue {
        SecretValue(version: SecretVersionInfo(name: "SFTP/\(name)", versionID: "\(version)-\(name)-0000000000", stages: [SecretVersionInfo.currentStage], createdAt: date), string: string)
    }

    /// The list loaded with every fixture user.
    static func loaded(size: TerminalSize, readOnly: Bool = false, colour: Bool = true) -> ConsoleState {
        let context = ConsoleContext(storeName: "embedded /home/admin/.local/share/sftpidp/secrets.db", naming: .sftpPrefix, serverID: "s-0123456789abcdef0", readOnly: readOnly, themeNames: ["default", "light"])
        var state = ConsoleState(context: context, size: size, now: now)
        let listing = reduce(state: &state, event: .started)
        guard case .listUsers(let listID, _, _, _)? = listing.first else { return state }
        let page = SecretPage(secrets: users.map { SecretSummary(name: "SFTP/\($0.0)", lastChangedAt: earlier) }, nextToken: nil)
        let fetches = reduce(state: &state, event: .usersListed(listID, page))
        for case .fetchUsers(let id, let names) in fetches {
            var results: [String: Result<SecretValue, SecretStoreError>] = [:]
            for (name, string) in users where names.contains("SFTP/\(name)") {
                results["SFTP/\(name)"] = .success(value(name, string))
            }
            _ = reduce(state: &state, event: .usersFetched(id, FetchedUser.all(results, naming: context.naming, serverID: context.serverID, now: now)))
        }
        state.message = nil
        return state
    }

    static func press(_ keys: [Key], _ state: inout ConsoleState) -> [Effect] {
        keys.flatMap { reduce(state: &state, event: .key($0)) }
    }

    static func typing(_ text: String, _ state: inout ConsoleState) {
        _ = press(text.map { Key.character($0) }, &state)
    }

    /// A fixed decision, as the handler would give it.
    static func deniedOutcome() -> LoginOutcome {
        .decided(LoginDecision(
            response: .object([:]),
            denialCategory: .wrongPassword,
            reason: "password does not match",
            checks: [
                LoginCheck(name: "request", outcome: .passed, detail: "serverId, username and protocol present"),
                LoginCheck(name: "secret", outcome: .passed, detail: "SFTP/alice is a JSON object"),
                LoginCheck(name: "password", outcome: .failed, detail: "argon2id hash does not match"),
            ],
            authentication: .password,
            duration: .milliseconds(41)))
    }

    static func allowedOutcome() -> LoginOutcome {
        .decided(LoginDecision(
            response: .object(["Role": .string(role), "HomeDirectory": .string("/bucket/home/alice"), "HomeDirectoryType": .string("PATH")]),
            denialCategory: nil,
            reason: "allowed by password",
            checks: [
                LoginCheck(name: "password", outcome: .passed, detail: "argon2id hash matches"),
                LoginCheck(name: "source ip", outcome: .skipped, detail: "no AcceptedIpNetwork configured"),
            ],
            authentication: .password,
            duration: .milliseconds(38)))
    }
}

import AccessAnalysis
import Foundation
import IdentityModel
import IdentityProvider
import PeerTesting
import SecretStore
import SecretStoreTesting
import TerminalUI
import UserManagement
@testable import Console

/// Drives the console's reducer against a real in-memory store and handler, running each effect to completion
/// before the next event: deterministic, no terminal, no timing.
final class ConsoleDriver {
    var state: ConsoleState
    let store: InMemorySecretStore
    let runner: EffectRunner
    /// Every effect the reducer asked for, in order.
    private(set) var effects: [Effect] = []

    init(store: InMemorySecretStore, size: TerminalSize = TerminalSize(rows: 24, columns: 80), readOnly: Bool = false, serverID: String? = nil, naming: NamingScheme = .sftpPrefix,
         rolePolicies: any RolePolicySource = RolePolicySources([]), listingCache: (any UserOverviewCache)? = nil) {
        self.store = store
        let handler = IdentityProviderHandler(configuration: .init(store: store, namingScheme: naming))
        runner = EffectRunner(directory: UserDirectory(store: store, naming: naming, serverID: serverID), handler: handler, rolePolicies: rolePolicies,
                              listingCache: listingCache, inbox: EventInbox())
        state = ConsoleState(context: ConsoleContext(storeName: store.displayName, naming: naming, serverID: serverID, readOnly: readOnly, themeNames: ["default", "light"],
                                                     argon2: .cheapForTests), size: size, now: Date())
    }

    /// Starts the console (lists and reads every user).
    func start() async {
        await send(.started)
    }

    func send(_ event: ConsoleEvent) async {
        var queue = reduce(state: &state, event: event)
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            effects.append(effect)
            if let result = await runner.perform(effect) {
                queue += reduce(state: &state, event: result)
            }
        }
    }

    func press(_ keys: Key...) async {
        for key in keys { await send(.key(key)) }
    }

    func type(_ text: String) async {
        for character in text { await send(.key(.character(character))) }
    }

    /// The screen as plain text.
    var screen: String {
        var canvas = Canvas(size: state.size)
        render(state, into: &canvas)
        return canvas.text
    }
}

/// Users as JSON secrets, written the way other tools write them.
enum Fixtures {
    static let role = "arn:aws:iam::123456789012:role/sftp-access"

    static func user(role: String? = Fixtures.role, home: String? = nil, extra: [String: String] = [:]) -> String {
        var members: [String] = []
        if let role { members.append("\"Role\": \"\(role)\"") }
        if let home { members.append("\"HomeDirectory\": \"\(home)\"") }
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { members.append("\"\(key)\": \(value)") }
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// A store with a few users, one legacy plain-text password and one broken secret;
    /// `listsVersionIDs`: listings name each secret's current version, as on AWS (where the listing cache applies).
    static func store(listsVersionIDs: Bool = false) async throws -> InMemorySecretStore {
        let store = InMemorySecretStore(displayName: "in-memory test store", listsVersionIDs: listsVersionIDs)
        let context = WriteContext(action: "test.seed", actor: "test")
        _ = try await store.createSecret(name: "SFTP/alice", value: user(home: "/bucket/home/alice", extra: ["Password": "\"legacy-secret\""]), context: context)
        _ = try await store.createSecret(name: "SFTP/bob", value: user(home: "/bucket/home/bob"), context: context)
        _ = try await store.createSecret(name: "SFTP/carol", value: "not json at all", context: context)
        _ = try await store.createSecret(name: "SFTP/dave", value: user(role: nil, home: "/bucket/home/dave"), context: context)
        _ = try await store.createSecret(name: "other/ignored", value: "{}", context: context)
        return store
    }
}

/// A fresh temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sftpidp-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Runs ssh-keygen; a missing ssh-keygen is a failure with a clear message, not a skip.
func generateKey(type: String = "ed25519", comment: String, in directory: TemporaryDirectory) throws -> (publicKeyPath: String, line: String, fingerprint: String) {
    let path = directory.url.appendingPathComponent("key-\(UUID().uuidString.prefix(8))").path
    try runTool("/usr/bin/ssh-keygen", ["-q", "-t", type, "-N", "", "-C", comment, "-f", path])
    let line = try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let fingerprintLine = try runTool("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", path + ".pub"])
    let fingerprint = fingerprintLine.split(separator: " ").dropFirst().first.map(String.init) ?? ""
    return (path + ".pub", line, fingerprint)
}

@discardableResult
func runTool(_ path: String, _ arguments: [String]) throws -> String {
    try ExternalProcess.run(path, arguments)
}

extension Argon2Parameters {
    /// A cheap cost so the suite stays fast; the default cost is tested in the model's own tests.
    static let cheapForTests: Argon2Parameters = (try? Argon2Parameters(memoryKiB: 256, iterations: 1, parallelism: 1)) ?? .default
}

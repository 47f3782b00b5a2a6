import Foundation
import PeerTesting
import Testing

/// The real binary against moto through ``FaultProxy``, which injects throttling, 500/503, connection resets, slow
/// and truncated answers at random. After each faulted command the secret is read straight from moto with the AWS
/// CLI: a command either succeeds and its change is there in full, or fails with a clear message and the secret is
/// wholly the old value or wholly the new one. Replay a run with `SFTPIDP_FAULT_SEED=<the printed seed>`.
@Suite(.motoServer, .serialized) struct FaultInjectionTests {
    static let role = "arn:aws:iam::012345678901:role/AWSTransferAccessRole"
    static let serverID = "s-0123456789abcdef0"

    let moto: MotoServer
    let sandbox: Sandbox
    let proxy: FaultProxy
    let prefix: String

    init() throws {
        moto = try #require(MotoServer.current)
        sandbox = try Sandbox()
        let seed = FaultProxy.seedForThisRun()
        print("FaultInjectionTests: fault seed \(seed) (replay with SFTPIDP_FAULT_SEED=\(seed))")
        proxy = try FaultProxy(upstreamPort: moto.port, directory: sandbox.root.path, seed: seed)
        prefix = "faults\(UUID().uuidString.prefix(8).lowercased())/SFTP/"
    }

    /// `sftpidp ARGUMENTS` on the AWS store through the fault proxy.
    func sftpidp(_ arguments: [String], input: String? = nil) throws -> CommandResult {
        try sandbox.run(arguments + ["--store", "aws", "--naming-scheme", "\(prefix){username}"], input: input, environment: [
            "AWS_ACCESS_KEY_ID": moto.accessKeyID, "AWS_SECRET_ACCESS_KEY": moto.secretAccessKey,
            "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": proxy.endpoint,
        ])
    }

    /// What moto holds under a secret name, read directly (no proxy) with the AWS CLI.
    enum Stored: Equatable, CustomStringConvertible {
        case absent, deleted
        case value(NSDictionary)

        var description: String {
            switch self {
            case .absent: "absent"
            case .deleted: "deleted"
            // Keys only: values may hold hashes.
            case .value(let value): "value with keys \((value.allKeys as? [String] ?? []).sorted())"
            }
        }

        var dictionary: [String: Any] {
            if case .value(let value) = self { return value as? [String: Any] ?? [:] }
            return [:]
        }
    }

    func stored(_ user: String) throws -> Stored {
        let result = try sandbox.runTool("aws", ["secretsmanager", "get-secret-value", "--secret-id", prefix + user,
                                                 // Named: without a stage moto answers its default version, which
                                                 // UpdateSecretVersionStage (a rollback) does not move; AWS answers AWSCURRENT.
                                                 "--version-stage", "AWSCURRENT", "--output", "json"],
                                         environment: moto.cliEnvironment())
        if result.status != 0 {
            if result.stderr.contains("ResourceNotFoundException") { return .absent }
            if result.stderr.contains("marked for deletion") || result.stderr.contains("InvalidRequestException") { return .deleted }
            throw SandboxError("aws get-secret-value failed: \(result.stderr)")
        }
        let envelope = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let string = try #require(envelope["SecretString"] as? String)
        // A half-written secret would not parse: the value must be a whole JSON object.
        let value = try #require(try JSONSerialization.jsonObject(with: Data(string.utf8)) as? NSDictionary, "not a JSON object: a partial write")
        return .value(value)
    }

    /// `before` with `set` applied and `removed` taken out; keys in `changing` take whatever new value `after` has.
    static func expected(from before: Stored, set: [String: Any] = [:], removed: [String] = [], changing: [String] = [], after: Stored) -> Stored {
        var value = before.dictionary
        for (key, new) in set { value[key] = new }
        for key in removed { value[key] = nil }
        for key in changing {
            if let new = after.dictionary[key] as? NSObject, !new.isEqual(before.dictionary[key]) { value[key] = new }
        }
        return .value(value as NSDictionary)
    }

    /// A failed command's output: exit status 1 and a one-line reason starting with `sftpidp:`, no crash, no secret.
    static func expectClearFailure(_ result: CommandResult, secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("sftpidp: "), "\(result)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(result)", sourceLocation: sourceLocation)
        for secret in secrets {
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "a secret leaked into the output", sourceLocation: sourceLocation)
        }
    }

    @Test func everyWriteUnderFaultsLandsWhollyOrFailsClearly() throws {
        try proxy.setFaults(rate: 0.6)
        let user = "faulty"
        let key = try generatePublicKey()
        // Each step: the command, its input, and the value it leaves when it lands in full (from the one before).
        typealias Step = (arguments: [String], input: String?, landed: (Stored) -> Stored, secrets: [String])
        var history: [Stored] = []
        let steps: [Step] = [
            (["users", "create", user, "--role", Self.role, "--home", "/bucket/faulty", "--password-stdin"], "Faulty-pw-1", { _ in .absent }, ["Faulty-pw-1"]),
            (["users", "update", user, "--comment", "first"], nil, { Self.expected(from: $0, set: ["sftpidp:Comment": "first"], after: $0) }, []),
            (["users", "update", user, "--home", "/bucket/faulty/v2"], nil, { Self.expected(from: $0, set: ["HomeDirectory": "/bucket/faulty/v2"], after: $0) }, []),
            (["users", "update", user, "--network", "10.0.0.0/8", "--network", "2001:db8::/32"], nil, { Self.expected(from: $0, set: ["AcceptedIpNetwork": "10.0.0.0/8,2001:db8::/32"], after: $0) }, []),
            (["users", "update", user, "--set", "CostCentre=42"], nil, { Self.expected(from: $0, set: ["CostCentre": "42"], after: $0) }, []),
            (["users", "update", user, "--password-stdin"], "Faulty-pw-2", { $0 }, ["Faulty-pw-2"]),
            (["users", "update", user, "--public-key", key], nil, { Self.expected(from: $0, set: ["PublicKey": key], after: $0) }, []),
            (["users", "update", user, "--disable"], nil, { $0 }, []),
            (["users", "update", user, "--enable"], nil, { Self.expected(from: $0, removed: ["sftpidp:Disabled"], after: $0) }, []),
            (["users", "update", user, "--unset", "CostCentre", "--comment", "second"], nil, { Self.expected(from: $0, set: ["sftpidp:Comment": "second"], removed: ["CostCentre"], after: $0) }, []),
            (["users", "rollback", user], nil, { _ in history.dropLast().last ?? .absent }, []),
            (["users", "delete", user], nil, { _ in .deleted }, []),
            (["users", "restore", user], nil, { _ in history.last(where: { if case .value = $0 { true } else { false } }) ?? .absent }, []),
        ]
        var failures = 0
        for (number, step) in steps.enumerated() {
            let before = try stored(user)
            let result = try sftpidp(step.arguments, input: step.input)
            let after = try stored(user)
            let landed = try landedValue(step: number, arguments: step.arguments, before: before, after: after, rule: step.landed)
            if result.status == 0 {
                #expect(after == landed, "step \(number) \(step.arguments) succeeded but moto holds \(after), expected \(landed)")
            } else {
                failures += 1
                Self.expectClearFailure(result, secrets: step.secrets)
                #expect(after == before || after == landed, "step \(number) \(step.arguments) failed and left \(after): neither the old \(before) nor the new \(landed)")
                if after == before {
                    // Not applied: apply it without faults, so the next step starts from its new value.
                    try proxy.setFaults(rate: 0)
                    let retry = try sftpidp(step.arguments, input: step.input)
                    #expect(retry.status == 0, "step \(number) without faults: \(retry)")
                    try proxy.setFaults(rate: 0.6)
                }
            }
            history.append(try stored(user))
        }
        let injected = proxy.injected()
        print("FaultInjectionTests: \(steps.count) commands, \(failures) failed under faults; requests by fault: \(injected.sorted { $0.key < $1.key })")
        #expect(injected.filter { $0.key != "none" }.values.reduce(0, +) > 0, "the proxy injected no fault")
        // The user ends intact: every field readable, and it logs in with the last password.
        try proxy.setFaults(rate: 0)
        let login = try sftpidp(["test-login", "--server-id", Self.serverID, "--user-name", user, "--password-stdin", "--source-ip", "10.1.2.3"], input: "Faulty-pw-2")
        #expect(login.status == 0, "\(login)")
    }

    /// The value a step leaves when it lands: from the rule, except where the new value is random (a password hash,
    /// `sftpidp:Disabled` spelt as a boolean or a string), which is taken from `after` when it changed as it should.
    private func landedValue(step: Int, arguments: [String], before: Stored, after: Stored, rule: (Stored) -> Stored) throws -> Stored {
        if arguments[1] == "create" {
            // Landed: the role, the home and a password hash, whatever else create writes.
            let value = after.dictionary
            let landed = value["Role"] as? String == Self.role && value["HomeDirectory"] as? String == "/bucket/faulty"
                && (value["PasswordHash"] as? String)?.hasPrefix("$argon2id$") == true
            return landed ? after : .value(["<created>": "role, home and password hash"])
        }
        if arguments.contains("--password-stdin") {
            let hash = after.dictionary["PasswordHash"] as? String ?? ""
            let isNewHash = hash.hasPrefix("$argon2id$") && hash != before.dictionary["PasswordHash"] as? String
            return Self.expected(from: before, set: ["PasswordHash": isNewHash ? hash : "<a new argon2id hash>"], removed: ["Password"], after: after)
        }
        if arguments.contains("--disable") {
            let flag = after.dictionary["sftpidp:Disabled"]
            let isDisabled = (flag as? Bool) == true || (flag as? String)?.lowercased() == "true"
            return Self.expected(from: before, set: ["sftpidp:Disabled": isDisabled ? flag! : "<disabled>"], after: after)
        }
        return rule(before)
    }

    @Test func storeCopyRerunUnderFaultsCompletes() throws {
        let embedded = sandbox.path("source.db")
        let scheme = ["--naming-scheme", "\(prefix){username}"]
        let users = (0..<12).map { String(format: "copied%02d", $0) }
        for user in users {
            let created = try sandbox.run(["users", "create", user, "--role", Self.role, "--home", "/bucket/\(user)", "--comment", "copy \(user)", "--store", embedded] + scheme)
            #expect(created.status == 0, "\(created)")
        }
        var runs: [CommandResult] = []
        var seen: [String: Stored] = [:]
        repeat {
            // Heavy faults first (most calls fail even after the client's retries), then lighter ones.
            try proxy.setFaults(rate: max(0.8 - 0.15 * Double(runs.count), 0.1))
            let run = try sftpidp(["store", "copy", "--from", embedded, "--to", "aws"])
            runs.append(run)
            if run.status != 0 {
                // The summary on standard output names each user that failed, and why (or the failed listing).
                #expect(run.status == 1, "\(run)")
                #expect(run.stdout.contains("copy failed: listing") || run.stdout.split(separator: "\n").contains { $0.hasPrefix("failed \(prefix)copied") }, "\(run)")
                #expect(!run.stderr.contains("Fatal error"), "\(run)")
            }
            // Whatever is in moto between runs is a whole copy; it is compared with the final copy below.
            for user in users {
                let value = try stored(user)
                #expect(value != .deleted)
                if value != .absent { seen[user] = value }
            }
        } while runs.last?.status != 0 && runs.count < 8
        #expect(runs.last?.status == 0, "store copy did not complete in \(runs.count) runs under faults: \(runs.last.map(String.init(describing:)) ?? "")")

        try proxy.setFaults(rate: 0)
        let check = try sftpidp(["store", "copy", "--from", embedded, "--to", "aws"])
        #expect(check.status == 0 && check.stdout.contains("created 0") && check.stdout.contains("unchanged \(users.count)"), "\(check)")
        for user in users {
            let final = try stored(user)
            #expect(final.dictionary["HomeDirectory"] as? String == "/bucket/\(user)")
            #expect(final.dictionary["sftpidp:Comment"] as? String == "copy \(user)")
            if let earlier = seen[user] { #expect(earlier == final, "\(user): an intermediate copy differed from the final one") }
        }
        print("FaultInjectionTests: store copy completed after \(runs.count) run(s) under faults; requests by fault: \(proxy.injected().sorted { $0.key < $1.key })")
    }

    @Test func aLoginDuringAStoreFailureIsNeverAllowed() throws {
        let key = try generatePublicKey()
        #expect(try sftpidp(["users", "create", "gate", "--role", Self.role, "--home", "/bucket/gate", "--password-stdin", "--public-key", key], input: "Gate-pw-1").status == 0)
        let serve = try ServeProcess(sandbox: sandbox, arguments: [
            "--insecure-no-auth", "--cache-ttl", "0", "--max-failures-per-user", "0", "--max-failures-per-ip", "0",
            "--store", "aws", "--naming-scheme", "\(prefix){username}", "--endpoint-url", proxy.endpoint, "--region", "us-east-1",
        ], environment: ["AWS_ACCESS_KEY_ID": moto.accessKeyID, "AWS_SECRET_ACCESS_KEY": moto.secretAccessKey])
        defer { _ = serve.stop() }
        let url = "\(serve.baseURL)/servers/\(Self.serverID)/users/gate/config?protocol=SFTP&sourceIp=10.1.2.3"
        let right = ["-H", "Password: Gate-pw-1", url], wrong = ["-H", "Password: Gate-pw-0", url], byKey = [url]

        // Every call fails: never an allow, always a 500 with an error body.
        try proxy.setFaults(rate: 1, kinds: FaultProxy.Fault.failures)
        for arguments in [right, wrong, byKey] {
            let answer = try sandbox.curl(arguments)
            #expect(answer.status == 500, "\(answer)")
            #expect(answer.object["error"] != nil && answer.object["Role"] == nil && answer.object["PublicKeys"] == nil, "\(answer)")
            #expect(!answer.body.contains("Gate-pw"))
        }
        let testLogin = try sftpidp(["test-login", "--server-id", Self.serverID, "--user-name", "gate", "--password-stdin"], input: "Gate-pw-1")
        #expect(testLogin.status != 0 && !testLogin.stdout.contains(Self.role), "\(testLogin)")

        // Half the calls fail: each answer is the right one or a 500, never an allow for a wrong password.
        try proxy.setFaults(rate: 0.5)
        var statuses: [Int: Int] = [:]
        for round in 0..<8 {
            let answers = [(try sandbox.curl(right), true), (try sandbox.curl(wrong), false), (try sandbox.curl(byKey), true)]
            for (answer, allowed) in answers {
                statuses[answer.status, default: 0] += 1
                #expect(answer.status == 200 || answer.status == 500, "round \(round): \(answer)")
                if answer.status == 200 {
                    #expect((answer.object["Role"] as? String == Self.role) == allowed, "round \(round): \(answer)")
                    if !allowed { #expect(answer.body.trimmingCharacters(in: .whitespacesAndNewlines) == "{}", "\(answer)") }
                }
            }
        }
        #expect(serve.process.isRunning)
        print("FaultInjectionTests: serve answers under faults by status: \(statuses.sorted { $0.key < $1.key })")
        try proxy.setFaults(rate: 0)
        #expect(try sandbox.curl(right).object["Role"] as? String == Self.role)
    }

    @Test func aConsoleSaveDuringAStoreFailureFailsClearlyAndWritesNothing() throws {
        #expect(try sftpidp(["users", "create", "kim", "--role", Self.role, "--home", "/bucket/kim"]).status == 0)
        let before = try stored("kim")
        let console = try TmuxSession(sandbox: sandbox, environment: [
            "AWS_ACCESS_KEY_ID": moto.accessKeyID, "AWS_SECRET_ACCESS_KEY": moto.secretAccessKey,
            "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": proxy.endpoint,
        ])
        defer { console.close() }
        try console.shell("sftpidp --store aws --naming-scheme '\(prefix){username}'")
        try console.waitFor("1 user")
        // The list shows names first and reads each secret after; until kim's is read, e answers "not loaded yet".
        var editing = false
        for _ in 0..<30 where !editing {
            try console.keys("e")
            editing = (try? console.waitFor("Edit kim", tries: 10)) != nil
        }
        try console.waitFor("Edit kim")
        try console.keys("C-u")
        try console.type("arn:aws:iam::012345678901:role/Uploaders")

        // Every call fails: the save reports it, and moto still holds the old value.
        try proxy.setFaults(rate: 1, kinds: FaultProxy.Fault.failures)
        try console.keys("F2")
        let pane = try console.waitFor("Saving kim failed", tries: 300)
        #expect(!pane.contains("Saved kim"))
        #expect(try stored("kim") == before)

        // The store is back: the kept edit saves.
        try proxy.setFaults(rate: 0)
        try console.keys("F2")
        try console.waitFor("Saved kim", tries: 300)
        #expect(try stored("kim").dictionary["Role"] as? String == "arn:aws:iam::012345678901:role/Uploaders")
        try console.keys("q")
    }

    /// The real console over the proxy, counting its calls: 21 users cost 2 value calls to read, a reopen lists and
    /// reads only the selected user (1); a user changed by another tool is read with the listing and shows its new role.
    @Test func aReopenedConsoleReadsOnlyWhatChangedThroughTheListingCache() throws {
        for user in ["kim", "lee"] + (1...19).map({ String(format: "u%02d", $0) }) {
            #expect(try sftpidp(["users", "create", user, "--role", Self.role, "--home", "/bucket/\(user)"]).status == 0)
        }
        /// Opens the console, waits until the list and the selected user (kim, in the detail pane) are loaded, quits:
        /// the calls it made, and the screen.
        func openConsole() throws -> (calls: [String: Int], screen: String) {
            let before = proxy.requests()
            let console = try TmuxSession(sandbox: sandbox, columns: 130, rows: 30, environment: [
                "AWS_ACCESS_KEY_ID": moto.accessKeyID, "AWS_SECRET_ACCESS_KEY": moto.secretAccessKey,
                "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": proxy.endpoint,
            ])
            defer { console.close() }
            try console.shell("sftpidp --store aws --naming-scheme '\(prefix){username}'")
            try console.waitFor("21 users loaded")
            let screen = try console.waitFor("Version")
            try console.keys("q")
            // The console's screen goes when it has ended (after its last cache write).
            try console.waitForAbsence("21 users loaded")
            return (proxy.requests().merging(before) { $0 - $1 }.filter { $0.value != 0 }, screen)
        }
        #expect(try openConsole().calls == ["ListSecrets": 1, "BatchGetSecretValue": 2])
        #expect(try openConsole().calls == ["ListSecrets": 1, "BatchGetSecretValue": 1])
        let put = try sandbox.runTool("aws", ["secretsmanager", "put-secret-value", "--secret-id", prefix + "lee", "--secret-string",
                                              #"{"Role":"arn:aws:iam::012345678901:role/Changed","HomeDirectory":"/bucket/lee"}"#],
                                      environment: moto.cliEnvironment())
        #expect(put.status == 0)
        let afterChange = try openConsole()
        #expect(afterChange.calls == ["ListSecrets": 1, "BatchGetSecretValue": 2])
        #expect(afterChange.screen.contains("Changed"), "\(afterChange.screen)")
    }

    private func generatePublicKey() throws -> String {
        let path = sandbox.path("id-\(UUID().uuidString.prefix(6))")
        try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "faults@test", "-f", path])
        return try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

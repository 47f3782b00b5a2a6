import Foundation
import IdentityModel
import IdentityProvider
import SecretStore
import TerminalUI
import UserManagement

/// The guided onboarding of a new SFTP user: name → authentication → role → home → networks → review → create,
/// test the login, and a summary to read out or copy.
struct WizardState: Sendable, Hashable {
    enum Step: Int, Sendable, Hashable, CaseIterable {
        case name, authentication, role, home, networks, review, result

        var title: String {
            switch self {
            case .name: "Name"
            case .authentication: "Auth"
            case .role: "Role"
            case .home: "Home"
            case .networks: "Networks"
            case .review: "Review"
            case .result: "Done"
            }
        }
    }

    var step: Step = .name
    var name = Form([.text("name", "User name", hint: "3-100 characters: letters, digits, _ @ . -")])
    var authentication = Form([
        .choice("password", "Password", options: ["generate", "type one", "none"], hint: "generate: a strong password shown once at the end"),
        .text("typed", "Password", hint: "only for \"type one\"", masked: true),
        .text("repeat", "Repeat it", masked: true),
        .text("key", "Add a key", hint: "paste a key line or a .pub path, Enter adds it"),
    ])
    var keys: [SSHPublicKey] = []
    var keyError: String?
    var role: Form
    var home: Form
    /// Home fields hidden by the PATH/LOGICAL switch, so switching back loses nothing.
    var homeStash: [String: String]
    var networks = Form([.text("networks", "Networks", hint: "optional: 203.0.113.0/24, 2001:db8::/32 (empty: any address)")])
    var reviewErrors: [String] = []
    /// The password chosen or generated: kept only until the wizard closes, for the test and the summary.
    var password: SecretText?
    var isCreating = false
    var created: SecretValue?
    var isTesting = false
    var testReport: TestLoginReport?

    init(suggestedRole: String, suggestedHome: String) {
        role = Form([.text("role", "Role ARN", suggestedRole, hint: "arn:aws:iam::123456789012:role/sftp-access")])
        home = Form(Form.homeFields(for: .path(suggestedHome), pathHint: Self.homePathHint))
        homeStash = ["entry0": "/", "target0": suggestedHome]
    }

    static let homePathHint = "/bucket/home/name (empty: bucket root)"

    var username: String { name["name"].trimmingCharacters(in: .whitespaces) }
    var hasProgress: Bool { !username.isEmpty && created == nil }

    var passwordChoice: String { authentication["password"] }

    /// A suggested home ending in "/" gets the user name appended, in the path field and in the first LOGICAL target.
    mutating func completeSuggestedHome() {
        if home["home"].hasSuffix("/") { home.set("home", home["home"] + username) }
        if home["target0"].hasSuffix("/") { home.set("target0", home["target0"] + username) }
        if let target = homeStash["target0"], target.hasSuffix("/") { homeStash["target0"] = target + username }
    }

    mutating func paste(_ text: String) {
        switch step {
        case .name: name.paste(text)
        case .authentication:
            if authentication.focusedID == "key" {
                keyError = nil
                authentication.set("key", text.trimmingCharacters(in: .whitespacesAndNewlines))
            } else {
                authentication.paste(text)
            }
        case .role: role.paste(text)
        case .home: home.paste(text)
        case .networks: networks.paste(text)
        case .review, .result: break
        }
    }

    /// The edits that create the new user (the password hash is added at creation), or why they cannot be made.
    func edits(passwordHash: String?) -> Result<[UserEdit], UserEditError> {
        var edits: [UserEdit] = [.setRole(role["role"].trimmingCharacters(in: .whitespaces)), .setHome(home.homeDirectory)]
        if !keys.isEmpty { edits.append(.addKeys(keys)) }
        do { edits.append(.setNetworks(try EditInput.networks(networks["networks"]))) } catch { return .failure(UserEditError([error])) }
        if let passwordHash { edits.append(.setPassword(hash: passwordHash)) }
        return .success(edits)
    }

    /// What stops the user from being created, by the rules `users create` follows; empty when nothing does.
    var problems: [String] {
        do {
            _ = try edits(passwordHash: nil).get().applied(to: SFTPUser(secret: UserSecret()))
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }
}

/// How many users (the first in the list) the wizard's suggestions are drawn from: enough to find the common role
/// and home pattern, few enough that opening the wizard stays instant at 100,000 users.
let wizardSuggestionSample = 2_000

/// The role most users already have, and a home following the most common pattern, as suggestions (from the list's
/// columns, so users summarised by the listing cache count too).
func wizardSuggestions(_ state: ConsoleState) -> (role: String, home: String) {
    var roles: [String: Int] = [:]
    var homePatterns: [String: Int] = [:]
    for record in state.list.records.prefix(wizardSuggestionSample) {
        if let role = record.summary.roleARN { roles[role, default: 0] += 1 }
        if let path = record.summary.homePath, path.hasSuffix("/" + record.username) {
            homePatterns[String(path.dropLast(record.username.count)), default: 0] += 1
        }
    }
    let role = roles.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? ""
    let home = homePatterns.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? ""
    return (role, home)
}

func openWizard(state: inout ConsoleState) {
    let suggestions = wizardSuggestions(state)
    state.push(.wizard(WizardState(suggestedRole: suggestions.role, suggestedHome: suggestions.home)))
}

func handleWizardKey(_ key: Key, wizard: WizardState, state: inout ConsoleState) -> [Effect] {
    var wizard = wizard
    if wizard.isCreating || wizard.isTesting || state.operations.values.contains(where: { $0.purpose == .readKeyFile }) { return [] }
    if key == .escape && wizard.step != .result {
        if wizard.step == .name {
            state.popModal()
        } else {
            wizard.step = WizardState.Step(rawValue: wizard.step.rawValue - 1) ?? .name
            state.replaceTop(.wizard(wizard))
        }
        return []
    }
    var effects: [Effect] = []
    switch wizard.step {
    case .name:
        if wizard.name.handle(key) == .submit {
            let name = wizard.username
            if let error = Validation.userName(name, transferProtocol: .sftp) {
                wizard.name.setError("name", "\(error)")
            } else if state.list.record(named: name) != nil {
                wizard.name.setError("name", "a user named \(name) already exists")
            } else if let secretName = try? state.context.naming.secretName(forUser: name, serverID: state.context.serverID), let error = Validation.secretName(secretName) {
                wizard.name.setError("name", "\(error)")
            } else {
                wizard.step = .authentication
            }
        }
    case .authentication:
        if key == .enter, wizard.authentication.focusedID == "key", !wizard.authentication["key"].trimmingCharacters(in: .whitespaces).isEmpty {
            let text = wizard.authentication["key"].trimmingCharacters(in: .whitespaces)
            if looksLikePath(text) {
                state.replaceTop(.wizard(wizard))
                let id = state.startOperation(.readKeyFile, label: "Reading \(text)")
                return [.readKeyFile(id, path: text)]
            }
            state.replaceTop(.wizard(wizard))
            wizardKeysArrived(text, screen: state.topScreenID, state: &state)
            return []
        }
        if key == .control("d"), !wizard.keys.isEmpty {
            wizard.keys.removeLast()
        } else if wizard.authentication.handle(key) == .submit || (key == .enter && wizard.authentication.focusedID == "key") {
            wizard.authentication.clearErrors()
            let choice = wizard.passwordChoice
            if choice == "type one" {
                let typed = wizard.authentication["typed"]
                if let error = passwordError(typed) {
                    wizard.authentication.setError("typed", error)
                } else if typed != wizard.authentication["repeat"] {
                    wizard.authentication.setError("repeat", "the two passwords differ")
                }
            }
            if choice == "none" && wizard.keys.isEmpty {
                wizard.authentication.setError("password", "choose a password or add at least one public key: otherwise nobody can log in")
            }
            if !wizard.authentication.fields.contains(where: { $0.error != nil }) {
                wizard.step = .role
            }
        }
    case .role:
        if wizard.role.handle(key) == .submit {
            let role = wizard.role["role"].trimmingCharacters(in: .whitespaces)
            if let error = Validation.roleARN(role) {
                wizard.role.setError("role", "\(error)")
            } else {
                wizard.step = .home
                wizard.completeSuggestedHome()
            }
        }
    case .home:
        if key == .control("n") || key == .function(3) {
            wizard.home.addHomeMappingRow()
        } else if key == .control("d"), wizard.home.isOnHomeMappingRow {
            wizard.home.removeHomeMappingRow()
        } else if wizard.home.handle(key) == .submit {
            wizard.home.clearErrors()
            let error: FieldError? = switch wizard.home.homeDirectory {
            case .logical(let mappings): Validation.homeMappings(mappings)
            case .path(let path): path.flatMap { Validation.homeDirectory($0) }
            }
            if let error {
                let id = Form.homeFieldID(forErrorField: error.field) ?? "home"
                wizard.home.setError(id, "\(error)")
                wizard.home.focus(on: id)
            } else {
                wizard.step = .networks
            }
        } else {
            wizard.home.syncHomeFields(stash: &wizard.homeStash, pathHint: WizardState.homePathHint)
        }
    case .networks:
        if wizard.networks.handle(key) == .submit {
            do { _ = try EditInput.networks(wizard.networks["networks"]) } catch {
                wizard.networks.setError("networks", error.description)
                break
            }
            wizard.step = .review
            wizard.reviewErrors = wizard.problems
        }
    case .review:
        if key == .enter || key == .control("s") || key == .function(2) {
            guard wizard.reviewErrors.isEmpty else { return [] }
            wizard.isCreating = true
            switch wizard.passwordChoice {
            case "generate":
                let id = state.startOperation(.generatePassword, label: "Generating and hashing a password")
                effects = [.generatePassword(id, cost: state.context.argon2)]
            case "type one":
                let password = SecretText(wizard.authentication["typed"])
                wizard.password = password
                wizard.authentication.set("typed", "")
                wizard.authentication.set("repeat", "")
                let id = state.startOperation(.hashPassword, label: "Hashing the password (argon2id)")
                effects = [.hashPassword(id, password, cost: state.context.argon2)]
            default:
                state.replaceTop(.wizard(wizard))
                return createWizardUser(hash: nil, continuing: nil, state: &state)
            }
        }
    case .result:
        switch key {
        case .character("t"):
            state.replaceTop(.wizard(wizard))
            return startWizardTest(continuing: nil, state: &state)
        case .enter, .escape, .character("q"):
            if let created = wizard.created, let username = state.context.naming.username(fromSecretName: created.name, serverID: state.context.serverID) {
                state.list.select(username: username)
                state.list.scrollToSelection(height: listHeight(state))
            }
            state.popModal()
            return []
        default:
            break
        }
    }
    state.replaceTop(.wizard(wizard))
    return effects
}

/// Key lines arrived for the wizard `screen`: it adds each new one, or shows why the text is not a key.
func wizardKeysArrived(_ text: String, screen: ScreenID?, state: inout ConsoleState) {
    guard case .wizard(var wizard)? = state.screen(screen) else { return }
    do {
        for key in try EditInput.publicKeys(text) where !wizard.keys.contains(where: { $0.fingerprint == key.fingerprint }) {
            wizard.keys.append(key)
        }
        wizard.keyError = nil
        wizard.authentication.set("key", "")
    } catch {
        wizard.keyError = error.description
    }
    state.replaceScreen(screen, with: .wizard(wizard))
}

/// Creates the wizard's user: the wizard on top, or the one that asked for `previous` (the password hash).
private func createWizardUser(hash: String?, continuing previous: Operation?, state: inout ConsoleState) -> [Effect] {
    let screen = state.screenAsking(continuing: previous)
    guard case .wizard(var wizard)? = state.screen(screen) else { return [] }
    switch wizard.edits(passwordHash: hash) {
    case .failure(let error):
        wizard.isCreating = false
        wizard.reviewErrors = error.errors.map(\.description)
        state.replaceScreen(screen, with: .wizard(wizard))
        return []
    case .success(let edits):
        wizard.isCreating = true
        state.replaceScreen(screen, with: .wizard(wizard))
        let id = state.startOperation(.createUser, label: "Creating \(wizard.username)", subject: wizard.username, continuing: previous)
        return [.createUser(id, username: wizard.username, edits: edits, action: "console.onboard")]
    }
}

extension WizardState {
    /// The password hash is ready: this wizard creates the user with it.
    func create(hash: String, generated: SecretText?, continuing operation: Operation, state: inout ConsoleState) -> [Effect] {
        var wizard = self
        if let generated { wizard.password = generated }
        state.replaceScreen(operation.origin, with: .wizard(wizard))
        return createWizardUser(hash: hash, continuing: operation, state: &state)
    }

    /// The user was created: this wizard shows the result and tests the login.
    func created(_ value: SecretValue, by operation: Operation, state: inout ConsoleState) -> [Effect] {
        var wizard = self
        wizard.isCreating = false
        wizard.created = value
        wizard.step = .result
        state.replaceScreen(operation.origin, with: .wizard(wizard))
        state.show("Created \(username)", .success)
        return startWizardTest(continuing: operation, state: &state)
    }

    /// `operation` failed (`failure` says why) or was cancelled (nil): the key field shows a key file's error, a
    /// test stops, and a hash or create lets the user try again.
    func notFinished(_ operation: Operation, failure: String?, state: inout ConsoleState) {
        var wizard = self
        switch operation.purpose {
        case .readKeyFile:
            if let failure { wizard.keyError = failure }
        case .testLogin:
            wizard.isTesting = false
        default:
            wizard.isCreating = false
            if wizard.passwordChoice == "generate" { wizard.password = nil }
            if let failure { state.showFailure(of: operation, failure) }
        }
        state.replaceScreen(operation.origin, with: .wizard(wizard))
    }
}

/// Tests the new login the way the user will log in: with the password when there is one, else by key.
private func startWizardTest(continuing previous: Operation?, state: inout ConsoleState) -> [Effect] {
    let screen = state.screenAsking(continuing: previous)
    guard case .wizard(var wizard)? = state.screen(screen) else { return [] }
    wizard.isTesting = true
    wizard.testReport = nil
    state.replaceScreen(screen, with: .wizard(wizard))
    let request = LoginRequest(serverID: state.context.serverID ?? placeholderServerID, username: wizard.username, password: wizard.password?.value, protocolName: "SFTP", sourceIP: wizardTestSourceIP(wizard))
    let id = state.startOperation(.testLogin, label: "Testing the login of \(wizard.username)", subject: wizard.username, continuing: previous)
    return [.testLogin(id, request)]
}

/// A source address inside the user's networks (their first address), or a documentation address when any is allowed.
private func wizardTestSourceIP(_ wizard: WizardState) -> String {
    let text = wizard.networks["networks"].trimmingCharacters(in: .whitespaces)
    guard let first = try? IPNetwork.parseList(text).first else { return "192.0.2.10" }
    return first.address.description
}

func renderWizard(_ wizard: WizardState, state: ConsoleState, into canvas: inout Canvas) {
    let frame = renderScreenFrame(title: "Onboard a new SFTP user", state: state, into: &canvas)
    var column = frame.left
    for step in WizardState.Step.allCases {
        let role: StyleRole = step == wizard.step ? .buttonFocused : (step.rawValue < wizard.step.rawValue ? .success : .dim)
        column = canvas.put(" \(step.rawValue + 1) \(step.title) ", row: frame.top, column: column, role: role)
        if step != .result { column = canvas.put("›", row: frame.top, column: column, role: .dim) }
    }
    let top = frame.top + 2
    let height = frame.height - 2
    var keys: [(String, String)] = [("Tab", "field"), ("Enter", "next"), ("Esc", "back")]
    switch wizard.step {
    case .name:
        explain("The name the person types to log in. It is also the last part of the secret name (\(state.context.naming)).", top: top, frame: frame, into: &canvas)
        wizard.name.render(into: &canvas, top: top + 2, left: frame.left, width: frame.width, height: 3)
    case .authentication:
        explain("How they prove who they are: a password, public keys, or both. A generated password is shown once at the end.", top: top, frame: frame, into: &canvas)
        wizard.authentication.render(into: &canvas, top: top + 2, left: frame.left, width: frame.width, height: 8)
        var row = top + 10
        canvas.put(wizard.keys.isEmpty ? "No keys yet." : "Keys:", row: row, column: frame.left, role: .label)
        for key in wizard.keys.suffix(max(1, height - 13)) {
            row += 1
            canvas.put("  \(key.keyTypeLabel) \(key.bits) \(key.fingerprint) \(key.comment ?? "")", row: row, column: frame.left, role: .value, maxWidth: frame.width)
        }
        if let error = wizard.keyError {
            canvas.put("✗ \(error)", row: row + 1, column: frame.left, role: .error, maxWidth: frame.width)
        }
        keys = [("Tab", "field"), ("Space", "choice"), ("Enter", "add key / next"), ("Ctrl-D", "drop last key"), ("Esc", "back")]
    case .role:
        explain("The IAM role the SFTP service assumes for this user: it decides which buckets they reach. Pre-filled with the role most users here have.", top: top, frame: frame, into: &canvas)
        wizard.role.render(into: &canvas, top: top + 3, left: frame.left, width: frame.width, height: 3)
    case .home:
        explain("Where they land. PATH: a folder they can leave; LOGICAL: each Entry they see is mapped to a Target, and they cannot go above them.", top: top, frame: frame, into: &canvas)
        wizard.home.render(into: &canvas, top: top + 3, left: frame.left, width: frame.width, height: max(3, height - 3))
        if wizard.home.isLogicalHome { keys = [("Tab", "field"), ("Enter", "next"), ("Ctrl-N", "add row"), ("Ctrl-D", "remove row"), ("Esc", "back")] }
    case .networks:
        explain("Optional: only allow logins from these networks (IPv4 and IPv6 CIDRs). Empty allows any address.", top: top, frame: frame, into: &canvas)
        wizard.networks.render(into: &canvas, top: top + 2, left: frame.left, width: frame.width, height: 3)
    case .review:
        var lines = reviewLines(wizard)
        if wizard.isCreating { lines.append(("", "\(spinner(state)) creating…", .info)) }
        for error in wizard.reviewErrors { lines.append(("✗", error, .error)) }
        if wizard.reviewErrors.isEmpty && !wizard.isCreating { lines.append(("", "Enter creates the user and tests the login.", .success)) }
        renderLabelled(lines, top: top, frame: frame, into: &canvas)
        keys = [("Enter", "create"), ("Esc", "back")]
    case .result:
        renderWizardResult(wizard, state: state, top: top, frame: frame, into: &canvas)
        keys = [("t", "test again"), ("Enter", "finish"), ("Esc", "finish")]
    }
    renderStatusLine(state, into: &canvas)
    renderKeyBar(keys, state: state, into: &canvas)
}

private func explain(_ text: String, top: Int, frame: (top: Int, left: Int, height: Int, width: Int), into canvas: inout Canvas) {
    for (offset, line) in wrapped(text, width: frame.width).prefix(2).enumerated() {
        canvas.put(line, row: top + offset, column: frame.left, role: .dim, maxWidth: frame.width)
    }
}

private func reviewLines(_ wizard: WizardState) -> [(String, String, StyleRole)] {
    var lines: [(String, String, StyleRole)] = [("User", wizard.username, .title)]
    let password = switch wizard.passwordChoice {
    case "generate": "a generated password (shown once at the end)"
    case "type one": "the password you typed (stored as an argon2id hash)"
    default: "none"
    }
    lines.append(("Password", password, .value))
    lines.append(("Keys", wizard.keys.isEmpty ? "none" : wizard.keys.map { "\($0.keyTypeLabel) \($0.fingerprint)" }.joined(separator: ", "), .value))
    lines.append(("Role", wizard.role["role"], .value))
    switch wizard.home.homeDirectory {
    case .logical(let mappings):
        lines.append(("Home", "LOGICAL, \(mappings.count) \(mappings.count == 1 ? "entry" : "entries"): Entry → Target", .value))
        lines += mappings.map { ("", "\($0.entry) → \($0.target)", .value) }
    case .path(let path):
        lines.append(("Home", path.map { "PATH \($0)" } ?? "PATH / (bucket root)", .value))
    }
    lines.append(("Networks", wizard.networks["networks"].isEmpty ? "any address" : wizard.networks["networks"], .value))
    return lines
}

private func renderLabelled(_ lines: [(String, String, StyleRole)], top: Int, frame: (top: Int, left: Int, height: Int, width: Int), into canvas: inout Canvas) {
    var row = top
    for (label, value, role) in lines where row < frame.top + frame.height {
        canvas.put(label, row: row, column: frame.left, role: .label, maxWidth: 12)
        for part in wrapped(value, width: frame.width - 13) where row < frame.top + frame.height {
            canvas.put(part, row: row, column: frame.left + 13, role: role, maxWidth: frame.width - 13)
            row += 1
        }
    }
}

/// The test verdict and the summary to read out or copy: user name, host placeholder, what to do next.
private func renderWizardResult(_ wizard: WizardState, state: ConsoleState, top: Int, frame: (top: Int, left: Int, height: Int, width: Int), into canvas: inout Canvas) {
    let host = "<server-id>.server.transfer.<region>.amazonaws.com"
    var lines: [(String, String, StyleRole)] = []
    if wizard.isTesting {
        lines.append(("Test", "\(spinner(state)) testing the login…", .info))
    } else if let report = wizard.testReport {
        let reason = report.explanation?.reason ?? report.message
        lines.append(("Test", report.isAllowed ? "✔ login allowed: \(reason)" : "✘ login denied: \(reason)", report.isAllowed ? .success : .error))
    }
    lines.append(("", "— Tell \(wizard.username): —", .title))
    lines.append(("User name", wizard.username, .value))
    lines.append(("Host", "\(host) (your server's endpoint)", .value))
    if let password = wizard.password {
        lines.append(("Password", password.value, .badge))
        lines.append(("", "Shown only now. Pass it on safely (phone, password manager), not with the user name.", .warning))
    }
    var steps: [String] = []
    if !wizard.keys.isEmpty {
        steps.append("connect with: sftp -i <private key of \(wizard.keys[0].fingerprint.prefix(19))…> \(wizard.username)@<host>")
    }
    if wizard.password != nil {
        steps.append("connect with: sftp \(wizard.username)@<host> and enter the password" + (wizard.passwordChoice == "generate" ? ", then keep it in a password manager" : ""))
    }
    if !wizard.networks["networks"].isEmpty { steps.append("connect from \(wizard.networks["networks"]) only") }
    switch wizard.home.homeDirectory {
    case .logical(let mappings):
        steps.append("they see " + mappings.map(\.entry).joined(separator: ", ") + " and nothing above")
    case .path(let path):
        steps.append("files land in \(path ?? "/")")
    }
    for (index, text) in steps.enumerated() {
        lines.append((index == 0 ? "Next" : "", "\(index + 1). \(text)", .value))
    }
    if wizard.testReport?.isAllowed == true, let access = state.access, !access.onDemand, access.username == wizard.username {
        lines += accessSummaryRows(access, state: state).map { ($0.label, $0.value, $0.role) }
    }
    renderLabelled(lines, top: top, frame: frame, into: &canvas)
}

extension WizardState: ConsoleScreen {
    func handleKey(_ key: Key, state: inout ConsoleState) -> [Effect] { handleWizardKey(key, wizard: self, state: &state) }
    func handle(_ result: ConsoleEvent, of operation: Operation, state: inout ConsoleState) -> [Effect] {
        switch result {
        case .keyFileRead(_, let text):
            wizardKeysArrived(text, screen: operation.origin, state: &state)
        case .passwordHashed(_, let hash):
            return create(hash: hash, generated: nil, continuing: operation, state: &state)
        case .passwordGenerated(_, let password, let hash):
            return create(hash: hash, generated: password, continuing: operation, state: &state)
        case .written(_, let value):
            return created(value, by: operation, state: &state)
        case .loginDecided(_, let outcome):
            var wizard = self
            wizard.testReport = loginReport(outcome, state: state)
            wizard.isTesting = false
            state.replaceScreen(operation.origin, with: .wizard(wizard))
            return explainAnswer(wizard.testReport, username: username, continuing: operation, state: &state)
        case .failed(_, let message):
            notFinished(operation, failure: message, state: &state)
        case .cancelled:
            notFinished(operation, failure: nil, state: &state)
        default:
            break
        }
        return []
    }
    func render(state: ConsoleState, into canvas: inout Canvas) { renderWizard(self, state: state, into: &canvas) }
    var unsavedForm: UnsavedForm? { hasProgress ? UnsavedForm(user: username, description: "onboarding of new user \(username)") : nil }
    var modal: Modal { .wizard(self) }
}

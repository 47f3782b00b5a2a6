import Dispatch
import FuzzSupport
import IdentityModel
import IdentityProvider
import SecretStore
import SecretStoreTesting

/// The whole decision for a key login over a secret written by any tool: the input is the secret's value.
/// Every password key in it is replaced by a sentinel first, so the properties can look for it.
/// Properties: a denial is exactly `{}`; an allowed answer has a non-blank `Role` and never both home forms; a key
/// login's answer carries non-empty `PublicKeys`; no answer contains a stored password or hash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHandler(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let value = withSentinelPasswords(fuzzText(start, count))
    let finished = DispatchSemaphore(value: 0)
    Task {
        await check(secretValue: value)
        finished.signal()
    }
    finished.wait()
    return 0
}

private let sentinel = "Fuzz-Sentinel-Secret-81d6"

/// Replaces every key whose name mentions a password by the sentinel, when the value is a JSON object.
private func withSentinelPasswords(_ text: String) -> String {
    guard case .object(var members)? = try? JSONValue(parsing: text) else { return text }
    for key in members.keys where key.lowercased().contains("password") {
        members[key] = .string(sentinel)
    }
    return JSONValue.object(members).jsonText(prettyPrinted: false)
}

private let context = WriteContext(action: "fuzz", actor: "fuzz")

/// The cheapest argon2 cost: each handler makes its dummy hash at start, and key logins never verify one, so the
/// default cost (19 MiB, 2 passes, slow under AddressSanitizer) would only spend the run's time on that hash.
private let cheapArgon2: Argon2Parameters = {
    guard let parameters = try? Argon2Parameters(setting: "m=8,t=1,p=1") else { fatalError("m=8,t=1,p=1 is within the limits") }
    return parameters
}()

/// A store and a handler of its own for each input, so that no state (throttle, caches) carries from one input to
/// the next and a finding replays alone.
private func check(secretValue: String) async {
    let store = InMemorySecretStore()
    guard (try? await store.createSecret(name: "SFTP/fuzzuser", value: secretValue, context: context)) != nil else { return }
    await decideKeyLogins(IdentityProviderHandler(configuration: .init(store: store, passwordChecking: .init(parameters: cheapArgon2))))
}

private func decideKeyLogins(_ handler: IdentityProviderHandler) async {
    for protocolName in ["SFTP", "FTPS"] {
        let request = LoginRequest(serverID: "s-0123456789abcdef0", username: "fuzzuser", password: nil,
                                   protocolName: protocolName, sourceIP: "10.1.2.3")
        guard case .decided(let decision) = await handler.decide(request) else {
            require(false, "an in-memory store failed")
            return
        }
        let answer = decision.response.jsonText(prettyPrinted: false)
        require(!answer.contains(sentinel), "an answer contains a stored password")
        guard decision.isAllowed else {
            require(decision.response == .object([:]), "a denial is not {}: \(answer)")
            continue
        }
        let members = decision.response.objectValue ?? [:]
        let role = members["Role"]?.stringValue ?? ""
        require(!role.allSatisfy(\.isWhitespace), "allowed without a Role")
        require(!(members["HomeDirectory"] != nil && members["HomeDirectoryDetails"] != nil), "both HomeDirectory and HomeDirectoryDetails")
        require(protocolName == "SFTP", "a key login allowed over FTPS")
        guard case .array(let keys)? = members["PublicKeys"] else {
            require(false, "a key login allowed without PublicKeys")
            return
        }
        require(!keys.isEmpty, "a key login allowed with an empty PublicKeys")
    }
}


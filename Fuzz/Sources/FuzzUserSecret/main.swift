import FuzzSupport
import IdentityModel

/// A user secret's JSON text, as written by the AWS CLI, the web console, the original functions or any tool.
/// Properties: reading never traps; a JSON value prints as text that parses back to the same value; every field
/// reads for every protocol; a user that validates has logical mappings that start with `/`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUserSecret(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzText(start, count)
    if let value = try? JSONValue(parsing: text) {
        for pretty in [false, true] {
            let printed = value.jsonText(prettyPrinted: pretty)
            require((try? JSONValue(parsing: printed)) == value, "JSON does not survive printing (pretty: \(pretty))")
        }
    }
    guard let secret = try? UserSecret(secretString: text) else { return 0 }
    let user = SFTPUser(secret: secret)
    for transferProtocol in [nil] + TransferProtocol.allCases.map(Optional.some) {
        _ = user.role(for: transferProtocol)
        _ = user.policy(for: transferProtocol)
        _ = user.storedPassword(for: transferProtocol)
        _ = user.publicKeys(for: transferProtocol)
        _ = user.acceptedNetworks(for: transferProtocol)
        _ = user.posixProfile(for: transferProtocol)
        _ = user.issues(for: transferProtocol)
        _ = user.home(for: transferProtocol)
    }
    if user.validate().isEmpty, user.issues(for: nil).isEmpty, case .logical(let mappings) = user.home(for: nil) {
        for mapping in mappings {
            require(mapping.entry.hasPrefix("/") && mapping.target.hasPrefix("/"), "a valid user has a logical mapping without a leading /")
        }
    }
    _ = user.unknownKeys
    _ = user.protocolOverrides
    return 0
}

import Foundation
import FuzzSupport
import IdPLambda
import IdentityProvider

/// A Lambda event, as a Transfer server, the seeds' API Gateway mapping template or a proxy integration sends it;
/// the same form rules (`PasswordBase64`, URL-decoded path parameters) serve `sftpidp serve`'s requests.
/// Properties: reading never traps; a request's description does not depend on its password; a read request's fields are
/// the event's own text, never invented.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLambdaEvent(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let event = try? IdentityProviderEvent(json: data), let request = event.loginRequest else { return 0 }
    if let password = request.password, !password.isEmpty {
        var other = request
        other.password = password == "x" ? "y" : "x"
        require(request.description == other.description, "a login request's description depends on its password")
    }
    let text = String(decoding: data, as: UTF8.self)
    if case .transfer = event, let username = request.username, !username.isEmpty, username.allSatisfy(\.isLetter) {
        require(text.contains(username), "a flat event's user name is not in the event")
    }
    return 0
}

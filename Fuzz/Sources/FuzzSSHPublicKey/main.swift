import FuzzSupport
import IdentityModel

/// One OpenSSH public key line, as pasted by an admin or stored by another tool.
/// Properties: a parsed key formats to a line that parses back to the same key.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSHPublicKey(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let line = fuzzText(start, count)
    guard let key = try? SSHPublicKey(parsing: line) else { return 0 }
    require(key.fingerprint.hasPrefix("SHA256:"), "fingerprint \(key.fingerprint) lacks SHA256:")
    require(key.bits > 0, "\(key.algorithm) key with \(key.bits) bits")
    require(SSHPublicKey.acceptedAlgorithms.contains(key.algorithm), "accepted an unknown type \(key.algorithm)")
    do {
        let again = try SSHPublicKey(parsing: key.openSSHLine)
        require(again == key, "formatting and parsing again changed the key")
    } catch {
        require(false, "the formatted line of a parsed key is refused: \(error)")
    }
    return 0
}

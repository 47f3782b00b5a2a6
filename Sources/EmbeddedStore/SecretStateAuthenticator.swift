import Crypto
import Foundation
import SecretStore

/// The parts of a secret's rows that the ciphertexts do not protect: which of its versions exist, which version holds
/// which stage label, and its deletion schedule. Read by ``StoreRows``; sealed and checked by ``SecretStateAuthenticator``.
struct SecretState: Sendable, Hashable {
    /// One stage row: its label and the version id it points at.
    struct Stage: Sendable, Hashable {
        var label: String
        /// The version's id; nil when the row points at a missing version or at another secret's version.
        var versionID: String?
    }

    var name: String
    var versionIDs: [String]
    var stages: [Stage]
    /// Seconds since 1970, exactly as stored.
    var deletedAt: Double?
    var purgeAt: Double?
}

/// Authenticates each secret's ``SecretState`` with HMAC-SHA256 under a key derived from the master key, so that
/// someone who can write the database file but has no key cannot move a stage label (bring an old password back),
/// undo or move a deletion, or carry a secret's rows over from another store.
///
/// Two codes per secret, so that a failure says which part was changed: the stage code covers the secret name, the
/// set of its version ids and every (label, version id) pair; the deletion code covers the name, the deletion date
/// and the purge date (hence the recovery window). Both use a canonical, length-prefixed encoding.
struct SecretStateAuthenticator: Sendable {
    /// HMAC-SHA256 already keyed: each code starts from a copy of it, so the key's padding is hashed only once
    /// (listing 100,000 users checks 200,000 codes).
    private let keyed: HMAC<SHA256>

    /// HKDF-SHA256 of the master key with an `info` label of its own, so the MAC key is never the encryption key.
    init(masterKey: SymmetricKey) {
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Data("sftpidp embedded store state MAC v1".utf8), outputByteCount: 32)
        keyed = HMAC<SHA256>(key: key)
    }

    /// The code over the secret's versions and stage labels.
    func stagesMAC(_ state: SecretState) -> Data {
        Data(code(for: Self.stagesMessage(state)))
    }

    /// The code over the secret's deletion schedule.
    func deletionMAC(_ state: SecretState) -> Data {
        Data(code(for: Self.deletionMessage(state)))
    }

    private func code(for message: [UInt8]) -> HashedAuthenticationCode<SHA256> {
        var mac = keyed
        mac.update(data: message)
        return mac.finalize()
    }

    /// Compared in constant time (swift-crypto's `==` between a code and bytes).
    private func isValid(_ stored: Data, for message: [UInt8]) -> Bool {
        code(for: message) == stored
    }

    /// What is wrong with `state` given its stored codes, one sentence per failed part naming the secret (never a value).
    func problems(_ state: SecretState, stagesMAC: Data, deletionMAC: Data) -> [String] {
        var problems: [String] = []
        if !isValid(deletionMAC, for: Self.deletionMessage(state)) {
            problems.append("the deletion state of secret \(state.name) (deleted flag, deletion date, recovery window) does not match its MAC: it was changed without the master key")
        }
        if !isValid(stagesMAC, for: Self.stagesMessage(state)) {
            problems.append("the stage labels of secret \(state.name) (which version is AWSCURRENT or AWSPREVIOUS, and which versions exist) do not match their MAC: they were changed without the master key")
        }
        return problems
    }

    /// Throws a ``SecretStoreError/Kind/corrupt`` error naming the secret and what failed, unless both codes match.
    func verify(_ state: SecretState, stagesMAC: Data, deletionMAC: Data) throws(SecretStoreError) {
        let problems = problems(state, stagesMAC: stagesMAC, deletionMAC: deletionMAC)
        guard problems.isEmpty else {
            throw SecretStoreError(.corrupt, secretName: state.name, message: problems.joined(separator: "; ")
                + "; refusing to use the secret. Restore the store from a backup, or delete the secret with force and create it again")
        }
    }

    private static func stagesMessage(_ state: SecretState) -> [UInt8] {
        var message = CanonicalMessage(domain: "stages-v1")
        message.append(state.name)
        message.append(count: state.versionIDs.count)
        for id in state.versionIDs.sorted() { message.append(id) }
        message.append(count: state.stages.count)
        for stage in state.stages.sorted(by: { ($0.label, $0.versionID ?? "") < ($1.label, $1.versionID ?? "") }) {
            message.append(stage.label)
            // A stage on a missing or foreign version is never sealed, so its marker can never match a stored code.
            if let versionID = stage.versionID {
                message.append(versionID, after: "version ")
            } else {
                message.append("dangling")
            }
        }
        return message.bytes
    }

    private static func deletionMessage(_ state: SecretState) -> [UInt8] {
        var message = CanonicalMessage(domain: "deletion-v1")
        message.append(state.name)
        message.append(state.deletedAt)
        message.append(state.purgeAt)
        return message.bytes
    }
}

/// An unambiguous byte encoding: a domain label, then each field as a 4-byte big-endian length and its bytes.
///
/// Built in one byte array straight from each text's UTF-8 (no `Data` per field: two messages are built for every
/// secret read, 200,000 when listing 100,000 users).
private struct CanonicalMessage {
    private(set) var bytes: [UInt8] = []

    init(domain: String) {
        bytes.reserveCapacity(160)
        append(domain, after: "sftpidp-state ")
    }

    /// One field: the UTF-8 of `prefix` followed by that of `text`.
    mutating func append(_ text: String, after prefix: String = "") {
        withUnsafeBytes(of: UInt32(prefix.utf8.count + text.utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: prefix.utf8)
        bytes.append(contentsOf: text.utf8)
    }

    mutating func append(count: Int) {
        append(String(count))
    }

    /// A date as the exact bits of its stored double, or an empty field when absent.
    mutating func append(_ seconds: Double?) {
        append(seconds.map { String($0.bitPattern, radix: 16) } ?? "")
    }
}

import Crypto
import Foundation
import SecretStore

/// Seals secret values with AES-256-GCM under the master key, binding each to its secret name and version id.
struct SecretCipher: Sendable {
    let masterKey: MasterKey

    /// The fixed plaintext sealed into the store when it is created, to recognise the right key on open.
    private static let keyCheckPlaintext = Data("sftpidp embedded store key check v1".utf8)

    /// `nonce || ciphertext || tag` of `value`, with a fresh random nonce.
    func seal(_ value: String, name: String, versionID: String) throws -> Data {
        try seal(Data(value.utf8), authenticating: Self.associatedData(name: name, versionID: versionID))
    }

    /// The value sealed by ``seal(_:name:versionID:)`` for exactly this name and version id.
    func open(_ sealed: Data, name: String, versionID: String) throws -> String {
        let plaintext: Data
        do {
            plaintext = try open(sealed, authenticating: Self.associatedData(name: name, versionID: versionID))
        } catch {
            throw SecretStoreError(.corrupt, secretName: name, message: "version \(versionID) of secret \(name) does not decrypt: its ciphertext was altered or belongs to another secret")
        }
        guard let value = String(data: plaintext, encoding: .utf8) else {
            throw SecretStoreError(.corrupt, secretName: name, message: "version \(versionID) of secret \(name) decrypts to text that is not UTF-8")
        }
        return value
    }

    /// `nonce || ciphertext || tag` of a summary of this name's version, in `format`.
    func sealSummary(_ summary: [UInt8], name: String, versionID: String, format: String) throws -> Data {
        try seal(Data(summary), authenticating: Self.summaryAssociatedData(name: name, versionID: versionID, format: format))
    }

    /// The summary sealed by ``sealSummary(_:name:versionID:format:)`` for exactly this name, version id and format;
    /// nil when it was altered or sealed for another version, name or format.
    func openSummary(_ sealed: Data, name: String, versionID: String, format: String) -> [UInt8]? {
        (try? open(sealed, authenticating: Self.summaryAssociatedData(name: name, versionID: versionID, format: format))).map { Array($0) }
    }

    /// The key check to store in a new database.
    func sealKeyCheck() throws -> Data {
        try seal(Self.keyCheckPlaintext, authenticating: Data("key-check".utf8))
    }

    /// True when `sealed` is a key check made with this key.
    func opensKeyCheck(_ sealed: Data) -> Bool {
        (try? open(sealed, authenticating: Data("key-check".utf8))) == Self.keyCheckPlaintext
    }

    private func seal(_ plaintext: Data, authenticating associatedData: Data) throws -> Data {
        do {
            guard let combined = try AES.GCM.seal(plaintext, using: masterKey.key, authenticating: associatedData).combined else {
                throw SecretStoreError(.unavailable, message: "AES-GCM produced no combined box")
            }
            return combined
        } catch let error as SecretStoreError {
            throw error
        } catch {
            throw SecretStoreError(.unavailable, message: "encryption failed: \(error)")
        }
    }

    private func open(_ sealed: Data, authenticating associatedData: Data) throws -> Data {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return try AES.GCM.open(box, using: masterKey.key, authenticating: associatedData)
    }

    /// `sftpidp-secret-v1 NUL name NUL versionID`: names and version ids cannot hold NUL, so this is unambiguous.
    private static func associatedData(name: String, versionID: String) -> Data {
        Data("sftpidp-secret-v1\u{0}\(name)\u{0}\(versionID)".utf8)
    }

    /// `sftpidp-summary-v1 NUL name NUL versionID NUL format`: never a value's associated data, so a summary and a
    /// value cannot stand in for each other.
    private static func summaryAssociatedData(name: String, versionID: String, format: String) -> Data {
        Data("sftpidp-summary-v1\u{0}\(name)\u{0}\(versionID)\u{0}\(format)".utf8)
    }
}

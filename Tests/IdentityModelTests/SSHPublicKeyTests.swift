import Foundation
import Testing
@testable import IdentityModel

/// Keys made by the real ssh-keygen during the run; our fingerprint lines must equal `ssh-keygen -lf`.
@Suite struct SSHPublicKeyTests {
    static let generated: [(type: String, bits: String?, label: String)] = [
        ("rsa", "2048", "RSA"), ("rsa", "4096", "RSA"), ("ed25519", nil, "ED25519"),
        ("ecdsa", "256", "ECDSA"), ("ecdsa", "384", "ECDSA"), ("ecdsa", "521", "ECDSA"),
    ]

    /// Generates a key pair in `directory` and returns the private key path.
    static func generate(_ type: String, bits: String?, comment: String, in directory: TemporaryDirectory) throws -> String {
        let file = directory.path("\(type)-\(bits ?? "default")")
        var arguments = ["-q", "-t", type, "-N", "", "-C", comment, "-f", file]
        if let bits { arguments += ["-b", bits] }
        try ExternalTool.run("ssh-keygen", arguments)
        return file
    }

    @Test(arguments: generated.indices)
    func fingerprintLineEqualsSSHKeygen(index: Int) throws {
        let (type, bits, label) = Self.generated[index]
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try Self.generate(type, bits: bits, comment: "jess@laptop test key", in: directory)
        let line = try String(contentsOfFile: file + ".pub", encoding: .utf8)
        let key = try SSHPublicKey(parsing: line)
        let expected = try ExternalTool.run("ssh-keygen", ["-lf", file + ".pub"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.fingerprintLine == expected)
        #expect(key.keyTypeLabel == label)
        #expect(key.comment == "jess@laptop test key")
        #expect(key.openSSHLine == line.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try SSHPublicKey(parsing: key.lineWithoutComment).fingerprint == key.fingerprint)
        if let bits { #expect(key.bits == Int(bits)) }
    }

    @Test func keyWithoutCommentMatchesSSHKeygen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try Self.generate("ed25519", bits: nil, comment: "", in: directory)
        let key = try SSHPublicKey(parsing: try String(contentsOfFile: file + ".pub", encoding: .utf8))
        #expect(key.comment == nil)
        let expected = try ExternalTool.run("ssh-keygen", ["-lf", file + ".pub"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.fingerprintLine == expected)
    }

    @Test func securityKeyTypesAreDecoded() throws {
        // Blobs built by hand in the SSH wire format (no hardware token here): the fields ssh-keygen writes for sk keys.
        func string(_ bytes: [UInt8]) -> [UInt8] {
            withUnsafeBytes(of: UInt32(bytes.count).bigEndian, Array.init) + bytes
        }
        let ed = string(Array("sk-ssh-ed25519@openssh.com".utf8)) + string([UInt8](repeating: 7, count: 32)) + string(Array("ssh:".utf8))
        let edKey = try SSHPublicKey(parsing: "sk-ssh-ed25519@openssh.com \(Data(ed).base64EncodedString()) token")
        #expect(edKey.keyTypeLabel == "ED25519-SK")
        #expect(edKey.bits == 256)
        // A real P-256 point, taken from a key ssh-keygen makes (an sk key needs a token to generate).
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ecdsaFile = try Self.generate("ecdsa", bits: "256", comment: "c", in: directory)
        let ecdsaLine = try String(contentsOfFile: ecdsaFile + ".pub", encoding: .utf8).split(separator: " ")
        var reader = SSHWireReader([UInt8](try #require(Data(base64Encoded: String(ecdsaLine[1])))))
        _ = reader.readString()
        _ = reader.readString()
        let pointField = reader.readString()
        let point = [UInt8](try #require(pointField))
        let ec = string(Array("sk-ecdsa-sha2-nistp256@openssh.com".utf8)) + string(Array("nistp256".utf8)) + string(point) + string(Array("ssh:".utf8))
        let ecKey = try SSHPublicKey(parsing: "sk-ecdsa-sha2-nistp256@openssh.com \(Data(ec).base64EncodedString())")
        #expect(ecKey.keyTypeLabel == "ECDSA-SK")
        #expect(ecKey.fingerprintLine.hasSuffix("no comment (ECDSA-SK)"))
        // The same blob with a point that is not on the curve.
        var offCurve = point
        offCurve[offCurve.count - 1] ^= 1
        let bad = string(Array("sk-ecdsa-sha2-nistp256@openssh.com".utf8)) + string(Array("nistp256".utf8)) + string(offCurve) + string(Array("ssh:".utf8))
        #expect(Self.reason("sk-ecdsa-sha2-nistp256@openssh.com \(Data(bad).base64EncodedString())")?.contains("not a valid uncompressed nistp256 point") == true)
    }

    static func reason(_ line: String) -> String? {
        do {
            _ = try SSHPublicKey(parsing: line)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func junkAndEmptyAreRefused() {
        #expect(Self.reason("")?.contains("empty") == true)
        #expect(Self.reason("   \n")?.contains("empty") == true)
        #expect(Self.reason("hello world")?.contains("unknown key type; accepted types: ssh-rsa, ssh-ed25519") == true)
        #expect(Self.reason("ssh-dss AAAAB3NzaC1kc3MAAACBAP")?.contains("unknown key type") == true)
        #expect(Self.reason("ssh-ed25519")?.contains("missing") == true)
        #expect(Self.reason("ssh-ed25519 not*base64!")?.contains("not valid base64") == true)
        #expect(Self.reason("ssh-ed25519 " + String(repeating: "A", count: 2100))?.contains("at most 2048") == true)
    }

    @Test func authorizedKeysOptionsAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try Self.generate("ed25519", bits: nil, comment: "c", in: directory)
        let line = try String(contentsOfFile: file + ".pub", encoding: .utf8)
        #expect(Self.reason("from=\"10.0.0.0/8\",no-pty " + line)?.contains("options") == true)
        #expect(Self.reason("restrict " + line)?.contains("options") == true)
    }

    @Test func truncatedAndDamagedBlobsAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try Self.generate("rsa", bits: "2048", comment: "c", in: directory)
        let parts = try String(contentsOfFile: file + ".pub", encoding: .utf8).split(separator: " ")
        let base64 = String(parts[1])
        // Cut on a 4-character boundary: still base64, but the blob ends inside the modulus.
        let cut = String(base64.prefix(base64.count / 2 / 4 * 4))
        #expect(Self.reason("ssh-rsa \(cut)")?.contains("truncated") == true)
        // Cut anywhere else: not base64 any more.
        #expect(Self.reason("ssh-rsa \(base64.dropLast(3))")?.contains("base64") == true)
        // Extra bytes after the fields.
        let blob = try #require(Data(base64Encoded: base64))
        #expect(Self.reason("ssh-rsa \((blob + Data([1, 2, 3])).base64EncodedString())")?.contains("extra bytes") == true)
    }

    @Test func innerTypeMustMatchOuterType() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try Self.generate("ed25519", bits: nil, comment: "c", in: directory)
        let parts = try String(contentsOfFile: file + ".pub", encoding: .utf8).split(separator: " ")
        let reason = Self.reason("ssh-rsa \(parts[1])")
        #expect(reason?.contains("says its type is ssh-ed25519, but the line says ssh-rsa") == true)
        let ecdsa = try Self.generate("ecdsa", bits: "384", comment: "c", in: directory)
        let ecdsaParts = try String(contentsOfFile: ecdsa + ".pub", encoding: .utf8).split(separator: " ")
        #expect(Self.reason("ecdsa-sha2-nistp256 \(ecdsaParts[1])")?.contains("ecdsa-sha2-nistp384") == true)
    }

    @Test func privateKeysAreRecognised() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let openssh = try Self.generate("ed25519", bits: nil, comment: "c", in: directory)
        let pem = try Self.generate("rsa", bits: "2048", comment: "c", in: directory)
        try ExternalTool.run("ssh-keygen", ["-q", "-p", "-m", "PEM", "-N", "", "-P", "", "-f", pem])
        for file in [openssh, pem] {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let reason = Self.reason(text)
            #expect(reason?.contains("this is a PRIVATE key: paste the .pub file instead") == true)
        }
        #expect(try String(contentsOfFile: pem, encoding: .utf8).contains("BEGIN RSA PRIVATE KEY"))
        let putty = "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: c\nPublic-Lines: 2\n"
        #expect(Self.reason(putty)?.contains("PRIVATE key") == true)
    }

    @Test func ssh2AndPEMPublicKeysAreRefusedWithTheConversionCommand() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try Self.generate("rsa", bits: "2048", comment: "c", in: directory)
        let ssh2 = try ExternalTool.run("ssh-keygen", ["-e", "-f", file + ".pub"])
        #expect(Self.reason(ssh2)?.contains("SSH2/RFC4716 format (---- BEGIN SSH2 PUBLIC KEY ----): convert with ssh-keygen -i -f FILE") == true)
        let pem = try ExternalTool.run("ssh-keygen", ["-e", "-m", "PEM", "-f", file + ".pub"])
        #expect(Self.reason(pem)?.contains("ssh-keygen -i -m PEM -f FILE") == true)
        let pkcs8 = try ExternalTool.run("ssh-keygen", ["-e", "-m", "PKCS8", "-f", file + ".pub"])
        #expect(Self.reason(pkcs8)?.contains("ssh-keygen -i -m PKCS8 -f FILE") == true)
    }

    @Test("the parser's text helpers: trimming Unicode white space and byte search")
    func textHelpers() {
        #expect(" \t ssh-ed25519 AAAA x\r\n".trimmingWhitespace == "ssh-ed25519 AAAA x")
        #expect("\u{00A0}\u{2003}key\u{3000}".trimmingWhitespace == "key")
        #expect(" \n\t ".trimmingWhitespace == "")
        #expect("".trimmingWhitespace == "")
        #expect("-----BEGIN OPENSSH PRIVATE KEY-----".includes("PRIVATE KEY-----"))
        #expect("ключ ssh-rsa BEGIN PUBLIC KEY-----".includes("BEGIN PUBLIC KEY-----"))
        #expect(!"BEGIN PUBLIC KEY----".includes("BEGIN PUBLIC KEY-----"))
        #expect(!"short".includes("much longer needle"))
        #expect("anything".includes(""))
        #expect("aaab".includes("aab"))
    }

    @Test("the stored-key cache gives what a fresh parse gives, never keeps a failure, and stays within its capacity")
    func storedKeyCache() throws {
        let lines = try (0..<3).map { index in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let file = try Self.generate("ed25519", bits: nil, comment: "cache\(index)", in: directory)
            return try String(contentsOfFile: file + ".pub", encoding: .utf8)
        }
        let cache = StoredKeyCache(capacity: 2)
        for line in lines + lines {
            #expect(try cache.key(parsing: line) == SSHPublicKey(parsing: line))
            #expect(cache.count <= 2)
        }
        let broken = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDamaged"
        for _ in 0..<2 {
            #expect(throws: SSHKeyError.self) { try cache.key(parsing: broken) }
        }
    }
}

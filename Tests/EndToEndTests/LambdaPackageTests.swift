import Foundation
import LambdaRuntimeTesting
import PeerTesting
import Testing

/// The packaged `bootstrap` (from `scripts/package-lambda.sh`) run with `chroot` inside a minimal Debian 11 root file
/// system (glibc 2.31, no libstdc++, no NSS modules: see `scripts/lambda-rootfs.sh`), reaching moto by a host name
/// that only the root file system's /etc/hosts knows. `scripts/test.sh` builds both and sets `SFTPIDP_LAMBDA_ROOTFS`.
@Suite(.motoServer, .enabled(if: ProcessInfo.processInfo.environment["SFTPIDP_LAMBDA_ROOTFS"] != nil, "needs scripts/package-lambda.sh and scripts/lambda-rootfs.sh (scripts/test.sh runs them)"))
struct LambdaPackageTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theZippedBootstrapAnswersPasswordAndKeyLoginsInAnOlderDebianResolvingMotoByName() async throws {
        let moto = try #require(MotoServer.current)
        let rootfs = try #require(ProcessInfo.processInfo.environment["SFTPIDP_LAMBDA_ROOTFS"])
        let zip = ProcessInfo.processInfo.environment["SFTPIDP_LAMBDA_ZIP"] ?? Self.packageRoot.appendingPathComponent(".build/lambda/sftpidp-lambda.zip").path
        let sandbox = try Sandbox()

        // The zip holds exactly `bootstrap`, mode 755; unpacked where Lambda puts function code.
        let listing = try sandbox.runTool("unzip", ["-Z", zip])
        #expect(listing.stdout.contains("-rwxr-xr-x") && listing.stdout.contains(" bootstrap\n"), "\(listing)")
        try FileManager.default.createDirectory(atPath: "\(rootfs)/var/task", withIntermediateDirectories: true)
        let unpacked = try sandbox.runTool("unzip", ["-o", "-q", zip, "-d", "\(rootfs)/var/task"])
        #expect(unpacked.status == 0, "\(unpacked)")
        try "127.0.0.1\tlocalhost\n127.0.0.1\tmoto.test\n".write(toFile: "\(rootfs)/etc/hosts", atomically: true, encoding: .utf8)

        let prefix = "chroot\(UUID().uuidString.prefix(8).lowercased())/SFTP/"
        let keyPath = sandbox.path("id_ed25519")
        try sandbox.runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "jess@laptop", "-f", keyPath])
        let publicKey = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try LambdaEndToEndTests.populate(moto: moto, sandbox: sandbox, prefix: prefix, publicKey: publicKey)

        let runtime = try await LambdaRuntimeServer.start()
        // No HOME, as on Lambda; the store by name, so getaddrinfo in the static binary must read the rootfs's hosts file.
        let environment = [
            "AWS_ACCESS_KEY_ID": moto.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": moto.secretAccessKey,
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": "http://moto.test:\(moto.port)",
            "SFTPIDP_NAMING_SCHEME": "\(prefix){username}",
            "LAMBDA_TASK_ROOT": "/var/task",
        ]
        // A private mount and process namespace with its own /proc (the Swift runtime reads /proc/self, as on Lambda).
        let namespaces = getuid() == 0 ? [] : ["--map-root-user"]
        let command = ["/usr/bin/unshare"] + namespaces + ["--mount", "--pid", "--fork", "--kill-child", "/bin/sh", "-c",
                       #"mount -t proc proc "$1/proc" && exec /usr/sbin/chroot "$1" /var/task/bootstrap"#, "sh", rootfs]
        let function = try LambdaProcess(sandbox: sandbox, runtime: runtime, environment: environment, command: command)
        defer { function.stop() }

        let password = try await function.invokeFlat(user: "jess", password: LambdaEndToEndTests.jessPassword)
        #expect(password.object["Role"] as? String == LambdaEndToEndTests.role, "\(password) \(function.standardError)")
        let key = try await function.invokeFlat(user: "jess", password: nil)
        #expect(key.object["PublicKeys"] as? [String] == [publicKey], "\(key)")
        let argon2 = try await function.invokeFlat(user: "carol", password: LambdaEndToEndTests.carolPassword)
        #expect(argon2.object["Role"] as? String == LambdaEndToEndTests.role, "\(argon2)")
        #expect(try await function.invokeFlat(user: "carol", password: "wrong") == .response("{}"))
        #expect(function.logObjects.count == 4, "\(function.logLines) \(function.standardError)")
        await runtime.stop()
    }
}

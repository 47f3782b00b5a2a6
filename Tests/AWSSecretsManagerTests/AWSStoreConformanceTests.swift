import PeerTesting
import SecretStore
import SecretStoreTesting
import Testing
@testable import AWSCore
@testable import AWSSecretsManager

/// The shared SecretStore conformance checks, run against moto with signature checking on.
@Suite(.motoServer) struct AWSStoreConformanceTests {
    @Test(arguments: SecretStoreConformance.checks)
    func conforms(_ check: ConformanceCheck) async throws {
        let store = try #require(MotoServer.current).store()
        try await check.run(on: store, namePrefix: SecretStoreConformance.uniquePrefix())
    }
}

import Foundation
import PeerTesting
import SecretStore
@testable import AWSCore
@testable import AWSSecretsManager

extension MotoServer {
    /// Settings for this server with its signed-in key (or another secret key, to test refusals).
    func configuration(region: String = "us-east-1", secretAccessKey: String? = nil) throws -> AWSConfiguration {
        let environment = ["AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey ?? self.secretAccessKey, "HOME": "/nonexistent"]
        return try AWSConfiguration.resolve(profile: nil, region: region, endpointURL: endpoint, environment: environment)
    }

    /// A store on this server with short retry delays.
    func store(region: String = "us-east-1") throws -> AWSSecretsManagerStore {
        AWSSecretsManagerStore(configuration: try configuration(region: region),
                               options: AWSClientOptions(baseRetryDelay: .milliseconds(10), maxRetryDelay: .milliseconds(100)))
    }
}

/// A fresh name prefix per test, so tests sharing a server do not see each other's secrets.
func uniquePrefix(_ label: String) -> String {
    "t\(UUID().uuidString.prefix(8).lowercased())/\(label)/"
}

let testContext = WriteContext(action: "test", actor: "tests")

extension AWSSecretsManagerStore {
    /// The requests made per operation, each counted once however often it was sent: an exact count of calls that
    /// a retry (a slow or reset connection to a loaded moto) does not change.
    var requestCounts: [String: Int] {
        callCounts.merging(retryCounts) { $0 - $1 }.filter { $0.value > 0 }
    }
}

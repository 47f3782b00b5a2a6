import AWSSecretsManager
import Foundation
import IdPLambda
import IdentityProvider
import Logging
import ProcessHardening

// The bootstrap of the Lambda custom runtime: settings from the environment, the AWS Secrets Manager store, the
// handler, then the Runtime API loop. A setting that cannot work is reported through `init/error`, exit 1.

let environment = ProcessInfo.processInfo.environment

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("sftpidp-lambda: \(message)\n".utf8))
    exit(1)
}

let client: LambdaRuntimeClient
do {
    client = try LambdaRuntimeClient(environment: environment)
} catch {
    fail(error.message)
}

let handler: IdentityProviderHandler
let settings: LambdaSettings
do {
    // Passwords and credentials live in this process's memory: no core file may hold them.
    try ProcessHardening.disableCoreDumps()
    settings = try LambdaSettings(environment: environment)
    // Before anything that may log, so every line on standard output is JSON.
    LoggingSystem.bootstrap { label in JSONLogHandler(label: label, logLevel: settings.logLevel) }
    let aws = try AWSConfiguration.resolve(profile: nil, region: settings.storeRegion, endpointURL: nil, environment: environment)
    handler = IdentityProviderHandler(configuration: .init(
        store: AWSSecretsManagerStore(configuration: aws),
        namingScheme: settings.namingScheme,
        cacheTimeToLive: settings.cacheTimeToLive,
        passwordChecking: .init(parameters: settings.argon2)
    ))
} catch {
    let problem = LambdaFunctionError(type: "Runtime.ConfigurationError", message: String(describing: error))
    do {
        try await client.postInitError(problem)
    } catch {
        FileHandle.standardError.write(Data("sftpidp-lambda: \(error)\n".utf8))
    }
    fail(problem.message)
}

let function = IdentityProviderFunction(handler: handler, logger: Logger(label: "sftpidp.lambda"), serverID: settings.serverID)
do {
    try await LambdaRuntime(client: client).run(function)
} catch {
    fail(String(describing: error))
}

import Foundation
import FuzzSupport
@testable import AWSCore
@testable import AWSSecretsManager

/// What AWS (or anything answering in its place) sends back: the first byte picks the parser, the rest is the body.
/// 0: a Secrets Manager JSON answer, decoded as every output shape the store reads; 1: an error body (status from
/// the first byte's upper bits); 2: an STS query-protocol XML answer; 3: an IMDS/ECS/credential_process JSON document.
/// Properties: nothing traps; an error body always maps to a typed store error whose type and message never come
/// from other fields of the body (a secret echoed there stays out); credential errors name a rule, never a value;
/// parsed credentials never show their secret parts in descriptions.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAWSResponse(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let selector = start.load(as: UInt8.self)
    let body = Data(UnsafeRawBufferPointer(start: start + 1, count: count - 1))
    switch selector & 3 {
    case 0: decodeSecretsManagerAnswers(body)
    case 1: checkErrorBody(body, status: statuses[Int(selector >> 2) % statuses.count])
    case 2: checkSTSAnswer(body)
    default: checkCredentialDocument(body)
    }
    return 0
}

private let statuses = [400, 403, 404, 500, 503, 200, 301, 429]
private let sentinel = "fuzz-secret-sentinel"

private func decodeSecretsManagerAnswers(_ body: Data) {
    let decoder = SecretsManagerClient.decoder
    _ = try? decoder.decode(ListSecretsOutput.self, from: body)
    _ = try? decoder.decode(SecretValueOutput.self, from: body)
    _ = try? decoder.decode(BatchGetSecretValueOutput.self, from: body)
    _ = try? decoder.decode(VersionOutput.self, from: body)
    _ = try? decoder.decode(ListSecretVersionIdsOutput.self, from: body)
    if let described = try? decoder.decode(DescribeSecretOutput.self, from: body) {
        if let current = described.currentVersionID {
            require(described.VersionIdsToStages?[current]?.contains("AWSCURRENT") == true, "the current version lacks AWSCURRENT")
        }
        if let previous = described.previousVersionID {
            require(described.VersionIdsToStages?[previous]?.contains("AWSPREVIOUS") == true, "the previous version lacks AWSPREVIOUS")
        }
    }
}

private func checkErrorBody(_ body: Data, status: Int) {
    let error = AWSRequestSender.parseError(operation: "GetSecretValue", status: status, errorTypeHeader: nil, body: body)
    require(!error.type.isEmpty, "an error without a type")
    require(error.httpStatus == status, "the error lost its HTTP status")
    if status >= 500 { require(error.isRetryable, "a server error (\(status)) is not retried") }
    let storeError = error.storeError(secretName: "SFTP/jess")
    require(storeError.message.contains(error.type), "the store error does not name the AWS error type")
    if error.type == "ResourceNotFoundException" { require(storeError.kind == .notFound, "ResourceNotFoundException is not notFound") }
    // The same body carrying a secret elsewhere (as a request echoed back would): type and message do not change.
    let original = "\(error.type) \(error.message)"
    guard !original.contains(sentinel) else { return }
    let carrying: Data
    if var object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] {
        object["SecretString"] = sentinel
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return }
        carrying = data
    } else {
        carrying = body + Data(" \(sentinel)".utf8)
    }
    let echoed = AWSRequestSender.parseError(operation: "GetSecretValue", status: status, errorTypeHeader: nil, body: carrying)
    require(!echoed.type.contains(sentinel) && !echoed.message.contains(sentinel), "a secret elsewhere in an error body reached the error")
    require(!echoed.storeError(secretName: "SFTP/jess").message.contains(sentinel), "a secret elsewhere in an error body reached the store error")
}

private func checkSTSAnswer(_ body: Data) {
    for action in ["AssumeRole", "AssumeRoleWithWebIdentity"] {
        do {
            let credentials = try STSClient.parseCredentials(action: action, body: body)
            requireRedacted(credentials)
        } catch {
            let rules = ["is not XML", "has no \(action)Result/Credentials element", "lacks AccessKeyId, SecretAccessKey or SessionToken",
                         "has no valid Expiration (ISO 8601)"]
            require(error.type == "MalformedResponse" && rules.map { "the STS answer \($0)" }.contains(error.message),
                    "an STS answer error that is not one of the fixed rules")
        }
    }
}

private func checkCredentialDocument(_ body: Data) {
    do {
        let document = try CredentialDocument.decode(body, source: "imds")
        do {
            requireRedacted(try document.credentials(source: "imds"))
        } catch {
            let fixed = ["the answer has no AccessKeyId", "the answer has no SecretAccessKey", "Expiration is not an ISO 8601 time"]
            let fromEndpoint = error.message.hasPrefix("the endpoint answered ")
            require(fixed.contains(error.message) || fromEndpoint, "a credential document error that is neither a fixed rule nor the endpoint's code")
            let endpointText = (document.Code ?? "") + ": " + (document.Message ?? "")
            for secret in [document.SecretAccessKey, document.Token, document.SessionToken].compactMap({ $0 }) where secret.count >= 8 {
                require(!error.message.contains(secret) || endpointText.contains(secret), "a credential error shows a secret value")
            }
        }
    } catch {
        require(error.message == "the answer is not a JSON credentials object", "a credential document error that is not the fixed rule")
    }
}

/// The secret key and session token never appear in descriptions, unless they are part of what is shown anyway.
private func requireRedacted(_ credentials: AWSCredentials) {
    require(!credentials.secretAccessKey.isEmpty, "credentials with an empty secret key")
    let shown = [credentials.description, credentials.debugDescription, String(reflecting: credentials)]
    let visible = credentials.accessKeyID + " " + (credentials.expiration.map { $0.ISO8601Format() } ?? "")
        + " AWSCredentials(accessKeyID: , secretAccessKey: <redacted>, sessionToken: <redacted>, expiration: none)"
    for secret in [credentials.secretAccessKey, credentials.sessionToken ?? ""] where secret.count >= 8 && !visible.contains(secret) {
        require(shown.allSatisfy { !$0.contains(secret) }, "credentials show a secret part")
    }
}

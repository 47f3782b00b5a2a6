import Foundation
import Testing
@testable import AWSCore

/// Inputs found by the FuzzAWSResponse and FuzzAWSConfigFile targets (Fuzz/Regressions), replayed as unit tests.
@Suite struct FuzzFindingTests {
    /// An XML element name that is not valid UTF-8 trapped inside FoundationXML: any error body or STS answer
    /// carrying one stopped the process.
    static let invalidUTF8ElementName = Data("<Response><Error".utf8) + Data([0xE6, 0xE6]) + Data(">x</Error".utf8)
        + Data([0xE6, 0xE6]) + Data("></Response>".utf8)

    @Test func errorBodyWithAnElementNameThatIsNotUTF8IsAnUntypedError() {
        #expect(XMLTree(data: Self.invalidUTF8ElementName) == nil)
        let error = AWSRequestSender.parseError(operation: "GetSecretValue", status: 403, errorTypeHeader: nil, body: Self.invalidUTF8ElementName)
        #expect(error.type == "HTTP 403")
        #expect(error.message == "the service answered HTTP 403 without an error description")
        #expect(error.isAccessError)
        // The same answer in valid UTF-8 still names its code.
        let valid = Data("<Response><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>Signature expired</Message></Error></Errors></Response>".utf8)
        let named = AWSRequestSender.parseError(operation: "GetSecretValue", status: 403, errorTypeHeader: nil, body: valid)
        #expect(named.type == "SignatureDoesNotMatch" && named.message == "Signature expired")
    }

    /// A processing instruction without data handed a null pointer to strlen inside FoundationXML.
    @Test func processingInstructionWithoutDataIsNotXML() {
        let body = Data(#"<?xml?><Response><Errors><Error><Code>Throttling</Code></Error></Errors></Response>"#.utf8)
        #expect(XMLTree(data: body) == nil)
        #expect(XMLTree(data: Data("<Response><?pi?></Response>".utf8)) == nil)
        let error = AWSRequestSender.parseError(operation: "AssumeRole", status: 400, errorTypeHeader: nil, body: body)
        #expect(error.type == "HTTP 400")
        // The XML declaration AWS writes is not such an instruction.
        let declared = Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>Throttling</Code></Error></Errors></Response>".utf8)
        #expect(XMLTree(data: declared)?.root.first(named: "Code")?.text == "Throttling")
    }

    @Test func stsAnswerThatIsNotUTF8IsMalformed() {
        let error = #expect(throws: AWSServiceError.self) {
            try STSClient.parseCredentials(action: "AssumeRole", body: Self.invalidUTF8ElementName)
        }
        #expect(error?.type == "MalformedResponse")
        #expect(error?.message == "the STS answer is not XML")
    }

    /// The empty file (where Foundation's String(contentsOfFile:) leaks a 4 KiB buffer) has no profiles.
    @Test func emptySharedFilesHaveNoProfiles() throws {
        let directory = try TemporaryDirectory()
        let empty = try directory.write("config", "")
        let shared = try AWSSharedConfig(environment: ["AWS_CONFIG_FILE": empty, "AWS_SHARED_CREDENTIALS_FILE": empty, "HOME": "/nonexistent"])
        #expect(shared.config != nil && shared.credentials != nil)
        #expect(!shared.hasProfile("default"))
        #expect(shared.setting("aws_access_key_id", profile: "default") == nil)
    }
}

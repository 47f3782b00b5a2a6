import Foundation
import Testing
@testable import AWSCore

/// The published AWS SigV4 test suite (credentials AKIDEXAMPLE, service `service`, us-east-1, 2015-08-30T12:36:00Z).
@Suite struct SigV4TestSuiteTests {
    static let date = Date(timeIntervalSince1970: 1_440_938_160)
    static let signer = SigV4Signer(
        credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service")
    static let scope = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"

    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var request: SignableRequest
        var token: String? = nil
        var signedHeaders: String
        var signature: String
        var testDescription: String { name }
    }

    static func request(_ method: String, path: String = "/", query: [SignableRequest.QueryItem] = [],
                        headers: [SignableRequest.Header] = [], body: String = "") -> SignableRequest {
        SignableRequest(method: method, scheme: "https", host: "example.amazonaws.com", path: path, query: query,
                        headers: [.init("Host", "example.amazonaws.com")] + headers, body: Array(body.utf8))
    }

    static let stsToken = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

    static let vectors: [Vector] = [
        Vector(name: "get-vanilla", request: request("GET"), signedHeaders: "host;x-amz-date",
               signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(name: "get-vanilla-query-order-key-case",
               request: request("GET", query: [.init("Param2", "value2"), .init("Param1", "value1")]),
               signedHeaders: "host;x-amz-date", signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        Vector(name: "get-vanilla-utf8-query", request: request("GET", query: [.init("ሴ", "bar")]),
               signedHeaders: "host;x-amz-date", signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        Vector(name: "get-space", request: request("GET", path: "/example space/"),
               signedHeaders: "host;x-amz-date", signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        Vector(name: "get-header-value-trim",
               request: request("GET", headers: [.init("My-Header1", " value1"), .init("My-Header2", " \"a   b   c\"")]),
               signedHeaders: "host;my-header1;my-header2;x-amz-date",
               signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        Vector(name: "post-vanilla", request: request("POST"), signedHeaders: "host;x-amz-date",
               signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        Vector(name: "post-header-key-sort", request: request("POST", headers: [.init("My-Header1", "value1")]),
               signedHeaders: "host;my-header1;x-amz-date",
               signature: "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"),
        Vector(name: "post-x-www-form-urlencoded",
               request: request("POST", headers: [.init("Content-Type", "application/x-www-form-urlencoded")], body: "Param1=value1"),
               signedHeaders: "content-type;host;x-amz-date",
               signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
        Vector(name: "post-sts-header-before", request: request("POST"), token: stsToken,
               signedHeaders: "host;x-amz-date;x-amz-security-token",
               signature: "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"),
    ]

    @Test(arguments: vectors)
    func publishedSignature(_ vector: Vector) {
        var signer = Self.signer
        signer.credentials.sessionToken = vector.token
        let signed = signer.sign(vector.request, at: Self.date)
        #expect(signed.headerValue("Authorization") == "\(Self.scope), SignedHeaders=\(vector.signedHeaders), Signature=\(vector.signature)")
        #expect(signed.headerValue("X-Amz-Date") == "20150830T123600Z")
        #expect(signed.headerValue("X-Amz-Security-Token") == vector.token)
    }

    @Test func getVanillaCanonicalRequestAndStringToSign() {
        let signed = Self.signer.sign(Self.request("GET"), at: Self.date)
        let canonical = Self.signer.canonicalRequest(signed)
        #expect(canonical == """
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(Self.signer.stringToSign(canonicalRequest: canonical, timestamp: "20150830T123600Z") == """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63
            """)
    }

    @Test func headerValueTrimCanonicalForm() {
        let signed = Self.signer.sign(Self.request("GET", headers: [.init("My-Header1", " value1"), .init("My-Header2", " \"a   b   c\"")]), at: Self.date)
        let lines = Self.signer.canonicalRequest(signed).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains("my-header1:value1"))
        #expect(lines.contains("my-header2:\"a b c\""))
    }

    @Test func hostHeaderCarriesNonDefaultPortOnly() {
        let local = SignableRequest(method: "POST", scheme: "http", host: "127.0.0.1", port: 4566)
        #expect(local.hostHeaderValue == "127.0.0.1:4566")
        #expect(SignableRequest(method: "POST", scheme: "https", host: "Example.COM", port: 443).hostHeaderValue == "example.com")
        #expect(SignableRequest(method: "POST", scheme: "http", host: "example.com", port: 80).hostHeaderValue == "example.com")
        let signed = Self.signer.sign(local, at: Self.date)
        #expect(signed.headerValue("Host") == "127.0.0.1:4566")
        #expect(signed.urlString == "http://127.0.0.1:4566/")
    }

    @Test func resigningReplacesOldAuthorizationHeaders() {
        let once = Self.signer.sign(Self.request("POST"), at: Self.date)
        let twice = Self.signer.sign(once, at: Self.date)
        #expect(twice.headers.filter { $0.name.lowercased() == "authorization" }.count == 1)
        #expect(twice.headerValue("Authorization") == once.headerValue("Authorization"))
    }

    @Test func pathNormalizationAndEncoding() {
        #expect(SigV4Signer.canonicalURI("") == "/")
        #expect(SigV4Signer.canonicalURI("/a/./b/../c//d/") == "/a/c/d/")
        #expect(SigV4Signer.canonicalURI("/a%20b") == "/a%2520b")
        #expect(SigV4Signer.canonicalURI("/ሴ") == "/%E1%88%B4")
    }

    @Test func credentialsNeverShowTheirSecretParts() {
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "TOKEN-VALUE")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(reflecting: credentials), dumped] {
            #expect(text.contains("AKIDEXAMPLE"))
            #expect(!text.contains("EXAMPLEKEY"))
            #expect(!text.contains("TOKEN-VALUE"))
        }
    }
}

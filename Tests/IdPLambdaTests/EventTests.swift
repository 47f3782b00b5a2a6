import Foundation
import IdPLambda
import IdentityProvider
import Testing

@Suite("Lambda events: the flat Transfer event and the API Gateway proxy request")
struct EventTests {
    func event(_ json: String) throws -> IdentityProviderEvent {
        try IdentityProviderEvent(json: Data(json.utf8))
    }

    @Test func theFlatEventCarriesEveryField() throws {
        let parsed = try event(#"{"username":"jess","password":"pw","protocol":"SFTP","serverId":"s-0123456789abcdef0","sourceIp":"203.0.113.9"}"#)
        guard case .transfer(let request) = parsed else {
            Issue.record("expected the flat event, got \(parsed)")
            return
        }
        #expect(request.username == "jess")
        #expect(request.password == "pw")
        #expect(request.protocolName == "SFTP")
        #expect(request.serverID == "s-0123456789abcdef0")
        #expect(request.sourceIP == "203.0.113.9")
        #expect(request.authentication == .password)
    }

    @Test("no password, an empty one or null means a key login", arguments: [
        #"{"username":"jess","protocol":"SFTP","serverId":"s-1"}"#,
        #"{"username":"jess","password":"","protocol":"SFTP","serverId":"s-1"}"#,
        #"{"username":"jess","password":null,"protocol":"SFTP","serverId":"s-1"}"#,
    ])
    func keyLogin(json: String) throws {
        let request = try #require(try event(json).loginRequest)
        #expect(request.authentication == .publicKey)
    }

    @Test("malformed events are refused naming the rule", arguments: [
        ("not json", "the event is not valid JSON"),
        ("[1,2]", "the event must be a JSON object, not a array"),
        (#"{"username":5}"#, "the event field username must be a string, not a number"),
        (#"{"username":"jess","password":{"a":1}}"#, "the event field password must be a string, not a object"),
    ])
    func malformed(json: String, message: String) {
        #expect(throws: LoginRequestFormError(message)) { try event(json) }
    }

    static func proxy(path: String = #"{"serverId":"s-0123456789abcdef0","username":"jess%40example.com"}"#, headers: String = "null", query: String = #"{"protocol":"SFTP","sourceIp":"198.51.100.7"}"#) -> String {
        #"{"resource":"/servers/{serverId}/users/{username}/config","httpMethod":"GET","pathParameters":\#(path),"headers":\#(headers),"queryStringParameters":\#(query),"requestContext":{"stage":"prod"},"body":null}"#
    }

    @Test func theProxyRequestIsReadLikeTheHTTPRoute() throws {
        let parsed = try event(Self.proxy(headers: #"{"password":"pl@in","Host":"x"}"#))
        guard case .apiGatewayProxy(let request) = parsed else {
            Issue.record("expected a proxy request, got \(parsed)")
            return
        }
        #expect(request.username == "jess@example.com")
        #expect(request.serverID == "s-0123456789abcdef0")
        #expect(request.password == "pl@in")
        #expect(request.protocolName == "SFTP")
        #expect(request.sourceIP == "198.51.100.7")
    }

    @Test("PasswordBase64 wins over Password, header names in any case", arguments: ["PasswordBase64", "passwordbase64", "PASSWORDBASE64"])
    func base64Header(name: String) throws {
        let encoded = Data("Zoë ✓ secret".utf8).base64EncodedString()
        let request = try #require(try event(Self.proxy(headers: #"{"\#(name)":"\#(encoded)","Password":"ignored"}"#)).loginRequest)
        #expect(request.password == "Zoë ✓ secret")
    }

    @Test func noHeadersAndNoQueryIsAKeyLoginWithoutProtocol() throws {
        let request = try #require(try event(Self.proxy(query: "null")).loginRequest)
        #expect(request.authentication == .publicKey)
        #expect(request.protocolName == nil)
        #expect(request.sourceIP == nil)
    }

    @Test("a proxy request breaking a rule is kept with its reason, not dropped", arguments: [
        (proxy(headers: #"{"PasswordBase64":"not base64!!"}"#), "the PasswordBase64 header is not valid base64"),
        (proxy(path: #"{"serverId":"s-1","username":"bad%zz"}"#), "the username in the path is not valid URL encoding of UTF-8 text"),
        (proxy(headers: #"{"Password":7}"#), "the event's headers.Password must be a string, not a number"),
        (proxy(query: "[]"), "the event's queryStringParameters must be an object, not a array"),
    ])
    func invalidProxy(json: String, message: String) throws {
        let parsed = try event(json)
        guard case .invalidAPIGatewayProxy(let error) = parsed else {
            Issue.record("expected an invalid proxy request, got \(parsed)")
            return
        }
        #expect(error.message == message)
    }
}

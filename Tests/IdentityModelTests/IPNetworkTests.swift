import Testing
@testable import IdentityModel

@Suite struct IPNetworkTests {
    static func address(_ text: String) throws -> IPAddress {
        try #require(IPAddress(parsing: text))
    }

    @Test func parsesNetworksWithAndWithoutHostBits() throws {
        #expect(try IPNetwork(parsing: "10.0.0.0/8").description == "10.0.0.0/8")
        #expect(try IPNetwork(parsing: "10.1.2.3/8").description == "10.0.0.0/8")
        #expect(try IPNetwork(parsing: "192.168.7.9").description == "192.168.7.9/32")
        #expect(try IPNetwork(parsing: "2001:DB8:0:0::1/32").description == "2001:db8::/32")
        #expect(try IPNetwork(parsing: "::1").description == "::1/128")
        #expect(try IPNetwork(parsing: "0.0.0.0/0").description == "0.0.0.0/0")
        #expect(try IPNetwork(parsing: "10.1.2.3/23").description == "10.1.2.0/23")
    }

    @Test func refusesBadNetworksNamingTheField() {
        for text in ["10.0.0.0/33", "10.0.0/8", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "2001:db8::/129", "host.example", "", "10.0.0.0/8/8", "fe80::1%eth0"] {
            #expect(throws: FieldError.self, "\(text)") { try IPNetwork(parsing: text) }
        }
        do {
            _ = try IPNetwork.parseList("10.0.0.0/8, nonsense", field: "SFTPAcceptedIpNetwork")
            Issue.record("a bad list was accepted")
        } catch {
            #expect(error.field == "SFTPAcceptedIpNetwork")
            #expect(error.description.hasPrefix("SFTPAcceptedIpNetwork: "))
        }
    }

    @Test func parsesLists() throws {
        let list = try IPNetwork.parseList("10.0.0.0/8, 2001:db8::/32 ,192.168.1.1,")
        #expect(list.map(\.description) == ["10.0.0.0/8", "2001:db8::/32", "192.168.1.1/32"])
        #expect(try IPNetwork.parseList("").isEmpty)
    }

    @Test func membership() throws {
        let v4 = try IPNetwork(parsing: "10.0.0.0/8")
        #expect(v4.contains(try Self.address("10.255.1.2")))
        #expect(!v4.contains(try Self.address("11.0.0.1")))
        #expect(v4.contains(try Self.address("::ffff:10.1.2.3")))
        #expect(!v4.contains(try Self.address("::ffff:11.1.2.3")))
        #expect(!v4.contains(try Self.address("::a01:203")), "an IPv4-compatible (not mapped) address matched")
        let odd = try IPNetwork(parsing: "192.168.4.0/22")
        #expect(odd.contains(try Self.address("192.168.7.255")))
        #expect(!odd.contains(try Self.address("192.168.8.0")))
        let v6 = try IPNetwork(parsing: "2001:db8::/32")
        #expect(v6.contains(try Self.address("2001:db8:ffff::1")))
        #expect(!v6.contains(try Self.address("2001:db9::1")))
        #expect(!v6.contains(try Self.address("10.0.0.1")))
        let mappedNetwork = try IPNetwork(parsing: "::ffff:10.0.0.0/104")
        #expect(mappedNetwork.contains(try Self.address("10.9.9.9")))
        #expect(try IPNetwork(parsing: "0.0.0.0/0").contains(try Self.address("203.0.113.9")))
        #expect(try IPNetwork(parsing: "203.0.113.9").contains(try Self.address("203.0.113.9")))
        #expect(!(try IPNetwork(parsing: "203.0.113.9").contains(try Self.address("203.0.113.8"))))
    }

    @Test func addressesPrintCanonically() throws {
        #expect(try Self.address("2001:0db8:0000:0000:0000:0000:0000:0001").description == "2001:db8::1")
        #expect(try Self.address("::ffff:10.1.2.3").ipv4Mapped?.description == "10.1.2.3")
        #expect(IPAddress(parsing: "300.1.1.1") == nil)
    }
}

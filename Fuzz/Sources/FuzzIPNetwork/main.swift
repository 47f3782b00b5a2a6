import FuzzSupport
import IdentityModel

/// `AcceptedIpNetwork` lists and `sourceIp` addresses, as written by any tool or sent by any client.
/// Input: a network list, then a newline, then a source address.
/// Properties: every network and address formats to text that parses back to the same value; a network always
/// contains its own address; membership does not change by formatting.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIPNetwork(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzText(start, count)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let listText = String(parts[0])
    let addressText = parts.count > 1 ? String(parts[1]) : listText

    let networks = (try? IPNetwork.parseList(listText)) ?? []
    for network in networks {
        let reparsed = try? IPNetwork(parsing: network.description)
        require(reparsed == network, "network \(network) does not parse back from its own text")
        require(network.contains(network.address), "network \(network) does not contain its own address")
    }
    if let address = IPAddress(parsing: addressText) {
        require(IPAddress(parsing: address.description) == address, "address \(address) does not parse back")
        for network in networks {
            let formatted = IPAddress(parsing: address.description)!
            require(network.contains(address) == network.contains(formatted), "membership in \(network) changes with the spelling of \(address)")
        }
    }
    return 0
}

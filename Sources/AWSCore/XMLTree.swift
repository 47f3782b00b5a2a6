import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML document read into elements with Foundation's `XMLParser`: enough to read AWS query-protocol answers
/// and XML error bodies. External entities are never resolved.
public struct XMLTree: Sendable, Hashable {
    /// One element: its local name (namespace prefix dropped), its text and its child elements.
    public struct Element: Sendable, Hashable {
        public var name: String
        public var text: String
        public var children: [Element]

        /// The first child named `name`.
        public func child(_ name: String) -> Element? { children.first { $0.name == name } }

        /// The element at `path` below this one, following first matches (`["Credentials", "AccessKeyId"]`).
        public func element(at path: [String]) -> Element? {
            path.reduce(Optional(self)) { $0?.child($1) }
        }

        /// The first element named `name` anywhere below this one (depth first).
        public func first(named name: String) -> Element? {
            for child in children {
                if child.name == name { return child }
                if let found = child.first(named: name) { return found }
            }
            return nil
        }
    }

    public var root: Element

    /// Parses `data`; `nil` when it is not well-formed XML or not valid UTF-8.
    ///
    /// Two screens come first, each for a way FoundationXML (Swift 6.3.1) crashes the process that the FuzzAWSResponse
    /// target found in error bodies: an element name that is not valid UTF-8 (`<Response><Error\xE6\xE6>`), and a
    /// processing instruction without data (`<?xml?>`, a null pointer handed to strlen). AWS answers are UTF-8 and
    /// carry no processing instruction beyond the XML declaration, so nothing they send is refused.
    public init?(data: Data) {
        guard let text = String(validating: data, as: UTF8.self) else { return nil }
        var body = text.drop { $0.isWhitespace }
        if body.hasPrefix("<?xml "), let end = body.range(of: "?>") {
            body = body[end.upperBound...]
        }
        guard !body.contains("<?") else { return nil }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        self.root = root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [Element] = []
        var root: Element?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            stack.append(Element(name: local, text: "", children: []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard var finished = stack.popLast() else { return }
            finished.text = finished.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if stack.isEmpty {
                root = finished
            } else {
                stack[stack.count - 1].children.append(finished)
            }
        }
    }
}

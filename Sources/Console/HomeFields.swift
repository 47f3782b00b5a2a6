import Foundation
import IdentityModel

/// The home directory part of a form, shared by the editor and the onboarding wizard: a PATH/LOGICAL choice
/// (`homeType`), then either a path field (`home`) or Entry → Target rows (`entry0`/`target0`, `entry1`/`target1`, ...).
///
/// The values hidden by the PATH/LOGICAL switch are kept in a stash, so switching back and forth loses nothing.
extension Form {
    static let homeTypeHint = "Space switches between a path and logical Entry → Target rows (Ctrl-N adds a row)"

    /// The fields for `home`: the choice, then the path field or one pair of fields per mapping (at least one).
    static func homeFields(for home: HomeDirectory, pathHint: String) -> [FormField] {
        switch home {
        case .path(let path):
            return [.choice("homeType", "Home type", options: ["PATH", "LOGICAL"], selected: 0, hint: homeTypeHint),
                    .text("home", "Home directory", path ?? "", hint: pathHint)]
        case .logical(let mappings):
            let rows = mappings.isEmpty ? [HomeMapping(entry: "/", target: "")] : mappings
            return [.choice("homeType", "Home type", options: ["PATH", "LOGICAL"], selected: 1, hint: homeTypeHint)]
                + rows.enumerated().flatMap { homeMappingFields($0.offset, entry: $0.element.entry, target: $0.element.target) }
        }
    }

    static func homeMappingFields(_ index: Int, entry: String, target: String) -> [FormField] {
        [.text("entry\(index)", "  Entry \(index + 1)", entry, hint: "what the user sees, e.g. / or /reports"),
         .text("target\(index)", "  Target \(index + 1)", target, hint: "where it is: /bucket/prefix")]
    }

    var isLogicalHome: Bool { self["homeType"] == "LOGICAL" }

    var homeMappingCount: Int { fields.filter { $0.id.hasPrefix("entry") }.count }

    /// True when the focus is on a logical Entry or Target field.
    var isOnHomeMappingRow: Bool {
        guard let id = focusedID else { return false }
        return id.hasPrefix("entry") || id.hasPrefix("target")
    }

    /// The home the fields describe: the trimmed path (empty: the bucket root), or the rows that are not empty.
    var homeDirectory: HomeDirectory {
        if isLogicalHome {
            return .logical((0..<homeMappingCount).compactMap { index in
                let entry = self["entry\(index)"].trimmingCharacters(in: .whitespaces)
                let target = self["target\(index)"].trimmingCharacters(in: .whitespaces)
                return entry.isEmpty && target.isEmpty ? nil : HomeMapping(entry: entry, target: target)
            })
        }
        let path = self["home"].trimmingCharacters(in: .whitespaces)
        return .path(path.isEmpty ? nil : path)
    }

    /// Shows the path field or the mapping rows after the home type changed, stashing what gets hidden.
    mutating func syncHomeFields(stash: inout [String: String], pathHint: String) {
        let hasPath = fields.contains { $0.id == "home" }
        guard let typeIndex = fields.firstIndex(where: { $0.id == "homeType" }) else { return }
        if isLogicalHome && hasPath {
            stash["home"] = self["home"]
            fields.removeAll { $0.id == "home" }
            var rows: [FormField] = []
            var index = 0
            repeat {
                rows += Self.homeMappingFields(index, entry: stash["entry\(index)"] ?? (index == 0 ? "/" : ""), target: stash["target\(index)"] ?? "")
                index += 1
            } while stash["entry\(index)"] != nil
            fields.insert(contentsOf: rows, at: typeIndex + 1)
        } else if !isLogicalHome && !hasPath {
            for field in fields where field.id.hasPrefix("entry") || field.id.hasPrefix("target") { stash[field.id] = field.value }
            fields.removeAll { $0.id.hasPrefix("entry") || $0.id.hasPrefix("target") }
            fields.insert(.text("home", "Home directory", stash["home"] ?? "", hint: pathHint), at: typeIndex + 1)
        }
    }

    /// Adds an empty Entry → Target row after the last one and focuses it (LOGICAL homes only).
    mutating func addHomeMappingRow() {
        guard isLogicalHome else { return }
        let count = homeMappingCount
        let lastIndex = fields.lastIndex { $0.id.hasPrefix("target") } ?? fields.count - 1
        fields.insert(contentsOf: Self.homeMappingFields(count, entry: "", target: ""), at: lastIndex + 1)
        focus = lastIndex + 1
    }

    /// Removes the focused Entry → Target row, keeping at least one.
    mutating func removeHomeMappingRow() {
        guard let id = focusedID, isOnHomeMappingRow, homeMappingCount > 1 else { return }
        let index = Int(id.drop { !$0.isNumber }) ?? 0
        var rows: [(String, String)] = (0..<homeMappingCount).map { (self["entry\($0)"], self["target\($0)"]) }
        rows.remove(at: index)
        fields.removeAll { $0.id.hasPrefix("entry") || $0.id.hasPrefix("target") }
        let typeIndex = fields.firstIndex { $0.id == "homeType" } ?? 0
        fields.insert(contentsOf: rows.enumerated().flatMap { Self.homeMappingFields($0.offset, entry: $0.element.0, target: $0.element.1) }, at: typeIndex + 1)
        focus = min(typeIndex + 1 + index * 2, fields.count - 1)
    }

    /// The form field that shows a model error about the home: `HomeDirectoryDetails[2].Target` belongs on `target1`.
    static func homeFieldID(forErrorField field: String) -> String? {
        if field == SecretKey.homeDirectory { return "home" }
        guard field.hasPrefix(SecretKey.homeDirectoryDetails) else { return nil }
        let rest = field.dropFirst(SecretKey.homeDirectoryDetails.count)
        guard rest.hasPrefix("["), let close = rest.firstIndex(of: "]"), let number = Int(rest.dropFirst().prefix(upTo: close)), number >= 1 else {
            return "entry0"
        }
        return (rest.hasSuffix(".Target") ? "target" : "entry") + "\(number - 1)"
    }
}

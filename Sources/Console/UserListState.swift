import Foundation
import IdentityModel
import TerminalUI

/// The users, sorted by name, the filter typed with `/`, the visible subset and the selection.
struct UserListState: Sendable, Hashable {
    private(set) var records: [UserRecord] = []
    private var indexByName: [String: Int] = [:]
    var filter = TextField()
    var isFilterFocused = false
    /// Indices into `records` that match the filter, in name order.
    private(set) var visible: [Int] = []
    /// Position of the selection in `visible`.
    private(set) var selection = 0
    /// First visible row of the scrolled list.
    var top = 0
    private var appliedFilter = ""
    /// The widest cell of each column over the users loaded so far, for columns no wider than their content.
    private(set) var cellWidths = CellWidths()

    var selectedRecord: UserRecord? {
        visible.indices.contains(selection) ? records[visible[selection]] : nil
    }

    func record(named username: String) -> UserRecord? {
        indexByName[username].map { records[$0] }
    }

    /// How many users, first in the list, keep the value a listing read: beyond them a listing keeps only the
    /// columns (a value is 500 bytes and more: at 100,000 users a third of the console's memory), and a user is
    /// read again when selected, as one the listing cache summarised.
    static let heldValueLimit = 2_000

    /// Where the user of this name is in the list (by name), when listed.
    func position(named username: String) -> Int? {
        indexByName[username]
    }

    /// Whether a user of this name is listed (without copying its record).
    func contains(named username: String) -> Bool {
        indexByName[username] != nil
    }

    /// The secret names of the users listed and not deleted (built without copying the records: at 100,000 users
    /// a filtered copy of them was the console's largest allocation).
    var liveSecretNames: Set<String> {
        var names = Set<String>(minimumCapacity: records.count)
        for record in records where record.deletedAt == nil { names.insert(record.secretName) }
        return names
    }

    /// Adds listed users (the store lists in name order, so this is usually an append).
    mutating func add(_ newRecords: [UserRecord]) {
        let selectedName = selectedRecord?.username
        let fresh = newRecords.filter { indexByName[$0.username] == nil }.sorted { $0.username < $1.username }
        for record in fresh { cellWidths.include(record) }
        let needle = filter.text.lowercased()
        let appendsInOrder = fresh.first.map { first in records.last.map { $0.username < first.username } ?? true } ?? true
        if !appendsInOrder || needle != appliedFilter {
            records = (records + fresh).sorted { $0.username < $1.username }
            rebuildIndex()
            refilter(keeping: selectedName)
        } else {
            // The usual case, a page after the last one: existing rows keep their place, so the index and the
            // visible rows are extended instead of rebuilt (100,000 users arrive in 1,000 pages).
            let base = records.count
            records += fresh
            for (offset, record) in fresh.enumerated() { indexByName[record.username] = base + offset }
            visible += (base..<records.count).filter { needle.isEmpty || records[$0].searchKey.includes(needle) }
        }
    }

    /// Replaces one record (after a fetch or a write), adding it when new.
    mutating func update(_ record: UserRecord) {
        if let index = indexByName[record.username] {
            records[index] = record
            cellWidths.include(record)
        } else {
            add([record])
        }
    }

    mutating func updateRecord(named username: String, _ change: (inout UserRecord) -> Void) {
        guard let index = indexByName[username] else { return }
        change(&records[index])
        cellWidths.include(records[index])
    }

    mutating func remove(named username: String) {
        guard let index = indexByName[username] else { return }
        let position = selection
        records.remove(at: index)
        rebuildIndex()
        // The visible indices point into the old records: filter again from scratch.
        visible = []
        appliedFilter = ""
        refilter(keeping: nil)
        selection = min(position, max(0, visible.count - 1))
    }

    mutating func removeAll() {
        records = []
        indexByName = [:]
        cellWidths = CellWidths()
        visible = []
        selection = 0
        top = 0
    }

    /// Recomputes the visible users after the filter text changed, keeping the selected user when it still matches.
    mutating func refilter(keeping username: String? = nil) {
        let keep = username ?? selectedRecord?.username
        let needle = filter.text.lowercased()
        if needle.isEmpty {
            visible = Array(records.indices)
        } else if !appliedFilter.isEmpty, needle.hasPrefix(appliedFilter), visible.count <= records.count {
            visible = visible.filter { records[$0].searchKey.includes(needle) }
        } else {
            visible = records.indices.filter { records[$0].searchKey.includes(needle) }
        }
        appliedFilter = needle
        if let keep, let index = indexByName[keep], let position = visible.firstIndex(of: index) {
            selection = position
        } else {
            selection = min(selection, max(0, visible.count - 1))
        }
    }

    mutating func select(username: String) {
        guard let index = indexByName[username], let position = visible.firstIndex(of: index) else { return }
        selection = position
    }

    /// Moves the selection by `delta` rows, clamped to the list.
    mutating func move(by delta: Int) {
        guard !visible.isEmpty else { return }
        selection = min(max(0, selection + delta), visible.count - 1)
    }

    mutating func moveToStart() { selection = 0 }
    mutating func moveToEnd() { selection = max(0, visible.count - 1) }

    /// Scrolls so the selection is inside a window of `height` rows.
    mutating func scrollToSelection(height: Int) {
        guard height > 0 else { return }
        if selection < top { top = selection }
        if selection >= top + height { top = selection - height + 1 }
        top = max(0, min(top, max(0, visible.count - height)))
    }

    private mutating func rebuildIndex() {
        indexByName = Dictionary(records.enumerated().map { ($1.username, $0) }, uniquingKeysWith: { first, _ in first })
        appliedFilter = ""
    }
}

/// The widest cell of each list column, counted in UTF-8 bytes: exact for ASCII and never narrower than the text
/// for anything else, and cheap enough for 100,000 users. It only grows while users load or change, so a scroll
/// never re-lays out the rows.
struct CellWidths: Sendable, Hashable {
    var name = 0, authentication = 0, role = 0, home = 0, flags = 0

    mutating func include(_ record: UserRecord) {
        let summary = record.summary
        name = max(name, record.username.utf8.count)
        authentication = max(authentication, summary.authentication.utf8.count)
        role = max(role, summary.role.utf8.count)
        if summary.authentication != "?" { home = max(home, summary.home.utf8.count) }
        flags = max(flags, summary.flags.reduce(-1) { $0 + $1.badge.utf8.count + 1 })
    }
}

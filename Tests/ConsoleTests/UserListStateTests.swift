import Testing
@testable import Console

@Suite("User list state")
struct UserListStateTests {
    static func records(_ names: [String]) -> [UserRecord] {
        names.map { UserRecord(username: $0, secretName: "SFTP/\($0)") }
    }

    static func visibleNames(_ list: UserListState) -> [String] {
        list.visible.map { list.records[$0].username }
    }

    @Test("pages listed in order are appended; a page out of order is merged in name order; duplicates are ignored")
    func pages() {
        var list = UserListState()
        list.add(Self.records(["bob", "amy"]))
        list.add(Self.records(["cat", "dan"]))
        #expect(Self.visibleNames(list) == ["amy", "bob", "cat", "dan"])
        list.move(by: 2)
        list.add(Self.records(["abe", "dan"]))
        #expect(Self.visibleNames(list) == ["abe", "amy", "bob", "cat", "dan"])
        #expect(list.selectedRecord?.username == "cat", "the selection stays on its user when rows move")
        #expect(list.record(named: "dan")?.username == "dan")
        #expect(list.record(named: "abe")?.username == "abe")
    }

    @Test("with a filter typed, pages arriving later show only the users that match")
    func filteredPages() {
        var list = UserListState()
        list.add(Self.records(["anna", "bert"]))
        list.filter.text = "er"
        list.refilter()
        #expect(Self.visibleNames(list) == ["bert"])
        list.add(Self.records(["carl", "erin", "vera"]))
        #expect(Self.visibleNames(list) == ["bert", "erin", "vera"])
        #expect(list.record(named: "carl")?.username == "carl")
        list.filter.text = ""
        list.refilter()
        #expect(Self.visibleNames(list) == ["anna", "bert", "carl", "erin", "vera"])
    }
}

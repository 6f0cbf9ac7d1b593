import Testing
@testable import Unify

@Suite("Projections: which rules an event meets")
struct RuleBookTests {
    private func event(_ name: String?) -> Event {
        Event(id: "e1", kind: .track, name: name, time: Timestamp(millisecondsSince1970: 0))
    }

    @Test func anEventNameMeetsARuleWhateverItsCase() {
        var book = RuleBook()
        let orders = book.add([EventRule(events: ["order completed"])])
        let written = book.add([EventRule(events: ["Order Completed"])])
        for name in ["order completed", "Order Completed", "ORDER COMPLETED"] {
            #expect(orders.isMet(by: book.matches(event(name))), "\(name)")
            #expect(written.isMet(by: book.matches(event(name))), "\(name)")
        }
        #expect(!orders.isMet(by: book.matches(event("order refunded"))))
        #expect(!orders.isMet(by: book.matches(event(nil))))
    }

    /// Rule ids past the first 64 are kept apart from the bits of the first ones.
    @Test func aBookOfMoreThanSixtyFourRulesTellsThemApart() {
        var book = RuleBook()
        let sets = (0..<70).map { book.add([EventRule(events: ["step \($0)"])]) }
        let unnamed = book.add([EventRule(kinds: ["track"])])
        for index in [0, 63, 64, 69] {
            let matched = book.matches(event("step \(index)"))
            #expect(sets.indices.filter { sets[$0].isMet(by: matched) } == [index])
            #expect(unnamed.isMet(by: matched))
        }
    }
}

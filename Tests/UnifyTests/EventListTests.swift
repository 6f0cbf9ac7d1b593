import Testing
@testable import Unify

@Suite("A customer's list of events")
struct EventListTests {
    @Test func eventsArriveInAnyOrderAndAreListedInTimeOrder() {
        var list = EventList()
        for (time, seq) in [(30, 3), (10, 1), (20, 2), (20, 9), (-5, 7)] as [(Int64, Int64)] {
            list.insert(time: time, seq: seq)
        }
        #expect(list.entries.map(\.seq) == [7, 1, 2, 9, 3])
        #expect(list.count == 5)
    }

    @Test func aListReadsBackFromItsBytes() {
        let list = EventList([(1_735_689_600_000, 1), (1_735_689_600_000, 2), (1_800_000_000_000, 1 << 40)])
        let read = EventList(bytes: list.bytes)
        #expect(read == list)
        #expect(read.seqs == [1, 2, 1 << 40])
        var extended = read
        extended.insert(time: 1_900_000_000_000, seq: 5)
        #expect(extended.seqs == [1, 2, 1 << 40, 5])
    }

    @Test func theUnionOfTwoCustomersListsIsInTimeOrder() {
        var first = EventList([(10, 1), (40, 4)])
        first.formUnion(EventList([(20, 2), (50, 5)]))
        #expect(first.seqs == [1, 2, 4, 5])
        var later = EventList([(10, 1)])
        later.formUnion(EventList([(20, 2), (30, 3)]))
        #expect(later.seqs == [1, 2, 3])
        var empty = EventList()
        empty.formUnion(later)
        #expect(empty == later)
    }
}

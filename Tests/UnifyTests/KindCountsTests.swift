import Testing
@testable import Unify

@Suite("Identity: how many identifiers of each kind a customer holds")
struct KindCountsTests {
    private func counts(_ kinds: [String]) -> KindCounts {
        var counts = KindCounts()
        for kind in kinds { counts[Identifier.Kind(stored: kind)] += 1 }
        return counts
    }

    /// The stored `identifier_counts` must not depend on the order identifiers were attached.
    @Test func countsAreTheSameAndWrittenTheSameWhateverTheOrderOfAttaching() {
        let one = counts(["user_id", "email", "phone", "email", "anonymous_id", "loyalty_id"])
        let other = counts(["loyalty_id", "anonymous_id", "email", "phone", "email", "user_id"])
        #expect(one == other)
        #expect(one.hashValue == other.hashValue)
        let json = String(decoding: SQLiteIdentityStorage.json(counts: one), as: UTF8.self)
        #expect(json == #"{"anonymous_id":1,"email":2,"loyalty_id":1,"phone":1,"user_id":1}"#)
        #expect(SQLiteIdentityStorage.json(counts: one) == SQLiteIdentityStorage.json(counts: other))
        #expect(String(decoding: SQLiteIdentityStorage.json(counts: KindCounts()), as: UTF8.self) == "{}")
    }
}

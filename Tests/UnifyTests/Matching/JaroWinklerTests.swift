import Testing
@testable import Unify

extension Matching {
    @Suite("Jaro–Winkler similarity")
    struct JaroWinklerTests {
        @Test(arguments: [
            ("MARTHA", "MARHTA", 0.961), ("DWAYNE", "DUANE", 0.840), ("DIXON", "DICKSONX", 0.813),
            ("JELLYFISH", "SMELLYFISH", 0.896),
        ])
        func publishedValuesAreReproduced(a: String, b: String, expected: Double) {
            // Given two strings with published Jaro–Winkler values (Winkler 1990; jellyfish)
            // When their similarity is computed
            let similarity = JaroWinkler.similarity(a, b)
            // Then it matches to three decimals
            #expect(abs(similarity - expected) < 0.0005)
        }

        @Test(arguments: [("MARTHA", "MARHTA"), ("DWAYNE", "DUANE"), ("dupuis", "dupuy"), ("abcab", "bacba"), ("aab", "abaa")])
        func similarityDoesNotDependOnArgumentOrder(a: String, b: String) {
            #expect(JaroWinkler.similarity(a, b) == JaroWinkler.similarity(b, a))
        }

        @Test func equalStringsAreOneAndDisjointStringsAreZero() {
            #expect(JaroWinkler.similarity("lefevre", "lefevre") == 1)
            #expect(JaroWinkler.similarity("abc", "xyz") == 0)
        }

        @Test func emptyStringsAreEqualOnlyToEachOther() {
            #expect(JaroWinkler.similarity("", "") == 1)
            #expect(JaroWinkler.similarity("", "jean") == 0)
        }

        @Test func commonPrefixRaisesSimilarityOnlyAboveTheBoostThreshold() {
            // Given pairs with the same Jaro similarity, one sharing its first letters
            let shared = JaroWinkler.similarity("dupont", "dupond")
            let unshared = JaroWinkler.similarity("tupond", "dupond")
            // Then the shared prefix scores higher
            #expect(shared > unshared)
            // And a pair below 0.7 gets no prefix bonus: Jaro of "ab…" pairs stays as it is
            let low = JaroWinkler.similarity("abcdefgh", "abzzzzzz")
            #expect(abs(low - (2.0 / 8 + 2.0 / 8 + 1) / 3) < 1e-9)
        }

        @Test func namesLongerThanAStackBufferStillCompare() {
            let long = String(repeating: "abcdefghij", count: 30)
            #expect(JaroWinkler.similarity(long, long + "x") > 0.99)
        }
    }
}

import Testing
@testable import Unify

extension Matching {
    @Suite("Comparing cities")
    struct CityComparisonTests {
        private func level(_ a: String, _ b: String) -> MatchLevel {
            CityComparison.compare(MatchRecord(cities: [a]).cities, MatchRecord(cities: [b]).cities)
        }

        @Test(arguments: [
            ("Saint-Étienne", "ST ETIENNE CEDEX 2"), ("Paris 11e", "Paris"), ("Lyon 3ème", "LYON"), ("Brussel", "Bruxelles"),
            ("Genève", "Genf"), ("Boulogne s/ Mer", "Boulogne-sur-Mer"),
        ])
        func spellingsOfOneTownAreExact(a: String, b: String) {
            #expect(level(a, b) == .exact)
        }

        @Test func typoInATownIsSimilar() {
            #expect(level("Marseille", "Marseilles") == .similar)
        }

        @Test func sharingSaintDoesNotMakeTownsSimilar() {
            #expect(level("Saint-Denis", "Saint-Genis") == .mismatch)
        }

        @Test func differentTownsMismatch() {
            #expect(level("Lyon", "Lille") == .mismatch)
        }

        @Test func cityCountsOnlyWhenAPostcodeIsMissing() {
            // Given two records in one town, with and without postcodes
            let withPostcodes = ComparisonVector(
                comparing: MatchRecord(postcodes: ["69003"], cities: ["Lyon"]), MatchRecord(postcodes: ["69003"], cities: ["Lyon"])
            )
            let oneWithout = ComparisonVector(
                comparing: MatchRecord(postcodes: ["69003"], cities: ["Lyon"]), MatchRecord(cities: ["Lyon"])
            )
            // Then the city is left out when both postcodes speak for it
            #expect(withPostcodes[.postcode] == .exact)
            #expect(withPostcodes[.city] == .missing)
            #expect(oneWithout[.city] == .exact)
        }
    }
}

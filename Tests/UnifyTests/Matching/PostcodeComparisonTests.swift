import Testing
@testable import Unify

extension Matching {
    @Suite("Comparing postcodes")
    struct PostcodeComparisonTests {
        private func level(_ a: String, _ b: String, countries: (String?, String?) = (nil, nil)) -> MatchLevel {
            PostcodeComparison.compare(
                MatchRecord(postcodes: [a], country: countries.0).postcodes,
                MatchRecord(postcodes: [b], country: countries.1).postcodes
            )
        }

        @Test func sameCodeWrittenDifferentlyIsExact() {
            #expect(level("75011", "F-75011") == .exact)
            #expect(level("sw1a 1aa", "SW1A1AA") == .exact)
        }

        @Test func frenchCodeThatLostItsLeadingZeroGetsItBack() {
            #expect(level("6000", "06000", countries: ("France", "FR")) == .exact)
            // Without a country, four digits may be Belgian: they stay as written
            #expect(level("6000", "06000") == .mismatch)
        }

        @Test func sameSectorIsSameDistrict() {
            #expect(level("75011", "75012") == .sameDistrict)
        }

        @Test func sameDepartementIsSameRegion() {
            #expect(level("69003", "69130") == .sameRegion)
        }

        @Test func codesOfDifferentLengthsOrCountriesOnlyMatchWhole() {
            #expect(level("7500", "75001") == .mismatch)
            #expect(level("1000", "1000", countries: ("BE", "CH")) == .mismatch)
        }

        @Test func placeholdersAreNoPostcode() {
            #expect(Postcode("00000") == nil)
            #expect(Postcode("99999") == nil)
            #expect(level("00000", "75011") == .missing)
        }
    }
}

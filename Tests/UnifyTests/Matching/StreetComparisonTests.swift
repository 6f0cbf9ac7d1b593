import Testing
@testable import Unify

extension Matching {
    @Suite("Reading and comparing streets")
    struct StreetComparisonTests {
        private func level(_ a: String, _ b: String) -> MatchLevel {
            StreetComparison.compare(MatchRecord(streets: [a]).streets, MatchRecord(streets: [b]).streets)
        }

        @Test(arguments: [
            ("145 bis, Av. du Général-Leclerc", "145 bis avenue leclerc"), ("145bis avenue du general leclerc", "145 bis avenue leclerc"),
            ("Rue de la Loi 16", "16 rue loi"), ("Bahnhofstr. 12", "12 strasse bahnhof"), ("12 r de la paix apt 5", "12 rue paix"),
            ("3 b rue Saint-Michel", "3 bis rue michel"), ("7 ch. des Vignes", "7 chemin vignes"), ("4 chée de Waterloo", "4 chaussee waterloo"),
        ])
        func streetLinesAreReadIntoNumberTypeAndName(written: String, expected: String) {
            #expect(StreetAddress(written)?.description == expected)
        }

        @Test func linesWithoutAStreetNameAreNoStreet() {
            #expect(StreetAddress("12") == nil)
            #expect(StreetAddress("rue") == nil)
        }

        @Test func abbreviatedAndSpelledOutStreetsAreExact() {
            #expect(level("12 bd Saint-Germain", "12 Boulevard St Germain") == .exact)
            #expect(level("8, rue de l'Église", "8 r eglise") == .exact)
        }

        @Test func bisNumberAgainstThePlainNumberIsSameNumberSimilarStreet() {
            #expect(level("145 avenue Victor Hugo", "145bis av. Victor-Hugo") == .sameNumberSimilarStreet)
        }

        @Test func bisAgainstTerIsAnotherDoorOfTheSameStreet() {
            #expect(level("145 bis avenue Victor Hugo", "145 ter avenue Victor Hugo") == .sameStreetOtherNumber)
        }

        @Test func anotherTypeOrAMissingWordWithTheSameNumberIsSimilar() {
            #expect(level("12 rue Victor Hugo", "12 avenue Victor Hugo") == .sameNumberSimilarStreet)
            #expect(level("12 rue Jean Jaurès", "12 rue Jaures") == .sameNumberSimilarStreet)
            #expect(level("12 rue de la Republique", "12 rue de la Republiqe") == .sameNumberSimilarStreet)
        }

        @Test func sameStreetWithAnotherOrNoNumberIsSameStreetOtherNumber() {
            #expect(level("12 rue Victor Hugo", "40 rue Victor Hugo") == .sameStreetOtherNumber)
            #expect(level("rue Victor Hugo", "40 rue Victor Hugo") == .sameStreetOtherNumber)
        }

        @Test func differentStreetsMismatchEvenWhenBothAreSaints() {
            #expect(level("12 boulevard Saint-Michel", "12 rue Saint-Jacques") == .mismatch)
            #expect(level("12 rue de Paris", "12 rue de Lyon") == .mismatch)
        }

        @Test func aMissingStreetIsMissing() {
            #expect(StreetComparison.compare([], MatchRecord(streets: ["12 rue de Paris"]).streets) == .missing)
        }
    }
}

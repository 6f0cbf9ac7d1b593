import Testing
@testable import Unify

extension Matching {
    @Suite("Splitting full names")
    struct FullNameTests {
        @Test(arguments: [
            ("Jean Dupont", "Jean", "Dupont"), ("Dupont, Jean", "Jean", "Dupont"), ("DUPONT Jean", "Jean", "DUPONT"),
            ("Jean-Pierre DE LA FONTAINE", "Jean-Pierre", "DE LA FONTAINE"), ("Jean de la Fontaine", "Jean", "de la Fontaine"),
            ("M. Jean DUPONT", "Jean", "DUPONT"), ("Mme Marie Martin", "Marie", "Martin"), ("J. Dupont", "J.", "Dupont"),
        ])
        func fullNamesSplitIntoFirstAndLast(written: String, first: String, last: String) {
            let split = FullName.split(written)
            #expect(split.first == first)
            #expect(split.last == last)
        }

        @Test func aSingleWordIsALastName() {
            let split = FullName.split("Dupont")
            #expect(split.first == nil)
            #expect(split.last == "Dupont")
        }
    }
}

import Testing
@testable import Unify

extension Matching {
    @Suite("Comparing names")
    struct NameComparisonTests {
        private func firstNameLevel(_ a: String, _ b: String) -> MatchLevel {
            NameComparison.firstNames(of: MatchRecord(firstNames: [a]), MatchRecord(firstNames: [b]))
        }

        private func lastNameLevel(_ a: String, _ b: String) -> MatchLevel {
            NameComparison.lastNames(of: MatchRecord(lastNames: [a]), MatchRecord(lastNames: [b]))
        }

        @Test(arguments: [("KÉVIN", "Kevin"), ("Jean-Pierre", "jean pierre"), ("Jeanpierre", "Jean Pierre"), ("Hélène", "HELENE")])
        func namesEqualOnceFoldedAreExact(a: String, b: String) {
            #expect(firstNameLevel(a, b) == .exact)
        }

        @Test func swappedFirstAndLastNamesCompareAsSwapped() {
            // Given a form that put the last name in the first-name box, and the reverse
            let web = MatchRecord(firstNames: ["Jean"], lastNames: ["Dupont"])
            let till = MatchRecord(firstNames: ["DUPONT"], lastNames: ["Jean"])
            // When their names are compared
            // Then the first names say swapped and the last names say nothing more, in either order
            #expect(NameComparison.levels(of: web, till) == (.swapped, .missing))
            #expect(NameComparison.levels(of: till, web) == (.swapped, .missing))
        }

        @Test func aSwapWeighsLessThanTwoExactNames() {
            let web = MatchRecord(firstNames: ["Jean"], lastNames: ["Dupont"])
            let swapped = MatchModel.default.score(web, MatchRecord(firstNames: ["Dupont"], lastNames: ["Jean"]))
            let exact = MatchModel.default.score(web, web)
            #expect(swapped.evidenceWeight > 5)
            #expect(swapped.evidenceWeight < exact.evidenceWeight)
        }

        @Test func swapToleratesATypoButNotAMismatch() {
            let web = MatchRecord(firstNames: ["Christophe"], lastNames: ["Lefebvre"])
            #expect(NameComparison.firstNames(of: web, MatchRecord(firstNames: ["Lefebvres"], lastNames: ["Christophe"])) == .swapped)
            #expect(NameComparison.firstNames(of: web, MatchRecord(firstNames: ["Lefebvre"], lastNames: ["Marc"])) == .mismatch)
        }

        @Test(arguments: [("Jean-Pierre", "Jean"), ("Jean", "Jean Pierre"), ("Pierre Jean", "Jean-Pierre"), ("Marie-Christine", "Christine")])
        func partOfACompoundFirstNameIsCompound(a: String, b: String) {
            #expect(firstNameLevel(a, b) == .compound)
        }

        @Test func partOfADoubleLastNameIsCompound() {
            #expect(lastNameLevel("Dupont-Martin", "Martin") == .compound)
            #expect(lastNameLevel("de la Fontaine", "Fontaine") == .compound)
        }

        @Test(arguments: [("Alexandre", "Alex"), ("Christophe", "Chris"), ("Nicolas", "Nico"), ("Catherine", "Cathy"), ("Élisabeth", "Lisa"), ("Jean", "John")])
        func shortFormsAreNicknames(a: String, b: String) {
            #expect(firstNameLevel(a, b) == .nickname)
            #expect(firstNameLevel(b, a) == .nickname)
        }

        @Test(arguments: [("Nathalie", "Nath"), ("Florence", "Flo"), ("Florian", "Flo"), ("Mohamed", "Med"), ("Benoît", "Ben"),
                          ("Valérie", "Val"), ("Mickaël", "Mika"), ("Jean-Pierre", "JP"), ("Caroline", "Caro")])
        func commonFrenchShortFormsAreNicknames(a: String, b: String) {
            #expect(firstNameLevel(a, b) == .nickname)
            #expect(firstNameLevel(b, a) == .nickname)
        }

        @Test func aShortFormOfTwoNamesDoesNotMakeThemNicknamesOfEachOther() {
            #expect(firstNameLevel("Florence", "Florian") != .nickname)
            #expect(firstNameLevel("Clément", "Clémence") != .nickname)
        }

        @Test func nicknameGroupsFitTheirBitmask() {
            #expect(Nicknames.table.count <= NicknameGroups.capacity)
            #expect(Nicknames.table.count > 64, "groups past the first word are tested too")
            #expect(Nicknames.areNicknames("Youcef", "Youssef"))
            #expect(Nicknames.areNicknames("ALEX", "Alexandra"))
            #expect(!Nicknames.areNicknames("Alexandre", "Nicolas"))
        }

        @Test(arguments: [("Denis", "Denise"), ("Julien", "Julie"), ("Daniel", "Danielle"), ("Stéphane", "Stéphanie"),
                          ("Frédéric", "Frédérique"), ("Laurent", "Laurence"), ("Christian", "Christine"), ("LOUIS", "Louise"),
                          ("Jean", "Jeanne"), ("Michel", "Michelle"), ("Alexandre", "Alexandra"), ("Antoine", "Antoinette")])
        func masculineAndFeminineFormsOfOneNameMismatch(a: String, b: String) {
            // Jaro–Winkler finds them similar (denis/denise 0.97), but they are two people
            #expect(JaroWinkler.similarity(FoldedText.fold(a), FoldedText.fold(b)) >= NameComparison.closeThreshold)
            #expect(firstNameLevel(a, b) == .mismatch)
            #expect(firstNameLevel(b, a) == .mismatch)
        }

        @Test func typosThatAreNoFeminineFormStaySimilar() {
            #expect(firstNameLevel("Sébastien", "Sebastein") == .similar)
            #expect(firstNameLevel("Marie", "Marine") == .similar)
            #expect(firstNameLevel("Frédéric", "Frédérc") == .similar)
            #expect(FirstNameCounterparts.areCounterparts(Array("ana".utf8), Array("an".utf8)) == false, "a common beginning of three letters at least")
        }

        @Test func aFirstNameTypoWithLastNameAndPostcodeReachesTheDefaultThreshold() {
            // Given two till receipts of one person, one with a typo in the first name
            let receipt = MatchRecord(firstNames: ["Sébastien"], lastNames: ["Morel"], postcodes: ["69003"])
            let typo = MatchRecord(firstNames: ["Sebastein"], lastNames: ["Morel"], postcodes: ["69003"])
            // Then the pair links at the default threshold, now that a similar first name is no
            // longer mostly a brother's or sister's name
            let score = MatchModel.default.score(receipt, typo)
            #expect(score.comparison[.firstName] == .similar)
            #expect(score.weight >= MatchingPolicy().threshold)
            // And without the postcode it does not
            let noPlace = MatchModel.default.score(MatchRecord(firstNames: ["Sébastien"], lastNames: ["Morel"]),
                                                   MatchRecord(firstNames: ["Sebastein"], lastNames: ["Morel"]))
            #expect(noPlace.weight < MatchingPolicy().threshold)
        }

        @Test func relativesWithCounterpartFirstNamesAreHeldBack() {
            // Given a brother's and a sister's records at one address
            let denis = MatchRecord(firstNames: ["Denis"], lastNames: ["Morel"], postcodes: ["69003"], streets: ["4 rue Garibaldi"])
            let denise = MatchRecord(firstNames: ["Denise"], lastNames: ["Morel"], postcodes: ["69003"], streets: ["4 rue Garibaldi"])
            // Then their first names mismatch, which the rule on relatives holds back
            let score = MatchModel.default.score(denis, denise)
            #expect(score.comparison[.firstName] == .mismatch)
            #expect(RecordLinker.relativesDisagreement(score.comparison, denis, denise) == .firstName)
        }

        @Test func nicknamesDoNotApplyToLastNames() {
            #expect(lastNameLevel("Nicolas", "Nico") != .nickname)
        }

        @Test(arguments: [("J.", "Jean"), ("j", "Jean-Pierre"), ("J.-P.", "Jean-Pierre"), ("J P", "Jean")])
        func agreeingInitialsCompareAsInitial(a: String, b: String) {
            #expect(firstNameLevel(a, b) == .initial)
        }

        @Test func equalInitialsAreAnInitialNotExact() {
            #expect(firstNameLevel("J.", "j") == .initial)
        }

        @Test func disagreeingInitialsMismatch() {
            #expect(firstNameLevel("M.", "Jean") == .mismatch)
        }

        @Test func typoInALongNameIsSimilar() {
            #expect(firstNameLevel("Christophe", "Christohpe") == .similar)
            #expect(lastNameLevel("Lefebvre", "Lefebre") == .similar)
        }

        @Test func nearMissInAShortNameIsClose() {
            // Jaro–Winkler of jean/jen is 0.93: under the similar threshold, over the close one
            #expect(firstNameLevel("Jean", "Jen") == .close)
        }

        @Test func lastNamesThatSoundAlikeArePhonetic() {
            #expect(lastNameLevel("Dupuis", "Dupuy") == .phonetic)
            #expect(lastNameLevel("Meyer", "Meier") == .phonetic)
        }

        @Test func unrelatedNamesMismatch() {
            #expect(firstNameLevel("Jean", "Marc") == .mismatch)
            #expect(lastNameLevel("Dupont", "Garcia") == .mismatch)
        }

        @Test func aMissingNameOnEitherSideIsMissing() {
            #expect(firstNameLevel("Jean", "") == .missing)
            #expect(NameComparison.firstNames(of: MatchRecord(), MatchRecord(firstNames: ["Jean"])) == .missing)
        }

        @Test func placeholderNamesAreNoNames() {
            #expect(MatchName("XXX") == nil)
            #expect(MatchName("Inconnu") == nil)
            #expect(MatchName("n/a") == nil)
            #expect(firstNameLevel("test", "test") == .missing)
        }

        @Test func bestPairOfValuesWins() {
            // Given a customer seen as Jean and as Jean-Pierre, and another record of Jean-Pierre
            let a = MatchRecord(firstNames: ["Jean", "Jean-Pierre"])
            let b = MatchRecord(firstNames: ["Marc", "jean pierre"])
            // Then the exact pair decides
            #expect(NameComparison.firstNames(of: a, b) == .exact)
        }
    }
}

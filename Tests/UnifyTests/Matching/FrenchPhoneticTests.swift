import Testing
@testable import Unify

extension Matching {
    @Suite("French phonetic code")
    struct FrenchPhoneticTests {
        @Test(arguments: [
            ("Dupuis", "Dupuy"), ("Lefèvre", "Lefebvre"), ("Meyer", "Meier"), ("Meyer", "Mayer"), ("Rousseau", "Rousseaux"),
            ("Gauthier", "Gautier"), ("Dupont", "Dupond"), ("Schmidt", "Schmitt"), ("Laurent", "Laurant"), ("Philippe", "Filipe"),
            ("Moreau", "Moreaux"), ("Lemaire", "Lemerre"), ("De la Fontaine", "Delafontaine"), ("Thomas", "Tomas"),
        ])
        func namesThatSoundAlikeShareACode(a: String, b: String) {
            #expect(FrenchPhonetic.code(a) == FrenchPhonetic.code(b))
            #expect(!FrenchPhonetic.code(a).isEmpty)
        }

        @Test(arguments: [("Dupont", "Durand"), ("Martin", "Morel"), ("Bernard", "Girard"), ("Lambert", "Laurent"), ("Petit", "Robert")])
        func namesThatSoundDifferentKeepDifferentCodes(a: String, b: String) {
            #expect(FrenchPhonetic.code(a) != FrenchPhonetic.code(b))
        }

        @Test func codesReadSoundsNotLetters() {
            #expect(FrenchPhonetic.code("Christophe") == "kristof")
            #expect(FrenchPhonetic.code("Girard") == "jirar")
            #expect(FrenchPhonetic.code("1234") == "")
        }
    }
}

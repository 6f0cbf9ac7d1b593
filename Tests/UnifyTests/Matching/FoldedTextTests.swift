import Testing
@testable import Unify

extension Matching {
    @Suite("Folding text for matching")
    struct FoldedTextTests {
        @Test(arguments: [
            ("KÉVIN", "kevin"), ("Müller", "muller"), ("Œuvre", "oeuvre"), ("Straße", "strasse"), ("Łódź", "lodz"),
            ("Æsir", "aesir"), ("Ñandú", "nandu"), ("Ｆｕｌｌ", "full"), ("ﬁne", "fine"), ("Ελένη", "ελενη"),
            ("e\u{0301}cole", "ecole"),
        ])
        func accentsAreRemovedAndCaseIsFolded(written: String, expected: String) {
            #expect(FoldedText.folded(written) == expected)
        }

        @Test func punctuationAndHyphensSeparateTokensAndWhitespaceCollapses() {
            #expect(FoldedText.folded("  Jean-Pierre   O'Brien, Jr. ") == "jean pierre o brien jr")
            #expect(FoldedText.tokens("l’Église St-Jean") == ["l", "eglise", "st", "jean"])
        }

        @Test func textWithoutLettersOrDigitsFoldsToNothing() {
            #expect(FoldedText.fold(" - ' . ").isEmpty)
        }
    }
}

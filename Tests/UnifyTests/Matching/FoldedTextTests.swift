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

        @Test func latinTableFoldsEveryScalarAsDecompositionDoes() {
            // Every scalar the table covers, alone, between letters, beside separators and
            // after a letter it could combine with.
            for value in UInt32(0x80) ..< 0x370 {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let c = String(Character(scalar))
                for text in [c, "x\(c)y", "\(c) ab", "Ab-\(c)", "e\(c)\(c)", "\(c)É\(c)"] {
                    #expect(FoldedText.fold(text) == FoldedText.foldDecomposing(text), "U+\(String(value, radix: 16)) in \(text)")
                }
            }
        }

        @Test func latinTableMatchesDecompositionOnRealNames() {
            let names = ["Hélène Lefèvre-Dupuis", "Ægir Þórsson", "Zoë d’Aubigné", "Çağla Öztürk", "Ŀlívia ŉ", "½ rue",
                         "Straße 3ª", "Mª José", "Dvořák", "Ǆemal"]
            for name in names { #expect(FoldedText.fold(name) == FoldedText.foldDecomposing(name), "\(name)") }
        }
    }
}

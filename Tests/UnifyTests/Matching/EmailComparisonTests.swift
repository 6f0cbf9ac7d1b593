import Testing
@testable import Unify

extension Matching {
    @Suite("Comparing email local parts")
    struct EmailComparisonTests {
        private func level(_ a: String, _ b: String) -> MatchLevel {
            EmailComparison.compare(MatchRecord(emails: [a]).emailLocalParts, MatchRecord(emails: [b]).emailLocalParts)
        }

        @Test func sameLocalPartAtAnotherProviderIsExact() {
            #expect(level("Jean.Dupont+promo@gmail.com", "jean_dupont@orange.fr") == .exact)
            #expect(level("hélène.müller@example.ch", "helene.muller@example.com") == .exact)
        }

        @Test func nearMissIsSimilar() {
            #expect(level("jean.dupont@gmail.com", "jean.dupond@orange.fr") == .similar)
        }

        @Test func unrelatedLocalPartsMismatch() {
            #expect(level("jean.dupont@gmail.com", "marc.leroy@gmail.com") == .mismatch)
        }

        @Test(arguments: ["contact@shop.fr", "info@example.com", "j***@gmail.com", "jd@gmail.com", "not an email"])
        func roleMaskedOrShortLocalPartsAreNoValue(email: String) {
            #expect(EmailLocalPart(email: email) == nil)
        }
    }
}

import Testing
@testable import Unify

extension Matching {
    @Suite("A record's stored form")
    struct MatchRecordSourceTests {
        @Test func readsBackEveryFieldAsWritten() throws {
            let traits: JSONObject = [
                "firstName": "Hélène", "lastName": "Lefèvre-Dupuis", "birthday": "1980-02-29", "postcode": "42100",
                "address": .object(["street": "12 bis, Av. du Général-Leclerc", "city": "Saint-Étienne",
                                    "postalCode": "42000", "country": "FR"]),
            ]
            let written = MatchRecordSource(traits: traits, phones: ["+33612345678"],
                                            emails: ["helene.lefevre@example.fr", "hl@example.com"])
            let read = try #require(MatchRecordSource(stored: written.stored))
            #expect(read == written)
            #expect(read.postcodes == ["42000", "42100"])
            #expect(read.record == written.record)
        }

        @Test func emptyFieldsAndNoCountryStayEmpty() throws {
            let written = MatchRecordSource(traits: ["lastName": "Martin", "postalCode": .number("75011")], phones: [], emails: [])
            let read = try #require(MatchRecordSource(stored: written.stored))
            #expect(read == written)
            #expect(read.firstNames.isEmpty && read.birthdays.isEmpty && read.country == nil)
        }

        @Test func separatorsInValuesAreDroppedNotMisread() throws {
            let written = MatchRecordSource(traits: ["firstName": "Jean\u{1E}Marc", "lastName": "Du\u{1F}pont"], phones: [], emails: [])
            let read = try #require(MatchRecordSource(stored: written.stored))
            #expect(read.firstNames == ["JeanMarc"])
            #expect(read.lastNames == ["Dupont"])
        }

        @Test(arguments: ["", "a\u{1E}b", "too\u{1E}few\u{1E}fields"])
        func malformedStoredFormIsNoRecord(stored: String) {
            #expect(MatchRecordSource(stored: stored) == nil)
        }
    }
}

import Testing
@testable import Unify

extension Matching {
    @Suite("Building match records")
    struct MatchRecordTests {
        @Test func segmentReservedTraitsAreRead() {
            // Given an identify call's traits with a nested address
            let traits: JSONObject = [
                "firstName": "Kévin", "lastName": "DUPUIS", "birthday": "1985-07-14",
                "address": .object([
                    "street": "12 bd Saint-Germain", "city": "Paris 5e", "postalCode": "75005", "country": "France",
                ]),
            ]
            // When a record is built from them
            let record = MatchRecord(traits: traits, phones: ["+33612457890"], emails: ["kevin.dupuis@example.com"])
            // Then every field is read and normalised
            #expect(record.firstNames.map(\.description) == ["kevin"])
            #expect(record.lastNames.map(\.description) == ["dupuis"])
            #expect(record.birthdays.map(\.description) == ["1985-07-14"])
            #expect(record.postcodes.map(\.description) == ["75005"])
            #expect(record.cities.map(\.description) == ["paris"])
            #expect(record.streets.map(\.description) == ["12 boulevard germain"])
            #expect(record.phones.map(\.description) == ["+33612457890"])
            #expect(record.emailLocalParts.map(\.description) == ["kevindupuis"])
            #expect(record.country == "FR")
        }

        @Test func topLevelAddressTraitsAndNumericPostcodesAreRead() {
            let traits: JSONObject = ["name": "DUPONT Marie", "postcode": .number("6000"), "city": "Nice", "country": "FR"]
            let record = MatchRecord(traits: traits, phones: [], emails: [])
            #expect(record.firstNames.map(\.description) == ["marie"])
            #expect(record.lastNames.map(\.description) == ["dupont"])
            #expect(record.postcodes.map(\.description) == ["06000"])
        }

        @Test func fullNameFillsOnlyTheAbsentPart() {
            let traits: JSONObject = ["firstName": "Jean-Pierre", "name": "Jean-Pierre Martin"]
            let record = MatchRecord(traits: traits, phones: [], emails: [])
            #expect(record.firstNames.map(\.description) == ["jean pierre"])
            #expect(record.lastNames.map(\.description) == ["martin"])
        }

        @Test func traitsOfAnUnexpectedTypeAreIgnored() {
            let traits: JSONObject = ["firstName": true, "lastName": .array([]), "birthday": "soon"]
            let record = MatchRecord(traits: traits, phones: [], emails: [])
            #expect(record.isEmpty)
        }

        @Test func mergingAddsNewValuesAfterTheOwnOnesOnce() {
            // Given a customer seen twice, with one new spelling and one repeated value
            var record = MatchRecord(lastNames: ["Lefèvre"], postcodes: ["75011"])
            // When the second record is merged in
            record.merge(MatchRecord(lastNames: ["LEFEVRE", "Lefebvre"], postcodes: ["75 011"]))
            // Then each value is held once, in order of arrival
            #expect(record.lastNames.map(\.description) == ["lefevre", "lefebvre"])
            #expect(record.postcodes.count == 1)
        }

        @Test func mergingKeepsTheFirstCountryGiven() {
            var record = MatchRecord(lastNames: ["Peeters"])
            record.merge(MatchRecord(country: "Belgique"))
            record.merge(MatchRecord(country: "France"))
            #expect(record.country == "BE")
        }

        @Test(arguments: [("France", "FR"), ("fra", "FR"), ("Belgique", "BE"), ("België", "BE"), ("Schweiz", "CH"), ("Suisse", "CH"), ("Atlantis", "ATLANTIS")])
        func countriesAreReadAsCodes(written: String, code: String) {
            #expect(CountryCode.normalise(written) == code)
        }

        @Test func eachFieldKeepsAtMostItsLimitOfValues() {
            let names = (0..<20).map { "Name\($0)" }
            let record = MatchRecord(lastNames: names)
            #expect(record.lastNames.count == MatchRecord.maximumValuesPerField)
            #expect(record.lastNames.first?.description == "name0")
        }
    }
}

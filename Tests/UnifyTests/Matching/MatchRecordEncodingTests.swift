import Testing
@testable import Unify

extension Matching {
    /// The normalised form the store keeps of each record: read back, it is the record that
    /// normalising the values as written makes, and bytes it cannot trust give no record.
    @Suite("Match records kept normalised")
    struct MatchRecordEncodingTests {
        /// Records that exercise every field and every kind of value a normaliser makes.
        static let records: [MatchRecord] = [
            MatchRecord(firstNames: ["Jean-Pierre"], lastNames: ["Le Gall"], birthdays: ["1980-03-12"], postcodes: ["29200"],
                        cities: ["St-Pierre-des-Corps"], streets: ["145 bis, Av. du Général-Leclerc"],
                        phones: ["+33612457890"], emails: ["Jean.Pierre+promo@gmail.com"], country: "France"),
            MatchRecord(firstNames: ["J.-P.", "Kévin"], lastNames: ["MÜLLER", "Mueller"], birthdays: ["1975-06", "1990"],
                        postcodes: ["6000", "CH-1201"], cities: ["Genève", "Paris 11e"], streets: ["Bahnhofstr. 12", "Rue de la Loi 16"],
                        phones: ["+41 79 123 45 67", "0470 12 34 56"], emails: ["k.muller@example.ch"], country: "CH"),
            MatchRecord(names: ["DUPONT Marie"], postcodes: ["75011"]),
            MatchRecord(lastNames: ["Martin"], streets: ["12"]),
            MatchRecord(),
        ]

        @Test func aRecordReadBackIsTheRecordItWas() throws {
            for record in Self.records {
                let encoded = record.encoded
                let decoded = try #require(encoded.withUnsafeBufferPointer(MatchRecord.init(encoded:)), "\(record)")
                #expect(decoded == record)
                // Every field the comparisons read, not only what equality looks at.
                #expect(decoded.streets.map(\.nameHashes) == record.streets.map(\.nameHashes))
                #expect(decoded.streets.map(\.number) == record.streets.map(\.number))
                #expect(decoded.firstNames.map(\.nicknameGroups) == record.firstNames.map(\.nicknameGroups))
                #expect(decoded.cities.map(\.tokenStarts) == record.cities.map(\.tokenStarts))
                #expect(decoded.phones.map(\.lastEightDigits) == record.phones.map(\.lastEightDigits))
                #expect(decoded.country == record.country)
                let model = MatchModel.default
                #expect(model.score(decoded, Self.records[0]) == model.score(record, Self.records[0]))
            }
        }

        @Test func bytesOfAnotherVersionOrCutShortGiveNoRecord() {
            let encoded = Self.records[0].encoded
            var otherVersion = encoded
            otherVersion[0] = UInt8(MatchRecord.encodingVersion + 1)
            #expect(otherVersion.withUnsafeBufferPointer(MatchRecord.init(encoded:)) == nil)
            for length in [0, 1, encoded.count / 2, encoded.count - 1] {
                #expect(Array(encoded.prefix(length)).withUnsafeBufferPointer(MatchRecord.init(encoded:)) == nil, "\(length)")
            }
            #expect((encoded + [0]).withUnsafeBufferPointer(MatchRecord.init(encoded:)) == nil)
            // A length far past the end.
            #expect([UInt8(MatchRecord.encodingVersion), 0xFF, 0xFF, 0xFF, 0x7F].withUnsafeBufferPointer(MatchRecord.init(encoded:)) == nil)
        }

        /// Pins what this ``MatchRecord/encodingVersion`` makes of the records above. When a
        /// normaliser or the layout changes, this fails: raise the version (stores then
        /// normalise their records again) and pin the new digest.
        @Test func theEncodingVersionNamesWhatNormalisingMakes() {
            let digest = Self.records.reduce(TokenHash.of([])) { TokenHash.of($1.encoded, seed: $0) }
            #expect(MatchRecord.encodingVersion == 1)
            #expect(digest == 6_349_896_358_745_827_394, "digest \(digest): if normalising changed, raise MatchRecord.encodingVersion and pin this")
        }
    }
}

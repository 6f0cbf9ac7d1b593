import Foundation
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

        /// Values past the inline capacity of ``CompactBytes`` and ``CompactWords``, and more
        /// values than a field keeps.
        static let longRecords: [MatchRecord] = [
            MatchRecord(firstNames: ["Marie-Christine-Éléonore-Joséphine", "A B C D E", "Jean"],
                        lastNames: ["de la Tour d'Auvergne-Lauraguais", "X"], birthdays: ["1980-03-12"],
                        postcodes: ["75011", "CH-1201"], cities: ["Saint-Germain-en-Laye-sur-Seine-et-Oise", "Paris"],
                        streets: ["145 bis avenue du Maréchal Jean de Lattre de Tassigny Prolongée", "12 rue Oberkampf",
                                  "3 a b c d e f g h"],
                        phones: ["+33612457890", "+41 79 123 45 67 123"],
                        emails: ["marie.christine.eleonore.delatour@example.com"], country: "Allemagne"),
            MatchRecord(firstNames: (0..<12).map { "Prenom\($0)abcdefghijklmnopqrstu" }, lastNames: (0..<12).map { "Nom\($0)" },
                        cities: (0..<12).map { "ville \($0) a b c d" },
                        streets: (0..<12).map { "\($0) rue des grands moulins de la ville \($0)" }),
        ]

        /// The version-1 layout written again by hand from a record's decoded values: equal
        /// bytes mean the reader gave back every value, in its place, as the writer wrote it.
        static func writtenByHand(_ record: MatchRecord) -> [UInt8] {
            var writer = MatchRecordWriter()
            writer.write(MatchRecord.encodingVersion)
            func name(_ writer: inout MatchRecordWriter, _ name: MatchName) {
                writer.write(Array(name.text))
                writer.write(Array(name.squashed))
                writer.write(Array(name.tokenHashes))
                writer.write(Array(name.initials))
                writer.write(name.isInitialsOnly)
                writer.write(name.nicknameGroups.low)
                writer.write(name.nicknameGroups.high)
                writer.write(Array(name.phonetic))
            }
            writer.write(record.firstNames, each: name)
            writer.write(record.lastNames, each: name)
            writer.write(record.birthdays) { writer, birthday in
                writer.write(birthday.year)
                writer.write(birthday.month)
                writer.write(birthday.day)
            }
            writer.write(record.postcodes) { writer, postcode in
                writer.write(Array(postcode.code))
                writer.write(postcode.country)
            }
            writer.write(record.cities) { writer, city in
                writer.write(Array(city.squashed))
                writer.write(Array(city.tokenHashes))
                writer.write(city.tokenStarts.map { Int($0) })
            }
            writer.write(record.streets) { writer, street in
                writer.write(street.number)
                writer.write(Array(street.suffix))
                writer.write(Array(street.type))
                writer.write(street.nameTokens)
                writer.write(Array(street.nameHashes))
            }
            writer.write(record.phones) { writer, phone in
                writer.write(phone.number)
                writer.write(phone.lastEightDigits)
                writer.write(phone.digitCount)
            }
            writer.write(record.emailLocalParts) { writer, local in writer.write(Array(local.text)) }
            writer.write(record.country)
            var bytes = writer.bytes
            withUnsafeBytes(of: TokenHash.of(bytes).littleEndian) { bytes.append(contentsOf: $0) }
            return bytes
        }

        @Test func theValuesReadBackAreTheValuesWritten() throws {
            for record in Self.records + Self.longRecords {
                #expect(Self.writtenByHand(record) == record.encoded)
                let read = try #require(record.encoded.withUnsafeBufferPointer(MatchRecord.init(encoded:)))
                #expect(Self.writtenByHand(read) == record.encoded)
            }
        }

        /// What a record holds is what each normaliser makes of the values as written.
        @Test func aRecordHoldsWhatTheNormalisersMake() throws {
            let record = Self.records[0]
            #expect(record.firstNames == [try #require(MatchName("Jean-Pierre"))])
            #expect(record.lastNames == [try #require(MatchName("Le Gall"))])
            #expect(record.birthdays == [try #require(Birthday("1980-03-12"))])
            #expect(record.postcodes == [try #require(Postcode("29200", country: "FR"))])
            #expect(record.cities == [try #require(CityName("St-Pierre-des-Corps"))])
            #expect(record.streets == [try #require(StreetAddress("145 bis, Av. du Général-Leclerc"))])
            #expect(record.phones == [try #require(MatchPhone("+33612457890"))])
            #expect(record.emailLocalParts == [try #require(EmailLocalPart(email: "Jean.Pierre+promo@gmail.com"))])
            #expect(record.country == "FR")
            let long = Self.longRecords[0]
            #expect(long.firstNames.first == MatchName("Marie-Christine-Éléonore-Joséphine"))
            #expect(long.streets.first == StreetAddress("145 bis avenue du Maréchal Jean de Lattre de Tassigny Prolongée"))
            #expect(long.cities.first == CityName("Saint-Germain-en-Laye-sur-Seine-et-Oise"))
        }

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

        /// `payload` with the checksum ``MatchRecord/encoded`` puts after it.
        static func sealed(_ payload: [UInt8]) -> [UInt8] {
            withUnsafeBytes(of: TokenHash.of(payload).littleEndian) { payload + $0 }
        }

        static func read(_ bytes: [UInt8]) -> MatchRecord? {
            bytes.withUnsafeBufferPointer(MatchRecord.init(encoded:))
        }

        @Test func bytesOfAnotherVersionCutShortOrChangedGiveNoRecord() {
            let encoded = Self.records[0].encoded
            let payload = Array(encoded.dropLast(8))
            #expect(Self.read(Self.sealed(payload)) == Self.records[0])
            // Another version, with a checksum that holds.
            #expect(Self.read(Self.sealed([UInt8(MatchRecord.encodingVersion + 1)] + payload.dropFirst())) == nil)
            for length in 0..<encoded.count {
                #expect(Self.read(Array(encoded.prefix(length))) == nil, "\(length)")
                #expect(Self.read(Self.sealed(Array(payload.prefix(length)))) == nil || length >= payload.count, "\(length)")
            }
            #expect(Self.read(Self.sealed(payload + [0])) == nil)
            var flipped = encoded
            flipped[encoded.count / 2] ^= 0x10
            #expect(Self.read(flipped) == nil)
            // A length far past the end.
            #expect(Self.read(Self.sealed([UInt8(MatchRecord.encodingVersion), 0xFF, 0xFF, 0xFF, 0x7F])) == nil)
        }

        /// Bytes changed behind a checksum that still holds (a layout bug, not a flipped bit)
        /// read as no record, or as one that every comparison and blocking rule can read: a
        /// value that breaks what a normaliser guarantees (an empty name, a town's words past
        /// its end, a birthday in year 2^62) would trap them.
        @Test func changedBytesNeverGiveARecordThatTrapsAComparison() {
            var random = SplitMix64(seed: 7)
            let model = MatchModel.default
            var decoded = 0
            for record in Self.records {
                let payload = Array(record.encoded.dropLast(8))
                for _ in 0..<3_000 {
                    var changed = payload
                    for _ in 0...(random.next() % 3) {
                        let index = 1 + Int(random.next() % UInt64(max(1, changed.count - 1)))
                        if index < changed.count { changed[index] = UInt8(truncatingIfNeeded: random.next()) }
                    }
                    guard let read = Self.read(Self.sealed(changed)) else { continue }
                    decoded += 1
                    for other in Self.records { _ = model.score(read, other) }
                    _ = BlockingKeys.keys(for: read)
                    _ = read.encoded
                }
            }
            // Some changes keep every value readable (a letter of a name): those were compared.
            #expect(decoded > 0)
        }

        /// A sealed payload of one record whose only value is written by `value` into the
        /// field at `position` (0 first names … 7 email local parts).
        static func payload(field position: Int, _ value: (inout MatchRecordWriter) -> Void) -> [UInt8] {
            var writer = MatchRecordWriter()
            writer.write(MatchRecord.encodingVersion)
            for field in 0..<8 {
                writer.write(UInt64(field == position ? 1 : 0))
                if field == position { value(&writer) }
            }
            writer.write(String?.none)
            return sealed(writer.bytes)
        }

        @Test func valuesNoNormaliserMakesGiveNoRecord() {
            // The payload reads when the value is one a normaliser makes.
            #expect(Self.read(Self.payload(field: 4) { CityName("Lyon")!.write(to: &$0) }) != nil)
            // A name without letters or initials: blocking reads its first initial.
            #expect(Self.read(Self.payload(field: 0) { writer in
                for _ in 0..<2 { writer.write([UInt8]()) }
                writer.write([UInt64]())
                writer.write([UInt8]())
                writer.write(false)
                writer.write(UInt64(0))
                writer.write([UInt8]())
            }) == nil)
            // A town whose second word starts past its end.
            #expect(Self.read(Self.payload(field: 4) { writer in
                writer.write(Array("lyon".utf8))
                writer.write([UInt64(1), 2])
                writer.write(UInt64(2))
                writer.write(0)
                writer.write(9)
            }) == nil)
            // A street with more words than word hashes.
            #expect(Self.read(Self.payload(field: 5) { writer in
                writer.write(true)
                writer.write(12)
                writer.write([UInt8]())
                writer.write(Array("rue".utf8))
                writer.write(UInt64(2))
                writer.write(Array("victor".utf8))
                writer.write(Array("hugo".utf8))
                writer.write([UInt64(1)])
            }) == nil)
            // A birthday no calendar holds.
            #expect(Self.read(Self.payload(field: 2) { writer in
                writer.write(Int.max)
                writer.write(2)
                writer.write(30)
            }) == nil)
            // A phone of two digits.
            #expect(Self.read(Self.payload(field: 6) { writer in
                writer.write("+12")
                writer.write(UInt64(0x0203))
                writer.write(2)
            }) == nil)
        }

        /// Pins what this ``MatchRecord/encodingVersion`` makes of the records above and of every
        /// event of the retail fixtures. When a normaliser or the layout changes, this fails:
        /// raise the version (stores then normalise their records again) and pin the new digest.
        @Test func theEncodingVersionNamesWhatNormalisingMakes() throws {
            var digest = Self.records.reduce(TokenHash.of([])) { TokenHash.of($1.encoded, seed: $0) }
            let folder = repositoryRoot.appendingPathComponent("Fixtures/retail")
            var fixtureRecords = 0
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".ndjson") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    guard let event = try? decode(String(line)), !event.traits.isEmpty else { continue }
                    let record = MatchRecord(traits: event.traits, phones: [], emails: [])
                    guard !record.isEmpty else { continue }
                    digest = TokenHash.of(record.encoded, seed: digest)
                    fixtureRecords += 1
                }
            }
            #expect(fixtureRecords > 100)
            #expect(digest == 9_168_018_380_334_042_903, "digest \(digest) over \(fixtureRecords) fixture records: if normalising changed, raise MatchRecord.encodingVersion and pin this")
        }
    }
}

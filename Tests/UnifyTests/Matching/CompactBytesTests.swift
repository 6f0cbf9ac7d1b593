import Testing
@testable import Unify

extension Matching {
    /// The inline storage of normalised values: the same bytes or words whether they fit in
    /// the value or spill to the heap, and equal exactly when their contents are.
    @Suite("Compact bytes and words")
    struct CompactBytesTests {
        /// Every length from empty to well past the inline capacity.
        static let lengths = Array(0...(CompactBytes.inlineCapacity + 17))

        static func bytes(_ count: Int, seed: UInt8 = 0) -> [UInt8] {
            (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11 &+ Int(seed)) }
        }

        @Test(arguments: lengths)
        func bytesReadBackAsGiven(count: Int) {
            let given = Self.bytes(count)
            let compact = CompactBytes(given)
            #expect(compact.count == count)
            #expect(Array(compact) == given)
            #expect(compact.withUnsafeBufferPointer { Array($0) } == given)
            #expect(compact.indices.map { compact[$0] } == given)
            // Built byte by byte (not contiguous), from a slice, from another CompactBytes.
            let byBytes = CompactBytes(given.lazy.map { $0 })
            #expect(byBytes == compact && Array(byBytes) == given)
            #expect(byBytes.hashValue == compact.hashValue)
            #expect(CompactBytes(given[...]) == compact && CompactBytes(compact[...]) == compact)
        }

        @Test(arguments: lengths.filter { $0 > 0 })
        func changingAnyByteMakesAnotherValue(count: Int) {
            let given = Self.bytes(count)
            let compact = CompactBytes(given)
            for position in 0..<count {
                var changed = given
                changed[position] ^= 0x40
                #expect(CompactBytes(changed) != compact, "byte \(position) of \(count)")
            }
            // A zero byte at the end is a byte, not padding.
            #expect(CompactBytes(given + [0]) != compact)
            #expect(CompactBytes(given.dropLast()) != compact)
        }

        @Test func descriptionIsTheText() {
            #expect(CompactBytes(Array("jean pierre".utf8)).description == "jean pierre")
            let long = "saint germain en laye sur seine"
            #expect(CompactBytes(Array(long.utf8)).description == long)
            #expect(CompactBytes().isEmpty && CompactBytes() == CompactBytes([UInt8]()))
        }

        @Test(arguments: 0...7)
        func wordsReadBackAsGiven(count: Int) {
            let given = (0..<count).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
            let compact = CompactWords(given)
            #expect(compact.count == count)
            #expect(Array(compact) == given)
            #expect(compact == CompactWords(given[...]) && compact == CompactWords(given.lazy.map { $0 }))
            #expect(compact.hashValue == CompactWords(given.lazy.map { $0 }).hashValue)
            if count <= CompactWords.inlineCapacity {
                let padded = given + Array(repeating: 0, count: CompactWords.inlineCapacity - count)
                #expect(CompactWords(padded[0], padded[1], padded[2], count: count) == compact)
            }
            for position in 0..<count {
                var changed = given
                changed[position] &+= 1
                #expect(CompactWords(changed) != compact)
            }
            #expect(CompactWords(given + [0]) != compact)
        }

        /// Values longer than the inline capacity compare as short ones do.
        @Test func longValuesCompareAsShortOnes() throws {
            let long = MatchRecord(firstNames: ["Marie-Christine-Éléonore-Joséphine"], lastNames: ["de la Tour d'Auvergne-Lauraguais"],
                                   cities: ["Saint-Germain-en-Laye-sur-Seine-et-Oise"],
                                   streets: ["145 bis avenue du Maréchal Jean de Lattre de Tassigny Prolongée"],
                                   emails: ["marie.christine.eleonore.delatour@example.com"])
            let other = MatchRecord(firstNames: ["MARIE CHRISTINE ELEONORE JOSEPHINE"], lastNames: ["De La Tour D'Auvergne Lauraguais"],
                                    cities: ["St Germain en Laye sur Seine et Oise"],
                                    streets: ["145B Av. Maréchal Jean de Lattre de Tassigny Prolongée"],
                                    emails: ["marie_christine_eleonore_delatour@example.fr"])
            let name = try #require(long.firstNames.first)
            #expect(name.squashed.count > CompactBytes.inlineCapacity)
            let comparison = ComparisonVector(comparing: long, other)
            #expect(comparison[.firstName] == .exact)
            #expect(comparison[.lastName] == .exact)
            #expect(comparison[.city] == .exact)
            #expect(comparison[.street] == .exact)
            #expect(comparison[.emailLocalPart] == .exact)
            let decoded = try #require(long.encoded.withUnsafeBufferPointer(MatchRecord.init(encoded:)))
            #expect(decoded.streets.map(\.nameTokens) == long.streets.map(\.nameTokens))
            #expect(ComparisonVector(comparing: decoded, other) == comparison)
        }

        /// A record decoded once compares as the record does, on either side.
        @Test func aRecordDecodedOnceComparesAsTheRecord() {
            let records = MatchRecordEncodingTests.records + MatchRecordEncodingTests.longRecords
            for record in records {
                let decoded = DecodedMatchRecord(record)
                for other in records {
                    #expect(ComparisonVector(comparing: decoded, other) == ComparisonVector(comparing: record, other))
                    #expect(ComparisonVector(comparing: other, decoded) == ComparisonVector(comparing: record, other))
                }
            }
        }
    }
}

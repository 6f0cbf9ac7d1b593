import Testing
@testable import Unify

extension Matching {
    @Suite("Blocking and candidate pairs")
    struct CandidatePairsTests {
        private func pairs(_ records: [MatchRecord], maximumBlockSize: Int = 100) -> [CandidatePairs.Pair] {
            CandidatePairs(records: records, maximumBlockSize: maximumBlockSize).pairs
        }

        @Test func aRecordGetsOneKeyPerRuleItsFieldsAllow() {
            // Given a record with every field
            let record = MatchRecord(
                firstNames: ["Jean"], lastNames: ["Dupuis"], birthdays: ["1980-03-12"], postcodes: ["75011"], cities: ["Paris 11e"],
                streets: ["12 rue Oberkampf"], phones: ["+33612457890"], emails: ["jean.dupuis@example.com"]
            )
            // Then each rule gives its documented key
            #expect(BlockingKeys.keys(for: record).map(\.description) == [
                "postcodeAndLastNameInitial:75011 d", "postcodeAndLastName:75011 dupuis",
                "postcodeFirstNameAndLastNameInitial:75011 jean d", "lastNamePhoneticAndBirthYear:dupui 1980",
                "birthdayAndFirstNameInitial:1980-03-12 j", "birthdayAndPostcode:1980-03-12 75011",
                "houseNumberStreetAndTown:12 oberkampf 75011", "houseNumberStreetAndTown:12 oberkampf paris",
                "phoneLastEightDigits:12457890",
                "lastNameFirstInitialAndCity:dupuis j paris", "fullNameInAnyOrder:dupuis jean", "emailLocalPart:jeandupuis",
            ])
            // And a record with a last name only gets none that needs another field
            #expect(BlockingKeys.keys(for: MatchRecord(lastNames: ["Dupuis"])).isEmpty)
        }

        @Test(arguments: [("Dupuis", "Dupuy"), ("Lefèvre", "Lefebvre"), ("Meyer", "Meier"), ("Rousseau", "Rousseaux")])
        func phoneticVariantsBornTheSameYearMeetInABlock(a: String, b: String) {
            // Given two spellings of one family name, in different towns, with different first names
            let records = [
                MatchRecord(firstNames: ["Anne"], lastNames: [a], birthdays: ["1970-05-02"], postcodes: ["75011"]),
                MatchRecord(firstNames: ["Annie"], lastNames: [b], birthdays: ["02/06/1970"], postcodes: ["69003"]),
            ]
            // Then the phonetic rule pairs them
            let candidates = CandidatePairs(records: records, rules: [.lastNamePhoneticAndBirthYear])
            #expect(candidates.pairs == [CandidatePairs.Pair(first: 0, second: 1)])
        }

        @Test func swappedNamesMeetInABlock() {
            let records = [
                MatchRecord(firstNames: ["Jean"], lastNames: ["Dupont"]),
                MatchRecord(firstNames: ["Dupont"], lastNames: ["Jean"]),
            ]
            #expect(pairs(records) == [CandidatePairs.Pair(first: 0, second: 1)])
        }

        @Test func partOfADoubleLastNameMeetsTheSingleName() {
            let records = [
                MatchRecord(lastNames: ["Dupont-Martin"], postcodes: ["75011"]),
                MatchRecord(lastNames: ["Martin"], postcodes: ["75011"]),
            ]
            #expect(pairs(records) == [CandidatePairs.Pair(first: 0, second: 1)])
        }

        @Test func recordsSharingNoKeyAreNotPaired() {
            let records = [
                MatchRecord(lastNames: ["Dupont"], postcodes: ["75011"]),
                MatchRecord(lastNames: ["Martin"], postcodes: ["69003"]),
            ]
            #expect(pairs(records).isEmpty)
        }

        @Test func giantBlocksAreSkippedAndReported() {
            // Given 150 people of one postcode whose names start with D, and a real pair among them by phone
            var records = (0..<150).map { MatchRecord(lastNames: ["D\($0)name"], postcodes: ["75011"]) }
            records.append(MatchRecord(lastNames: ["Dupont"], postcodes: ["75011"], phones: ["+33612457890"]))
            records.append(MatchRecord(lastNames: ["Dupond"], postcodes: ["75011"], phones: ["0612457890"]))
            // When candidate pairs are found with blocks of at most 100 records
            let candidates = CandidatePairs(records: records, maximumBlockSize: 100)
            // Then the postcode block is skipped and reported, and the phone still pairs the two
            let postcodeReport = candidates.reports.first { $0.rule == .postcodeAndLastNameInitial }
            #expect(postcodeReport?.oversizedBlocks == 1)
            #expect(postcodeReport?.recordsInOversizedBlocks == 152)
            #expect(postcodeReport?.pairs == 0)
            #expect(candidates.pairs == [CandidatePairs.Pair(first: 150, second: 151)])
        }

        @Test(arguments: [
            ("Jean", "Dupont", "Jaen", "Dupont", BlockingRule.postcodeAndLastName),
            ("Jean", "Dupont", "J.", "Dupont", .postcodeAndLastName),
            ("Jean", "Dupont", "Jean", "Duopnt", .postcodeFirstNameAndLastNameInitial),
        ])
        func aMisspeltNameMeetsItsRecordInATownWhereThePostcodeBlockIsTooBig(
            first: String, last: String, otherFirst: String, otherLast: String, rule: BlockingRule
        ) {
            // Given 150 people of one postcode whose last names start with D (a block too big to
            // compare), and one person's two till receipts, one with a name misspelt or shortened
            var records = (0..<150).map { MatchRecord(firstNames: ["P\($0)"], lastNames: ["D\($0)name"], postcodes: ["75011"]) }
            records.append(MatchRecord(firstNames: [first], lastNames: [last], postcodes: ["75011"]))
            records.append(MatchRecord(firstNames: [otherFirst], lastNames: [otherLast], postcodes: ["75011"]))
            // When candidate pairs are found with blocks of at most 100 records
            let candidates = CandidatePairs(records: records, maximumBlockSize: 100)
            // Then the two receipts are still compared, through postcode and the name spelt alike
            #expect(candidates.pairs == [CandidatePairs.Pair(first: 150, second: 151)])
            #expect(candidates.reports.first { $0.rule == rule }?.pairs == 1)
        }

        @Test func pairsAreUniqueSortedAndFirstBelowSecond() {
            // Given records that share keys under several rules
            let data = SyntheticPeople.dataset(people: 200, copies: 1...3, seed: 5).records
            let candidates = CandidatePairs(records: data)
            // Then each pair appears once, in order, with first < second
            #expect(!candidates.isEmpty)
            #expect(candidates.pairs == candidates.pairs.sorted())
            #expect(Set(candidates.pairs).count == candidates.count)
            #expect(candidates.allSatisfy { $0.first < $0.second })
            #expect(candidates.reports.map(\.pairs).reduce(0, +) >= candidates.count)
        }

        @Test func candidatePairsAreTheSameEveryTime() {
            let data = SyntheticPeople.dataset(people: 200, copies: 1...3, seed: 6).records
            #expect(CandidatePairs(records: data).pairs == CandidatePairs(records: data).pairs)
        }

        @Test func nearlyEveryPairTheModelWouldLinkIsACandidate() {
            // Given noisy records of 500 people, and the pairs of records of one person
            let data = SyntheticPeople.dataset(people: 500, copies: 1...3, seed: 8)
            let candidates = Set(CandidatePairs(records: data.records).pairs)
            let truePairs = (0..<data.records.count).flatMap { i in
                ((i + 1)..<data.records.count).filter { data.person[i] == data.person[$0] }.map { CandidatePairs.Pair(first: i, second: $0) }
            }
            let linkable = truePairs.filter { MatchModel.default.score(data.records[$0.first], data.records[$0.second]).weight > 0 }
            // Then blocking proposes nearly all pairs scoring would link, and most true pairs,
            // while comparing a small share of all pairs
            let recall = Double(truePairs.filter(candidates.contains).count) / Double(truePairs.count)
            let linkableRecall = Double(linkable.filter(candidates.contains).count) / Double(linkable.count)
            let share = Double(candidates.count) / Double(data.records.count * (data.records.count - 1) / 2)
            #expect(linkableRecall > 0.95)
            #expect(recall > 0.9)
            #expect(share < 0.05)
        }

        @Test func aRecordWithManyValuesGetsAtMostTheLimitOfKeysPerRule() {
            // Given a customer seen with eight postcodes and eight last names: 64 combinations
            let names = ["Abel", "Brun", "Coste", "Dubois", "Esnault", "Faure", "Girard", "Hugo"]
            let record = MatchRecord(lastNames: names, postcodes: (1...8).map { "7500\($0)" })
            // Then the postcode rule keys only the first of them
            let keys = BlockingKeys.keys(for: record, rule: .postcodeAndLastNameInitial)
            #expect(keys.count == BlockingKeys.maximumKeysPerRule)
            #expect(keys.first == "75001 a")
        }

        @Test func acrossSidesKeepsOnlyPairsWithOneRecordOnEachSide() {
            let jean = MatchRecord(firstNames: ["Jean"], lastNames: ["Dupont"], postcodes: ["75011"])
            let records = [jean, jean, jean, jean]
            let candidates = CandidatePairs(records: records, sides: .across(firstSideCount: 2))
            #expect(candidates.pairs.map { [$0.first, $0.second] } == [[0, 2], [0, 3], [1, 2], [1, 3]])
        }
    }
}

import Testing
@testable import Unify

extension Matching {
    @Suite("Matcher")
    struct MatcherTests {
        @Test func matcherLinksTheRecordsOfOnePersonAndKeepsOthersApart() {
            // Given a till receipt, a web profile and a call-centre record of one person, and a neighbour
            let records = [
                MatchRecord(traits: ["name": "DUPUIS Kévin", "postalCode": "75011", "city": "Paris"], phones: [], emails: []),
                MatchRecord(
                    traits: ["firstName": "Kevin", "lastName": "Dupuy", "birthday": "1985-07-14",
                             "address": .object(["postalCode": "75011", "street": "12 rue Oberkampf"])],
                    phones: ["+33612457890"], emails: ["kevin.dupuis@example.com"]
                ),
                MatchRecord(traits: ["firstName": "K.", "lastName": "Dupuis", "birthday": "14/07/1985"], phones: ["0612457890"], emails: []),
                MatchRecord(traits: ["firstName": "Marie", "lastName": "Durand", "postalCode": "75011", "birthday": "1990-01-02"], phones: [], emails: []),
            ]
            let matcher = Matcher()
            // When its candidate pairs are scored
            let pairs = matcher.candidatePairs(records)
            let scores = matcher.scores(pairs, in: records)
            let linked = zip(pairs, scores).filter { $0.1.matchProbability > 0.5 }.map { [$0.0.first, $0.0.second] }
            // Then the web profile is linked to both other records of Kévin, which share no
            // blocking key with each other (only a last name), and the neighbour to nobody
            #expect(linked == [[0, 1], [1, 2]])
            #expect(pairs.contains { $0.second == 3 })
            #expect(!pairs.contains { $0.second == 3 && matcher.score(records[$0.first], records[3]).matchProbability > 0.01 })
        }

        @Test func scoreIsTheModelsScore() {
            let a = MatchRecord(lastNames: ["Dupont"], birthdays: ["1980-03-12"])
            let b = MatchRecord(lastNames: ["Dupond"], birthdays: ["1980-03-12"])
            #expect(Matcher().score(a, b) == MatchModel.default.score(a, b))
        }

        @Test func newRecordsArePairedOnlyWithKnownOnes() {
            let known = [MatchRecord(firstNames: ["Jean"], lastNames: ["Dupont"], postcodes: ["75011"])]
            let batch = [
                MatchRecord(firstNames: ["Jean"], lastNames: ["Dupont"], postcodes: ["75011"]),
                MatchRecord(firstNames: ["Jean"], lastNames: ["Dupont"], postcodes: ["75011"]),
            ]
            let pairs = Matcher().candidatePairs(known + batch, acrossFirst: known.count)
            #expect(pairs.map { [$0.first, $0.second] } == [[0, 1], [0, 2]])
        }
    }
}

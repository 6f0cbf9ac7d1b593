import Testing
@testable import Unify

extension Matching {
    /// Reports what blocking and scoring cost, without asserting any time: machines differ
    /// and are shared. Debug builds are several times slower than release; for release
    /// figures run `swift test -c release -Xswiftc -enable-testing --filter MatchingSpeedReport`.
    @Suite("Speed report")
    struct MatchingSpeedReport {
        @Test func reportsTheCostOfScoringAPair() {
            let data = SyntheticPeople.dataset(people: 2_000, copies: 1...3, seed: 99).records
            let clock = ContinuousClock()
            var pairs = CandidatePairs(records: [])
            let blocking = clock.measure { pairs = CandidatePairs(records: data) }
            let model = MatchModel.default
            var total = 0.0
            let rounds = 5
            let scoring = clock.measure {
                for _ in 0..<rounds {
                    for pair in pairs { total += model.score(data[pair.first], data[pair.second]).evidenceWeight }
                }
            }
            let nanoseconds = Double(scoring.components.attoseconds / 1_000_000_000) + Double(scoring.components.seconds) * 1e9
            print("""
                Matching speed: \(data.count) records, \(pairs.count) candidate pairs, blocking \(blocking); \
                scoring \(String(Int(nanoseconds / Double(pairs.count * rounds)))) ns per pair
                """)
            #expect(!pairs.isEmpty)
            #expect(total.isFinite)
        }
    }
}

import Testing
@testable import Unify

extension Matching {
    @Suite("Expectation–maximisation")
    struct ExpectationMaximisationTests {
        /// A known model unlike the defaults: the best level takes 70 % of matches, mismatch
        /// 80 % of non-matches, the rest shared evenly.
        static let truth: MatchModel = MatchModel(
            priorMatchProbability: 0.15,
            fields: MatchField.allCases.map { field in
                let levels = field.levels
                let others = Double(levels.count - 1)
                return MatchModel.Field(field: field, levels: levels.enumerated().map { position, level in
                    MatchModel.Level(
                        level: level,
                        m: position == 0 ? 0.7 : 0.3 / others,
                        u: level == .mismatch ? 0.8 : 0.2 / others
                    )
                })
            }
        )

        /// Comparison vectors drawn from `model`, each field missing one time in five;
        /// `matches` says which kind of pairs to draw (nil: the mixture).
        static func vectors(from model: MatchModel, count: Int, seed: UInt64, matches: Bool? = nil) -> [ComparisonVector] {
            var random = SeededGenerator(seed: seed)
            return (0..<count).map { _ in
                let isMatch = matches ?? (Double.random(in: 0..<1, using: &random) < model.priorMatchProbability)
                var levels: [MatchField: MatchLevel] = [:]
                for field in model.fields {
                    guard Double.random(in: 0..<1, using: &random) >= 0.2 else { continue }
                    var draw = Double.random(in: 0..<1, using: &random)
                    levels[field.field] = field.levels.last!.level
                    for level in field.levels {
                        draw -= isMatch ? level.m : level.u
                        if draw < 0 {
                            levels[field.field] = level.level
                            break
                        }
                    }
                }
                return ComparisonVector(levels)
            }
        }

        private func expectClose(_ estimated: MatchModel, to truth: MatchModel, m: Double, u: Double, lambda: Double) {
            #expect(abs(estimated.priorMatchProbability - truth.priorMatchProbability) < lambda)
            for field in truth.fields {
                for level in field.levels {
                    let found = estimated.parameters(of: level.level, for: field.field)
                    #expect(found != nil)
                    #expect(abs((found?.m ?? 0) - level.m) < m, "m of \(field.field) \(level.level)")
                    #expect(abs((found?.u ?? 0) - level.u) < u, "u of \(field.field) \(level.level)")
                }
            }
        }

        @Test func recoversKnownParametersFromUnlabeledPairs() {
            // Given 20,000 unlabeled comparison vectors drawn from a known model
            let comparisons = Self.vectors(from: Self.truth, count: 20_000, seed: 42)
            // When EM estimates m, u and λ from the default starting point
            let estimate = ExpectationMaximisation.estimate(comparisons: comparisons)
            // Then it converges near the truth
            #expect(estimate.converged)
            #expect(!estimate.usedStartingModel)
            expectClose(estimate.model, to: Self.truth, m: 0.025, u: 0.015, lambda: 0.01)
        }

        @Test func recoversMAndLambdaWithUFromRandomPairs() {
            // Given candidate pairs from the known model and random pairs, all non-matches
            let comparisons = Self.vectors(from: Self.truth, count: 20_000, seed: 7)
            let random = Self.vectors(from: Self.truth, count: 50_000, seed: 8, matches: false)
            // When u is taken from the random pairs and EM estimates m and λ
            let estimate = ExpectationMaximisation.estimate(comparisons: comparisons, randomComparisons: random)
            // Then all three are near the truth
            #expect(estimate.converged)
            expectClose(estimate.model, to: Self.truth, m: 0.025, u: 0.01, lambda: 0.01)
        }

        @Test func theIterationCapStopsEM() {
            var options = ExpectationMaximisation.Options()
            options.maximumIterations = 2
            let estimate = ExpectationMaximisation.estimate(comparisons: Self.vectors(from: Self.truth, count: 5_000, seed: 9), options: options)
            #expect(estimate.iterations == 2)
            #expect(!estimate.converged)
        }

        @Test func tooFewPairsGiveTheStartingModel() {
            let comparisons = Self.vectors(from: Self.truth, count: 999, seed: 1)
            let estimate = ExpectationMaximisation.estimate(comparisons: comparisons)
            #expect(estimate.usedStartingModel)
            #expect(estimate.model == MatchModel.default)
        }

        @Test func theEstimateDoesNotDependOnPairOrder() {
            // Given the same vectors in two orders
            let comparisons = Self.vectors(from: Self.truth, count: 5_000, seed: 3)
            var random = SeededGenerator(seed: 4)
            let shuffled = comparisons.shuffled(using: &random)
            // Then the estimated models are identical, bit for bit
            #expect(ExpectationMaximisation.estimate(comparisons: comparisons).model
                == ExpectationMaximisation.estimate(comparisons: shuffled).model)
        }

        @Test func levelsNeverSeenKeepFiniteWeights() {
            // Given pairs in which no phone ever agrees
            let comparisons = (0..<2_000).map { index in
                ComparisonVector([.lastName: index % 10 == 0 ? .exact : .mismatch, .phone: .mismatch])
            }
            let estimate = ExpectationMaximisation.estimate(comparisons: comparisons)
            // Then the unseen phone levels still weigh something finite, pulled towards the prior
            for level in MatchField.phone.levels {
                #expect(estimate.model.weight(of: level, for: .phone).isFinite)
                #expect((estimate.model.parameters(of: level, for: .phone)?.m ?? 0) >= MatchModel.probabilityFloor)
            }
        }

        @Test func estimatesAModelFromGeneratedCustomerRecords() {
            // Given noisy records of 600 people, most seen more than once
            let data = SyntheticPeople.dataset(people: 600, copies: 1...4, seed: 2024)
            let pairs = Matcher().candidatePairs(data.records)
            // When the model is estimated from their candidate pairs
            let estimate = ExpectationMaximisation.run(pairs: pairs, records: data.records)
            // Then it learned that names and birthdays agreeing is evidence, disagreeing is not
            #expect(!estimate.usedStartingModel)
            #expect(estimate.randomPairCount > 0)
            let model = estimate.model
            #expect(model.weight(of: .exact, for: .lastName) > 3)
            #expect(model.weight(of: .mismatch, for: .lastName) < -2)
            #expect(model.weight(of: .exact, for: .birthday) > 8)
            #expect(model.weight(of: .mismatch, for: .birthday) < -2)
            // And its λ is near the true share of matches among all pairs of records
            let n = Double(data.records.count)
            let truePairs = Dictionary(grouping: data.person, by: { $0 }).values.map { Double($0.count * ($0.count - 1) / 2) }
            let trueShare = truePairs.reduce(0, +) / (n * (n - 1) / 2)
            #expect(model.priorMatchProbability > trueShare * 0.8)
            #expect(model.priorMatchProbability < trueShare * 1.25)
        }
    }
}

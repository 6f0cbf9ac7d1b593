import Foundation

/// Estimates a ``MatchModel`` from unlabeled candidate pairs by expectation–maximisation,
/// the standard method for the Fellegi–Sunter mixture (Winkler 1988; as Splink does it).
///
/// The pairs are a mixture of matches and non-matches whose fields are independent given
/// the class. Each iteration computes, for every distinct comparison vector, the probability
/// that it is a match (E step), then re-estimates λ and the m (and, if asked, u) probabilities
/// from those weighted counts (M step), until no parameter moves by more than the tolerance
/// or the iteration cap is reached.
///
/// Choices, all deterministic:
/// - **u from random pairs** (the default, as Splink recommends): record pairs drawn with a
///   seeded generator are almost all non-matches, so their levels estimate u directly, and EM
///   only estimates m and λ. With ``Options/randomPairCount`` 0, EM estimates u as well.
/// - **λ over all pairs**: ``run(pairs:records:starting:options:)`` treats the pairs blocking
///   did not propose as non-matches, so λ is the probability that two records drawn at random
///   are one person, as ``MatchModel`` needs it. Estimating λ as the share of matches among
///   candidate pairs instead fails: candidates agree on their blocking keys far more often
///   than random pairs, EM takes those agreements for matches, and λ climbs towards 1
///   (measured: 0.9 on generated data whose true share was a few percent). The cost is the
///   assumption that blocking misses few matches, and m is then learnt from the matches
///   blocking found, which agree on some blocking key a little more often than all matches do.
/// - **A weak prior**: every estimate is smoothed towards the starting model with
///   ``Options/priorStrength`` pseudo-pairs, so a level never seen among the few matches of a
///   small data set keeps a sensible weight instead of −20; on a few thousand pairs the pull
///   is a fraction of a percent.
/// - **Clamping**: probabilities stay within [``MatchModel/probabilityFloor``, 1 − floor].
/// - **Too little data**: with fewer than ``Options/minimumPairs`` candidate pairs the starting
///   model (by default ``MatchModel/default``) is returned unchanged. The default, 1,000, is
///   where a data set with a few percent of matches has some tens of them, the least from
///   which about forty m probabilities mean anything.
/// - Distinct vectors are processed in the order of their packed bits, so sums, and the
///   result, are the same in every run.
///
/// ```swift
/// let model = ExpectationMaximisation.estimate(pairs: matcher.candidatePairs(records), records: records)
/// ```
enum ExpectationMaximisation {
    /// Tuning of an estimation.
    struct Options: Sendable, Hashable {
        /// The most EM iterations.
        var maximumIterations = 200
        /// EM stops when no m or u moves by more than this in an iteration, nor λ by more than
        /// this fraction of itself.
        var tolerance = 1e-6
        /// Fewer candidate pairs than this, and the starting model is returned.
        var minimumPairs = 1_000
        /// Pseudo-pairs pulling each estimate towards the starting model.
        var priorStrength = 10.0
        /// Random record pairs sampled to estimate u; 0 to estimate u by EM instead. When the
        /// records have fewer pairs than this, all of them are used.
        var randomPairCount = 100_000
        /// The seed of the random pair sample.
        var seed: UInt64 = 0x756E_6966_795F_656D
    }

    /// An estimated model and how the estimation went.
    struct Estimate: Sendable {
        /// The estimated model, or the starting one when there was too little data.
        var model: MatchModel
        /// EM iterations run; 0 when the starting model was returned.
        var iterations: Int
        /// Whether EM met the tolerance before the iteration cap.
        var converged: Bool
        /// Candidate pairs the estimate rests on.
        var pairCount: Int
        /// Whether there were too few pairs and the starting model was returned.
        var usedStartingModel: Bool
        /// Random record pairs sampled for u; 0 when EM estimated u.
        var randomPairCount: Int
    }

    /// The model estimated from candidate pairs of `records`, or `starting` when there are
    /// too few pairs.
    static func estimate(
        pairs: CandidatePairs, records: [MatchRecord], starting: MatchModel = .default, options: Options = Options()
    ) -> MatchModel {
        run(pairs: pairs, records: records, starting: starting, options: options).model
    }

    /// ``estimate(pairs:records:starting:options:)`` with how the estimation went.
    static func run(
        pairs: CandidatePairs, records: [MatchRecord], starting: MatchModel = .default, options: Options = Options()
    ) -> Estimate {
        guard pairs.count >= options.minimumPairs else {
            return Estimate(
                model: starting, iterations: 0, converged: false, pairCount: pairs.count, usedStartingModel: true,
                randomPairCount: 0
            )
        }
        let comparisons = pairs.map { ComparisonVector(comparing: records[$0.first], records[$0.second]) }
        var random: [ComparisonVector]?
        if options.randomPairCount > 0 {
            random = randomPairComparisons(records, count: options.randomPairCount, seed: options.seed)
        }
        let n = Double(records.count)
        return estimate(
            comparisons: comparisons, randomComparisons: random, allPairCount: random == nil ? nil : n * (n - 1) / 2,
            starting: starting, options: options
        )
    }

    /// Runs EM on comparison vectors; u comes from `randomComparisons` when given, else from EM.
    ///
    /// Without `allPairCount`, λ is the share of matches among the vectors given, the textbook
    /// mixture. With it, the vectors are the candidates among `allPairCount` pairs whose other
    /// pairs are all non-matches, and λ is the share among all of them; this needs u from
    /// `randomComparisons`, since those other pairs are not there to estimate it. The starting
    /// model gives the initial parameters, the prior the estimates are smoothed towards, and the
    /// fields to estimate (each with all its ``MatchField/levels``).
    static func estimate(
        comparisons: [ComparisonVector], randomComparisons: [ComparisonVector]? = nil, allPairCount: Double? = nil,
        starting: MatchModel = .default, options: Options = Options()
    ) -> Estimate {
        precondition(allPairCount == nil || randomComparisons != nil, "λ over all pairs needs u from random pairs")
        let total = max(allPairCount ?? 0, Double(comparisons.count))
        let fields = starting.fields.map(\.field)
        guard comparisons.count >= options.minimumPairs, !fields.isEmpty else {
            return Estimate(
                model: starting, iterations: 0, converged: false, pairCount: comparisons.count, usedStartingModel: true,
                randomPairCount: randomComparisons?.count ?? 0
            )
        }
        var state = Parameters(starting: starting, fields: fields)
        let patterns = Pattern.counted(comparisons, fields: fields)
        let prior = state
        if let randomComparisons {
            state.setU(counting: Pattern.counted(randomComparisons, fields: fields), prior: prior, strength: options.priorStrength)
        }
        var iterations = 0
        var converged = false
        while iterations < options.maximumIterations {
            iterations += 1
            let next = state.iterated(
                over: patterns, total: total, prior: prior, strength: options.priorStrength,
                estimatesU: randomComparisons == nil
            )
            let change = next.largestChange(from: state)
            state = next
            if change < options.tolerance {
                converged = true
                break
            }
        }
        return Estimate(
            model: state.model(), iterations: iterations, converged: converged, pairCount: comparisons.count,
            usedStartingModel: false, randomPairCount: randomComparisons?.count ?? 0
        )
    }

    /// Comparison vectors of up to `count` random pairs of distinct records: all pairs when
    /// there are no more than `count`, else a sample drawn with a generator seeded by `seed`.
    static func randomPairComparisons(_ records: [MatchRecord], count: Int, seed: UInt64) -> [ComparisonVector] {
        let n = records.count
        guard n >= 2, count > 0 else { return [] }
        var comparisons: [ComparisonVector] = []
        if n * (n - 1) / 2 <= count {
            comparisons.reserveCapacity(n * (n - 1) / 2)
            for i in 0..<n {
                for j in (i + 1)..<n { comparisons.append(ComparisonVector(comparing: records[i], records[j])) }
            }
            return comparisons
        }
        var generator = SplitMix64(seed: seed)
        comparisons.reserveCapacity(count)
        for _ in 0..<count {
            let i = Int.random(in: 0..<n, using: &generator)
            var j = Int.random(in: 0..<(n - 1), using: &generator)
            if j >= i { j += 1 }
            comparisons.append(ComparisonVector(comparing: records[i], records[j]))
        }
        return comparisons
    }
}

extension ExpectationMaximisation {
    /// A distinct comparison vector, how many pairs have it, and the level slot of each
    /// estimated field (-1 when missing or not one of the field's levels).
    fileprivate struct Pattern {
        /// How many pairs have the vector.
        var count: Double
        /// The weight-table slot of each estimated field's level, -1 when not counted.
        var slots: [Int]

        /// The distinct vectors of `comparisons` with their counts, in the order of their bits.
        static func counted(_ comparisons: [ComparisonVector], fields: [MatchField]) -> [Pattern] {
            var counts: [UInt64: Int] = [:]
            for comparison in comparisons { counts[comparison.bits, default: 0] += 1 }
            return counts.keys.sorted().map { bits in
                let vector = ComparisonVector(bits: bits)
                let slots = fields.map { field -> Int in
                    let level = vector[field]
                    guard level != .missing, field.rank(of: level) < Int(UInt8.max) else { return -1 }
                    return field.index * MatchLevel.slotCount + level.index
                }
                return Pattern(count: Double(counts[bits]!), slots: slots)
            }
        }
    }

    /// λ and the m and u tables, indexed by field and level slot.
    fileprivate struct Parameters {
        /// λ.
        var lambda: Double
        /// m by weight-table slot.
        var m: [Double]
        /// u by weight-table slot.
        var u: [Double]
        /// The fields estimated.
        let fields: [MatchField]

        /// The parameters of `starting`, clamped; levels it does not list start uniform.
        init(starting: MatchModel, fields: [MatchField]) {
            lambda = MatchModel.clamped(starting.priorMatchProbability)
            self.fields = fields
            let size = MatchField.allCases.count * MatchLevel.slotCount
            m = [Double](repeating: 0, count: size)
            u = [Double](repeating: 0, count: size)
            for field in fields {
                let levels = field.levels
                for level in levels {
                    let slot = field.index * MatchLevel.slotCount + level.index
                    let given = starting.parameters(of: level, for: field)
                    m[slot] = MatchModel.clamped(given?.m ?? 1 / Double(levels.count))
                    u[slot] = MatchModel.clamped(given?.u ?? 1 / Double(levels.count))
                }
            }
        }

        /// Sets u from the level frequencies of (random) patterns, smoothed towards `prior`.
        mutating func setU(counting patterns: [Pattern], prior: Parameters, strength: Double) {
            var counts = [Double](repeating: 0, count: u.count)
            var totals = [Double](repeating: 0, count: MatchField.allCases.count)
            for pattern in patterns {
                for (position, slot) in pattern.slots.enumerated() where slot >= 0 {
                    counts[slot] += pattern.count
                    totals[fields[position].index] += pattern.count
                }
            }
            for field in fields {
                for level in field.levels {
                    let slot = field.index * MatchLevel.slotCount + level.index
                    u[slot] = MatchModel.clamped((counts[slot] + strength * prior.u[slot]) / (totals[field.index] + strength))
                }
            }
        }

        /// One E step and one M step.
        func iterated(over patterns: [Pattern], total: Double, prior: Parameters, strength: Double, estimatesU: Bool)
            -> Parameters
        {
            let logM = m.map { $0 > 0 ? Foundation.log($0) : 0 }
            let logU = u.map { $0 > 0 ? Foundation.log($0) : 0 }
            let logLambda = Foundation.log(lambda)
            let logNotLambda = Foundation.log(1 - lambda)
            var matchCounts = [Double](repeating: 0, count: m.count)
            var nonMatchCounts = [Double](repeating: 0, count: u.count)
            var matchTotals = [Double](repeating: 0, count: MatchField.allCases.count)
            var nonMatchTotals = [Double](repeating: 0, count: MatchField.allCases.count)
            var matches = 0.0
            for pattern in patterns {
                var match = logLambda
                var nonMatch = logNotLambda
                for slot in pattern.slots where slot >= 0 {
                    match += logM[slot]
                    nonMatch += logU[slot]
                }
                let probability = 1 / (1 + Foundation.exp(nonMatch - match))
                let matched = pattern.count * probability
                let unmatched = pattern.count - matched
                matches += matched
                for (position, slot) in pattern.slots.enumerated() where slot >= 0 {
                    let field = fields[position].index
                    matchCounts[slot] += matched
                    matchTotals[field] += matched
                    nonMatchCounts[slot] += unmatched
                    nonMatchTotals[field] += unmatched
                }
            }
            var next = self
            next.lambda = MatchModel.clamped(matches / total)
            for field in fields {
                for level in field.levels {
                    let slot = field.index * MatchLevel.slotCount + level.index
                    next.m[slot] = MatchModel.clamped(
                        (matchCounts[slot] + strength * prior.m[slot]) / (matchTotals[field.index] + strength))
                    if estimatesU {
                        next.u[slot] = MatchModel.clamped(
                            (nonMatchCounts[slot] + strength * prior.u[slot]) / (nonMatchTotals[field.index] + strength))
                    }
                }
            }
            return next
        }

        /// The largest change of any probability since `other`; λ's relative to its size,
        /// because over all pairs it is tiny and moves by tiny amounts until it settles.
        func largestChange(from other: Parameters) -> Double {
            var change = abs(lambda - other.lambda) / other.lambda
            for slot in m.indices {
                change = max(change, abs(m[slot] - other.m[slot]), abs(u[slot] - other.u[slot]))
            }
            return change
        }

        /// The parameters as a model, every level of every estimated field listed.
        func model() -> MatchModel {
            MatchModel(
                priorMatchProbability: lambda,
                fields: fields.map { field in
                    MatchModel.Field(
                        field: field,
                        levels: field.levels.map { level in
                            let slot = field.index * MatchLevel.slotCount + level.index
                            return MatchModel.Level(level: level, m: m[slot], u: u[slot])
                        }
                    )
                }
            )
        }
    }
}

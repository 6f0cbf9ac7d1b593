import Foundation

/// Converts between match weights (log2 odds) and probabilities.
///
/// A weight is the base-2 logarithm of odds: weight 0 is even odds (probability 0.5),
/// each +1 doubles the odds. Fellegi–Sunter field weights add up to the evidence of a pair,
/// and adding the prior weight gives the posterior: probability(evidence + prior).
///
/// ```swift
/// MatchWeight.probability(fromWeight: 10)        // 0.99902
/// MatchWeight.weight(fromProbability: 0.01)      // −6.63, the weight of a 1 % prior
/// ```
enum MatchWeight {
    /// The probability whose log2 odds are `weight`; 0 and 1 only at ±infinity.
    static func probability(fromWeight weight: Double) -> Double {
        1 / (1 + Foundation.exp2(-weight))
    }

    /// The log2 odds of `probability`; ±infinity at 1 and 0.
    static func weight(fromProbability probability: Double) -> Double {
        Foundation.log2(probability / (1 - probability))
    }

    /// The weight of a field level: log2(m / u).
    static func weight(m: Double, u: Double) -> Double {
        Foundation.log2(m / u)
    }
}

/// How strongly a model says two records are one person, with the weight each field adds.
///
/// ``weight`` is the evidence of the fields plus the model's prior weight, in log2 odds;
/// ``matchProbability`` is its probability. A threshold on either decides a link; keep the
/// ``description`` (or ``contributions``) as the recorded explanation.
///
/// FS weights add up as if fields were independent, which people living together are not:
/// two members of one household share last name, street and postcode, and can outweigh
/// mismatched first names and birthdays. A caller linking automatically may want to hold
/// back pairs whose ``comparison`` shows a ``MatchLevel/mismatch`` on first name or birthday.
struct MatchScore: Sendable, Equatable, CustomStringConvertible {
    /// The weight a field adds to a score, for an explanation.
    struct Contribution: Sendable, Hashable, CustomStringConvertible {
        /// The field.
        var field: MatchField
        /// The level the pair agrees at.
        var level: MatchLevel
        /// log2(m/u) of that level.
        var weight: Double

        /// `last name exact +8.7`.
        var description: String { "\(field) \(level) \(MatchScore.signed(weight))" }
    }

    /// The level of each field.
    let comparison: ComparisonVector
    /// The sum of the field weights: log2 of the likelihood ratio of the pair.
    let evidenceWeight: Double
    /// The model's log2(λ/(1−λ)).
    let priorWeight: Double
    /// The model's weight table, shared, so that a score allocates nothing.
    private let weights: [Double]

    /// A score; made by ``MatchModel/score(_:)``, which passes its weight table.
    init(comparison: ComparisonVector, evidenceWeight: Double, priorWeight: Double, weights: [Double]) {
        self.comparison = comparison
        self.evidenceWeight = evidenceWeight
        self.priorWeight = priorWeight
        self.weights = weights
    }

    /// Evidence plus prior: the posterior log2 odds that the records are one person.
    var weight: Double { evidenceWeight + priorWeight }

    /// The posterior probability that the records are one person.
    var matchProbability: Double { MatchWeight.probability(fromWeight: weight) }

    /// The weight of each field that is not missing, in ``MatchField`` order.
    var contributions: [Contribution] {
        MatchField.allCases.compactMap { field in
            let level = comparison[field]
            guard level != .missing else { return nil }
            return Contribution(field: field, level: level, weight: weights[field.index * MatchLevel.slotCount + level.index])
        }
    }

    /// `first name exact +6.7, last name exact +8.7, birthday transposed day/month +9.0,
    /// postcode mismatch −3.4; prior −13.3; weight +7.7, probability 0.995`.
    var description: String {
        let probability = (matchProbability * 1000).rounded() / 1000
        return "\(evidenceDescription); weight \(MatchScore.signed(weight)), probability \(probability)"
    }

    /// The fields and the prior without the sum, for a sentence that states the weight:
    /// `first name exact +6.7, last name similar +4.9, postcode exact +6.4; prior −13.3`.
    var evidenceDescription: String {
        let fields = contributions.map(\.description).joined(separator: ", ")
        return "\(fields.isEmpty ? "no field to compare" : fields); prior \(MatchScore.signed(priorWeight))"
    }

    /// Scores with the same levels and weights are equal.
    static func == (lhs: MatchScore, rhs: MatchScore) -> Bool {
        lhs.comparison == rhs.comparison && lhs.evidenceWeight == rhs.evidenceWeight && lhs.priorWeight == rhs.priorWeight
    }

    /// A weight with one decimal and a sign: `+6.1`, `−4.0`.
    static func signed(_ weight: Double) -> String {
        let tenths = (abs(weight) * 10).rounded()
        let text = "\(Int(tenths) / 10).\(Int(tenths) % 10)"
        return (weight < 0 && tenths > 0 ? "−" : "+") + text
    }
}

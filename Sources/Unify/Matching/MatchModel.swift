import Foundation

/// A Fellegi–Sunter model: for each field and level, how often true matches (m) and
/// non-matches (u) show that level, and the prior probability (λ) that two records are one person.
///
/// The weight of a level is log2(m/u): positive when the level is more common among matches.
/// A pair's evidence is the sum of its fields' weights, assuming fields are independent given
/// the match status (the usual simplification; see ``CityComparison`` for where it is
/// avoided). Missing fields weigh nothing. The prior weight log2(λ/(1−λ)) turns evidence into
/// a posterior: ``MatchScore/weight`` is evidence plus prior, as Splink's match weight is,
/// and ``MatchScore/matchProbability`` its probability.
///
/// λ is the probability that two records drawn at random are one person, over *all* pairs,
/// not only the candidates blocking proposes: blocking picks pairs by their fields, so a
/// candidate pair's posterior given its fields is the same as any pair's, and u is the
/// chance agreement of random pairs. λ therefore shrinks as the data grow (about the
/// number of duplicate pairs over n²/2), and the same agreement is weaker evidence among a
/// million customers than among a thousand, as it should be.
///
/// A field or level the model does not list weighs nothing, so a model can leave a field
/// out. Probabilities are clamped to [``probabilityFloor``, 1 − ``probabilityFloor``] when
/// weights are computed, so that a level never seen does not weigh infinitely.
///
/// ```swift
/// let score = MatchModel.default.score(a, b)
/// score.description   // "last name exact +8.7, birthday transposed day/month +9.0, postcode mismatch −3.4; …"
/// ```
struct MatchModel: Sendable, Hashable {
    /// The m and u probabilities of one level of a field.
    struct Level: Sendable, Hashable, Codable {
        /// The level.
        var level: MatchLevel
        /// P(level | the records are one person).
        var m: Double
        /// P(level | the records are two people).
        var u: Double
    }

    /// The levels of one field.
    struct Field: Sendable, Hashable, Codable {
        /// The field.
        var field: MatchField
        /// Its levels, usually all of ``MatchField/levels``.
        var levels: [Level]
    }

    /// The smallest probability used in a weight, and one minus the largest: weights stay
    /// within about ±20.
    static let probabilityFloor = 1e-6

    /// λ: the prior probability that a candidate pair is a match.
    let priorMatchProbability: Double
    /// The parameters by field.
    let fields: [Field]
    /// log2(λ/(1−λ)), added to a pair's evidence to give its posterior weight.
    let priorWeight: Double
    /// log2(m/u) by field and level (``MatchLevel/slotCount`` slots per field), computed once.
    private let weights: [Double]

    /// A model from its parameters.
    init(priorMatchProbability: Double, fields: [Field]) {
        self.priorMatchProbability = priorMatchProbability
        self.fields = fields
        var weights = [Double](repeating: 0, count: MatchField.allCases.count * MatchLevel.slotCount)
        for field in fields {
            for level in field.levels where level.level != .missing {
                weights[field.field.index * MatchLevel.slotCount + level.level.index] =
                    MatchWeight.weight(m: MatchModel.clamped(level.m), u: MatchModel.clamped(level.u))
            }
        }
        self.weights = weights
        priorWeight = MatchWeight.weight(fromProbability: MatchModel.clamped(priorMatchProbability))
    }


    /// The weight of `level` for `field`; 0 for missing or unlisted levels.
    func weight(of level: MatchLevel, for field: MatchField) -> Double {
        weights[field.index * MatchLevel.slotCount + level.index]
    }

    /// The parameters of `level` for `field`, if the model lists them.
    func parameters(of level: MatchLevel, for field: MatchField) -> Level? {
        fields.first { $0.field == field }?.levels.first { $0.level == level }
    }

    /// Compares and scores two records. Costs about a microsecond in release builds, most of
    /// it decoding the fields compared (give a record compared with many as a
    /// ``DecodedMatchRecord``), and allocates nothing.
    func score(_ a: some MatchValues, _ b: some MatchValues) -> MatchScore {
        score(ComparisonVector(comparing: a, b))
    }

    /// Scores a comparison vector.
    func score(_ comparison: ComparisonVector) -> MatchScore {
        var evidence = 0.0
        var bits = comparison.bits
        var slot = 0
        while bits != 0 {
            let level = Int(bits & 0xFF)
            if level < MatchLevel.slotCount { evidence += weights[slot + level] }
            bits >>= 8
            slot += MatchLevel.slotCount
        }
        return MatchScore(comparison: comparison, evidenceWeight: evidence, priorWeight: priorWeight, weights: weights)
    }

    /// `probability` kept within [``probabilityFloor``, 1 − ``probabilityFloor``].
    static func clamped(_ probability: Double) -> Double {
        min(max(probability, probabilityFloor), 1 - probabilityFloor)
    }
}

extension MatchModel: Codable {
    /// The saved parameters; the weight table is derived from them.
    private enum CodingKeys: String, CodingKey {
        case priorMatchProbability
        case fields
    }

    /// Reads λ and the fields, and computes the weights. A model saved before a field or a
    /// level existed (`sameYear`, say) takes the defaults for it rather than weighing it 0.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var fields = try container.decode([Field].self, forKey: .fields)
        for defaults in MatchModel.default.fields {
            guard let index = fields.firstIndex(where: { $0.field == defaults.field }) else {
                fields.append(defaults)
                continue
            }
            for level in defaults.levels where !fields[index].levels.contains(where: { $0.level == level.level }) {
                fields[index].levels.append(level)
            }
        }
        self.init(priorMatchProbability: try container.decode(Double.self, forKey: .priorMatchProbability), fields: fields)
    }

    /// Writes λ and the fields.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(priorMatchProbability, forKey: .priorMatchProbability)
        try container.encode(fields, forKey: .fields)
    }
}

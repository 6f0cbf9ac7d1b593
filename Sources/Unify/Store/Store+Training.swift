internal import GRDB

/// What `unify train` found and saved.
public struct TrainingReport: Sendable {
    /// Records in the store, and those the estimate was made from (a seeded sample when
    /// there are many).
    public var records: Int
    public var sampled: Int
    /// Candidate pairs blocking proposed among the sample.
    public var candidatePairs: Int
    /// EM iterations, and whether they converged.
    public var iterations: Int
    public var converged: Bool
    /// Whether there were too few pairs to estimate anything: the parameters stayed as they
    /// were, those an earlier training saved or else the defaults (``priorMatchProbability``
    /// and ``levels`` are theirs).
    public var keptDefaults: Bool
    /// λ, the probability that two records drawn at random are one person.
    public var priorMatchProbability: Double
    /// Each field's levels with their m and u probabilities and weight (log2 m/u), in the
    /// model's order: `("first name", "exact", m, u, weight)`.
    public var levels: [(field: String, level: String, m: Double, u: Double, weight: Double)]
}

extension Store {
    /// Records used at most to train: enough for m and u to three decimals, few enough to
    /// train in seconds and a few hundred megabytes.
    static let trainingSample = 60_000

    /// Estimates the matcher's m and u probabilities and λ from the store's own records by
    /// expectation–maximisation, without labels, and saves them: every later resolution
    /// uses them. Records already resolved keep the links they have until `unify rebuild`.
    public func trainMatchModel() throws(UnifyError) -> TrainingReport {
        try trainMatchModel(sampleSize: Store.trainingSample)
    }

    /// ``trainMatchModel()`` from a sample of about `sampleSize` records.
    func trainMatchModel(sampleSize: Int) throws(UnifyError) -> TrainingReport {
        try writeWithoutTransaction { db throws(UnifyError) in
            try transaction(db) { () throws(UnifyError) -> TrainingReport in
                try storage("training the matcher") {
                    let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM match_records") ?? 0
                    // A seeded sample, in event-id order: sequence numbers say in which order the
                    // events arrived, and the same events must give the same estimate whatever it was.
                    let keepOneIn = max(1, (total + sampleSize - 1) / sampleSize)
                    var sample: [(eventID: String, record: MatchRecord)] = []
                    let rows = try Row.fetchCursor(db, sql: "SELECT event_id, fields, normalised FROM match_records")
                    while let row = try rows.next() {
                        let eventID: String = row[0]
                        var generator = SplitMix64(seed: UInt64(bitPattern: ContentDigest(eventID).integerKey))
                        guard keepOneIn == 1 || generator.next() % UInt64(keepOneIn) == 0,
                              let record = SQLiteMatchIndex.record(normalised: row[2], fields: row[1])
                        else { continue }
                        sample.append((eventID, record))
                    }
                    sample.sort { $0.eventID.utf8.lexicographicallyPrecedes($1.eventID.utf8) }
                    let records = sample.map(\.record)
                    let pairs = CandidatePairs(records: records, maximumBlockSize: matchingPolicy.maximumBlockSize)
                    let starting = try SQLiteMatchIndex.savedModel(db) ?? .default
                    let estimate = ExpectationMaximisation.run(pairs: pairs, records: records, starting: .default)
                    if !estimate.usedStartingModel { try SQLiteMatchIndex.save(model: estimate.model, db) }
                    let model = estimate.usedStartingModel ? starting : estimate.model
                    return TrainingReport(
                        records: total, sampled: records.count, candidatePairs: pairs.count, iterations: estimate.iterations,
                        converged: estimate.converged, keptDefaults: estimate.usedStartingModel,
                        priorMatchProbability: model.priorMatchProbability,
                        levels: model.fields.flatMap { field in
                            field.levels.map { level in
                                (field.field.description, level.level.description, level.m, level.u,
                                 MatchWeight.weight(m: level.m, u: level.u))
                            }
                        })
                }
            }
        }
    }
}

import ArgumentParser
import Foundation
import Unify

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Estimate the probabilistic matcher's parameters from the store's own records, and save them.",
        discussion: """
            Expectation-maximisation over the candidate pairs blocking proposes, without labels \
            (docs/IDENTITY.md). Ingestion uses the saved parameters from then on; run \
            `unify rebuild` to match the records already resolved again with them.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: JSONOutput

    func run() throws {
        let unify = try store.openExistingStore()
        let (report, seconds) = try timed { try unify.trainMatchModel() }
        if output.json {
            let object: [String: Any] = [
                "records": report.records, "sampled": report.sampled, "candidate_pairs": report.candidatePairs,
                "iterations": report.iterations, "converged": report.converged, "kept_defaults": report.keptDefaults,
                "prior_match_probability": report.priorMatchProbability, "seconds": seconds,
                "levels": report.levels.map { ["field": $0.field, "level": $0.level, "m": $0.m, "u": $0.u, "weight": $0.weight] },
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("records     \(report.records.grouped)" + (report.sampled < report.records ? " (\(report.sampled.grouped) sampled)" : ""))
        print("candidates  \(report.candidatePairs.grouped) pairs")
        if report.keptDefaults {
            print("too few candidate pairs to estimate anything: the parameters stay as they were")
            if report.records == 0 && !unify.matchingPolicy.enabled {
                printToStandardError("matching is off for this store: turn it on in "
                                     + "\(IdentityPolicy.configurationPath(forStoreAt: store.path)) "
                                     + "(\"matching\": {\"enabled\": true}, docs/CONFIGURATION.md), then `unify rebuild` to find the records")
            }
            return
        }
        print("estimated   in \(report.iterations) iterations\(report.converged ? "" : " (not converged)"), "
              + String(format: "%.2f s; λ = %.3g", seconds, report.priorMatchProbability))
        print("")
        print("field             level                                 m         u   weight")
        for level in report.levels {
            print(level.field.padding(toLength: 18, withPad: " ", startingAt: 0)
                  + level.level.padding(toLength: 30, withPad: " ", startingAt: 0)
                  + String(format: "%9.4f %9.5f %+9.1f", level.m, level.u, level.weight))
        }
        print("")
        printToStandardError("saved in \(store.path); run `unify rebuild --db \(store.path)` to match resolved records again")
    }
}

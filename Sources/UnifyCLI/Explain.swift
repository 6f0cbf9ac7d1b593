import ArgumentParser
import Foundation
import Unify

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show the chain of evidence that makes A and B one customer, or what keeps them apart.",
        discussion: """
            A and B may be customer ids, identifiers (kind:value or as a person types them) or event ids.

            Examples:
              unify explain jane.doe@example.com "06 12 34 56 78"
              unify explain cus_1a2b3c4d5e6f7a8b user_id:u_42
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: JSONOutput

    @Argument(help: "The first customer id, identifier or event id.")
    var first: String

    @Argument(help: "The second customer id, identifier or event id.")
    var second: String

    func validate() throws {
        for (name, value) in [("first", first), ("second", second)] where value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("give two customer ids, identifiers or event ids; the \(name) is empty")
        }
    }

    func run() throws {
        let explanation = try store.openStoreForReading().explain(first, second)
        if output.json {
            func evidence(_ match: Explanation.MatchEvidence) -> [String: Any] {
                ["earlier": match.earlier, "later": match.later, "weight": match.weight, "evidence": match.evidence]
            }
            var object: [String: Any] = [
                "first": first, "second": second, "same_customer": explanation.sameCustomer,
                "first_customer": explanation.firstCustomer as Any, "second_customer": explanation.secondCustomer as Any,
                "chain": explanation.chain.map { link -> [String: Any] in
                    switch link {
                    case .identifier(let identifier):
                        var entry: [String: Any] = ["identifier": identifier.description]
                        if let links = explanation.matches[identifier] { entry["matches"] = links.map(evidence) }
                        return entry
                    case .event(let event): return ["event": event.id, "origin": event.origin, "time": event.time.iso8601]
                    }
                },
                "reasons": explanation.reasons,
            ]
            if let closest = explanation.closestRecords { object["closest_records"] = evidence(closest) }
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("\(explanation)".terminalSafeLines)
        }
        if explanation.firstCustomer == nil || explanation.secondCustomer == nil { throw ExitCode.failure }
    }
}

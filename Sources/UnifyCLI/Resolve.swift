import ArgumentParser
import Foundation
import Unify

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Resolve identities for events logged with `unify ingest --no-resolve`.",
        discussion: "The result is the same as if they had been resolved as they were ingested."
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let started = ContinuousClock.now
        let resolved = try store.openStore().resolvePending()
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        printToStandardError("resolved \(resolved.grouped) event(s) in \(String(format: "%.2f", seconds)) s")
    }
}

struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drop everything derived from the event log and derive it again.",
        discussion: "Run it after changing the configuration beside the store (identity rules, default country)."
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let started = ContinuousClock.now
        try store.openStore().rebuild()
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        printToStandardError("rebuilt in \(String(format: "%.2f", seconds)) s")
    }
}

import ArgumentParser
import Foundation
import Unify

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve identities for events logged with `unify ingest --no-resolve`.",
        discussion: "The result is the same as if they had been resolved as they were ingested."
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let (resolved, seconds) = try timed { try store.openExistingStore().resolvePending() }
        printToStandardError("resolved \(resolved.grouped) event(s) in \(String(format: "%.2f", seconds)) s")
    }
}

struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Drop everything derived from the event log and derive it again.",
        discussion: "Run it after changing the configuration beside the store (identity rules, default country)."
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let ((), seconds) = try timed { try store.openExistingStore().rebuild() }
        printToStandardError("rebuilt in \(String(format: "%.2f", seconds)) s")
    }
}

/// Runs `body` and says how many seconds it took.
func timed<Result>(_ body: () throws -> Result) rethrows -> (Result, Double) {
    let started = ContinuousClock.now
    let result = try body()
    let (seconds, attoseconds) = (ContinuousClock.now - started).components
    return (result, Double(seconds) + Double(attoseconds) / 1e18)
}

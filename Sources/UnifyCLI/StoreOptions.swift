import ArgumentParser
import Foundation
import Unify

/// Options every command that opens a store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file.", valueName: "path"))
    var db: String?

    @Flag(name: .long, help: "Machine-readable JSON on stdout instead of text.")
    var json = false

    /// `--db`, else `$UNIFY_DB`, else `./unify.db`.
    var path: String {
        if let db { return db }
        if let fromEnvironment = ProcessInfo.processInfo.environment["UNIFY_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "unify.db"
    }

    func openStore() throws -> Store {
        try Store(path: path)
    }
}

/// Writes text to standard error, where progress and diagnostics go.
func printToStandardError(_ text: String, terminator: String = "\n") {
    FileHandle.standardError.write(Data((text + terminator).utf8))
}

extension Int {
    /// `12,345`: counts a person reads at a glance.
    var grouped: String {
        let digits = String(magnitude)
        var result = ""
        for (position, digit) in digits.enumerated() {
            if position > 0 && (digits.count - position) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return self < 0 ? "-" + result : result
    }
}

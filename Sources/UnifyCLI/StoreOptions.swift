import ArgumentParser
import Foundation
import Unify

/// Options every command that opens a store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file.", valueName: "path"))
    var db: String?

    /// `--db`, else `$UNIFY_DB`, else `./unify.db`.
    var path: String {
        if let db { return db }
        if let fromEnvironment = ProcessInfo.processInfo.environment["UNIFY_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "unify.db"
    }

    /// Opens the store, creating it when it is not there: what `ingest` does.
    func openStore() throws -> Store {
        try Store(path: path)
    }

    /// Opens a store that must exist already: commands other than `ingest` never leave an
    /// empty store behind a mistyped path.
    func openExistingStore() throws -> Store {
        try Store(path: existingPath())
    }

    /// Opens a store that must exist already for reading only, so that a query leaves the
    /// file as it was and works on a store one may only read; a store made by an earlier
    /// version is opened for writing instead, to bring its tables up to date, as before.
    func openStoreForReading() throws -> Store {
        let path = try existingPath()
        var configuration = Store.Configuration()
        configuration.readOnly = true
        do {
            return try Store(path: path, configuration: configuration)
        } catch {
            guard error.code == .storeOutdated else { throw error }
            return try Store(path: path)
        }
    }

    /// ``path``, when a store is there.
    private func existingPath() throws(NoStore) -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw NoStore(path: path) }
        return path
    }
}

/// A reading command named a store that is not there.
struct NoStore: Error, CustomStringConvertible {
    var path: String
    var description: String {
        "there is no store at \(path): ingest into it first (`unify ingest --db \(path) FILE`), "
            + "or name another with --db or UNIFY_DB"
    }
}

/// `--json`, for commands that can print JSON.
struct JSONOutput: ParsableArguments {
    @Flag(name: .long, help: "Machine-readable JSON on stdout instead of text.")
    var json = false
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

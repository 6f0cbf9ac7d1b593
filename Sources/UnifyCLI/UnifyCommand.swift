import ArgumentParser
import Foundation
import Unify

@main
struct UnifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unify",
        abstract: "Unify customer data from every channel into one customer id and a 360° profile.",
        discussion: """
            Events go into an append-only log in a SQLite file (./unify.db unless --db or UNIFY_DB \
            says otherwise). Pipe exports in with `unify ingest`; list lines that could not be read \
            with `unify rejects`.

            Exit codes: 0 success, 1 runtime failure, 2 usage error, 3 data rejected under --strict.
            """,
        subcommands: [Ingest.self, Show.self, Export.self, Stats.self, Explain.self, Rejects.self, Resolve.self, Rebuild.self, Train.self]
    )

    /// Runs the command, mapping failures to the exit codes DESIGN.md promises.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as UnifyError {
            FileHandle.standardError.write(Data("unify: \(error)\n".utf8))
            Foundation.exit(1)
        } catch let error as NoStore {
            FileHandle.standardError.write(Data("unify: \(error)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            // argument-parser's own usage errors exit 64 (EX_USAGE); unify promises 2.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

import ArgumentParser
import Foundation
import Unify

struct Rejects: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejects",
        abstract: "List the lines that could not be ingested, or write them out to fix and re-ingest.",
        discussion: """
            Every rejected line is kept verbatim with its input, line number and reason.

            Examples:
              unify rejects                              what was rejected, and why
              unify rejects --ndjson > fix.ndjson        the lines exactly as read, one per line
              unify ingest fix.ndjson                    after fixing them
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: JSONOutput

    @Flag(help: "Write the rejected lines exactly as they were read, one per line, to fix and re-ingest.")
    var ndjson = false

    @Option(help: ArgumentHelp("Only lines read from this input (a path as given to ingest, or stdin).",
                               valueName: "input"))
    var input: String?

    func validate() throws {
        if ndjson && output.json {
            throw ValidationError("choose one of --ndjson (the lines as read) and --json (the lines with reasons)")
        }
    }

    func run() throws {
        let store = try store.openStoreForReading()
        var count = 0
        let standardOutput = FileHandle.standardOutput
        try store.forEachRejectedLine(input: input) { reject in
            count += 1
            if ndjson {
                standardOutput.write(Data(reject.bytes + [0x0A]))
            } else if output.json {
                let object: [String: Any] = [
                    "input": reject.input, "line": reject.line, "code": reject.fault.code.rawValue,
                    "reason": reject.fault.message, "raw": String(decoding: reject.bytes, as: UTF8.self),
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                standardOutput.write(data + Data([0x0A]))
            } else {
                let preview = String(decoding: reject.bytes.prefix(120), as: UTF8.self)
                print("\(reject.input):\(reject.line)  [\(reject.fault.code)]  \(reject.fault.message)".terminalSafe)
                print("    \(preview)\(reject.bytes.count > 120 ? "…" : "")".terminalSafe)
            }
        }
        if !ndjson && !output.json {
            printToStandardError(count == 0 ? "no rejected lines" : "\(count.grouped) rejected line(s)")
        }
    }
}

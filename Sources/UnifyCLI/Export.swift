import ArgumentParser
import Foundation
import Unify

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Stream events, profiles or identities to standard output, as NDJSON or CSV.",
        discussion: """
            For loading into a warehouse. Events carry the id they arrived with, their customer \
            id, time, channel and original JSON; profiles carry every reconciled trait with the \
            event it came from; identities list every identifier with its customer.

            Examples:
              unify export events > events.ndjson
              unify export profiles --format csv > profiles.csv
              unify export identities --format csv | head
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("What to export: events, profiles or identities.", valueName: "what"))
    var kind: String

    @Option(help: "ndjson (the default) or csv.")
    var format = "ndjson"

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "For profiles, the reference time of the stage (ISO 8601); by default the latest event in the store.",
        valueName: "date"))
    var asOf: String?

    func validate() throws {
        guard ExportKind(rawValue: kind) != nil else {
            throw ValidationError("cannot export '\(kind)': choose events, profiles or identities")
        }
        guard ExportFormat(rawValue: format.lowercased()) != nil else {
            throw ValidationError("unknown format '\(format)': choose ndjson or csv")
        }
        if asOf != nil && kind != "profiles" {
            throw ValidationError("--as-of sets the stage of profiles: `unify export profiles --as-of DATE`")
        }
        if let asOf, Timestamp(iso8601: asOf) == nil {
            throw ValidationError("--as-of '\(asOf)' is not a date: write it ISO 8601, e.g. 2026-01-01")
        }
    }

    func run() throws {
        let output = BufferedOutput()
        defer { output.flush() }
        try store.openStoreForReading().export(ExportKind(rawValue: kind)!, format: ExportFormat(rawValue: format.lowercased())!,
                                     asOf: asOf.flatMap(Timestamp.init(iso8601:))) { line in output.write(line) }
    }
}

/// Standard output written in large blocks: exports are millions of lines.
final class BufferedOutput {
    private var buffer: [UInt8] = []

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

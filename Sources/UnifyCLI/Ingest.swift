import ArgumentParser
import Foundation
import Unify

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Append NDJSON events (Segment spec or native form) to the event log.",
        discussion: """
            Reads each FILE (or standard input when none is given, or for `-`) line by line, \
            decompressing it when it is gzip (`export.ndjson.gz`). \
            Lines already in the log are counted as duplicates and change nothing, so the same \
            export can be ingested again safely, and an interrupted ingest can simply be re-run. \
            Lines that cannot be read are kept with the reason: see `unify rejects`.

            Examples:
              cat web.ndjson pos.ndjson | unify ingest
              unify ingest segment-export/*.gz
              unify ingest --db shop.db Fixtures/retail/*.ndjson
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: JSONOutput

    @Flag(help: "Fail with exit code 3 at the first rejected line.")
    var strict = false

    @Flag(name: .customLong("no-resolve"),
          help: "Only log the events; resolve identities later with `unify resolve` (faster for a large backfill).")
    var deferResolution = false

    @Argument(help: ArgumentHelp("NDJSON files to read, plain or gzip; standard input when none (or `-`).", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        for file in files where file != "-" {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), isFolder.boolValue {
                throw ValidationError("cannot read '\(file)': it is a folder; name the files in it (e.g. '\(file)'/*.ndjson)")
            }
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw ValidationError("cannot read '\(file)': check the path (use `-` for standard input)")
            }
        }
    }

    func run() throws {
        let store = try store.openStore()
        let progress = isatty(STDERR_FILENO) == 1 ? ProgressLine() : nil
        var total = IngestReport()
        var perInput: [(String, IngestReport)] = []
        // Inputs that could not be read to their end: the others are still ingested.
        var unreadable: [(input: String, error: UnifyError)] = []
        var failure: UnifyError?
        for input in files.isEmpty ? ["-"] : files {
            let name = input == "-" ? "stdin" : input
            var options = Store.IngestOptions(strict: strict, resolveIdentities: !deferResolution)
            if let progress {
                options.progress = { report in progress.draw(name, report) }
            }
            do throws(UnifyError) {
                let report = input == "-"
                    ? try store.ingest(fileDescriptor: STDIN_FILENO, inputName: name, options: options)
                    : try store.ingest(fileAt: input, options: options)
                perInput.append((name, report))
                total.add(report)
                if report.stoppedAt != nil { break }
            } catch {
                guard let partial = error.ingestedBeforeFailure else {
                    failure = error
                    break
                }
                perInput.append((name, partial))
                total.add(partial)
                unreadable.append((name, error))
            }
        }
        progress?.clear()
        let failed = Dictionary(unreadable.map { ($0.input, $0.error.message) }) { first, _ in first }
        if output.json {
            print(IngestSummary.json(total: total, inputs: perInput, unreadable: failed, storePath: self.store.path))
        } else {
            printToStandardError(IngestSummary.text(total: total, inputs: perInput, unreadable: failed,
                                                    storePath: self.store.path))
        }
        for (_, error) in unreadable { printToStandardError("unify: \(error.message)".terminalSafe) }
        if let failure { throw failure }
        if !unreadable.isEmpty { throw ExitCode(1) }
        if let stoppedAt = total.stoppedAt {
            printToStandardError(("unify: \(stoppedAt.input):\(stoppedAt.line): \(stoppedAt.fault.message) "
                                  + "(stopped by --strict; the lines before it were ingested)").terminalSafe)
            throw ExitCode(3)
        }
    }
}

/// A live progress line on a terminal's standard error, redrawn at most ten times a second.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw = ContinuousClock.now - .seconds(1)

    func draw(_ input: String, _ report: IngestReport) {
        lock.lock()
        defer { lock.unlock() }
        let now = ContinuousClock.now
        guard now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        let megabytes = Double(report.bytesRead) / 1_000_000
        printToStandardError(
            "\r\u{1B}[2K\(input): \(report.linesRead.grouped) lines, \(String(format: "%.1f", megabytes)) MB, "
                + "\(Int(report.linesPerSecond).grouped) lines/s, \(report.rejected.grouped) rejected",
            terminator: "")
    }

    func clear() {
        printToStandardError("\r\u{1B}[2K", terminator: "")
    }
}

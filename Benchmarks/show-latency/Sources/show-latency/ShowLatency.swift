import Foundation
import Unify

/// Times `Store.profile(of:)` and `Store.timeline(of:limit:)` on a seeded sample of the
/// queries a person types (customer ids, emails typed messily, French phones in national
/// form, event ids), after a warm-up, and prints median, p90, p99 and max per kind.
///
/// ```
/// show-latency STORE [--queries 2000] [--warmup 100] [--seed 1]
/// ```
///
/// The sample comes from `sqlite3 -readonly`, but opening a ``Store`` writes to the file:
/// when there is no non-empty `-wal` beside it, GRDB's `DatabasePool` commits a
/// `CREATE TABLE grdb_issue_102` + `DROP TABLE` (GRDB issue 102), which bumps the schema cookie
/// and rewrites page 1, and the close checkpoints that into the file. No row changes, but the
/// bytes do: give it a copy (`Benchmarks/show-latency.sh` does).
@main
struct ShowLatency {
    static func main() {
        do {
            try run(Arguments(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("show-latency: \(error)\n".utf8))
            exit(1)
        }
    }

    struct Arguments {
        var store = ""
        var queries = 2000
        var warmup = 100
        var seed: UInt64 = 1

        init(_ arguments: ArraySlice<String>) throws {
            var rest = arguments
            while let argument = rest.popFirst() {
                switch argument {
                case "--queries", "--warmup", "--seed":
                    guard let value = rest.popFirst().flatMap({ Int($0) }), value >= 0 else {
                        throw SampleError(message: "\(argument) takes a number")
                    }
                    if argument == "--queries" { queries = value }
                    if argument == "--warmup" { warmup = value }
                    if argument == "--seed" { seed = UInt64(value) }
                default:
                    guard store.isEmpty, !argument.hasPrefix("-") else {
                        throw SampleError(message: "usage: show-latency STORE [--queries N] [--warmup N] [--seed N]")
                    }
                    store = argument
                }
            }
            guard !store.isEmpty else {
                throw SampleError(message: "usage: show-latency STORE [--queries N] [--warmup N] [--seed N]")
            }
            guard FileManager.default.fileExists(atPath: store) else {
                throw SampleError(message: "there is no store at \(store)")
            }
        }
    }

    static func run(_ arguments: Arguments) throws {
        var generator = SeededGenerator(seed: arguments.seed)
        let sample = StoreSample(store: arguments.store)
        let kinds = Query.Kind.allCases
        var measured: [Query] = []
        var warmup: [Query] = []
        for (index, kind) in kinds.enumerated() {
            let pool = try sample.candidates(kind)
            let count = arguments.queries / kinds.count + (index < arguments.queries % kinds.count ? 1 : 0)
            let warm = arguments.warmup / kinds.count + (index < arguments.warmup % kinds.count ? 1 : 0)
            let drawn = sample.draw(kind, count: count + warm, from: pool, using: &generator)
            warmup += drawn.prefix(warm)
            measured += drawn.dropFirst(warm)
            print("\(kind.rawValue): \(pool.count) candidates")
        }
        // Kinds interleaved, so no kind runs on a cache the previous queries of its kind warmed.
        measured.shuffle(using: &generator)
        warmup.shuffle(using: &generator)

        let store = try Store(path: arguments.store)
        for query in warmup {
            _ = try store.profile(of: query.text)
            _ = try store.timeline(of: query.text, limit: 20)
        }
        let clock = ContinuousClock()
        var profile: [Query.Kind: Latencies] = [:]
        for query in measured {
            let start = clock.now
            let found = try store.profile(of: query.text)
            profile[query.kind, default: Latencies()].add(clock.now - start)
            if found == nil { profile[query.kind]!.misses += 1 }
            if let found, found.customerID != query.expectedCustomer { profile[query.kind]!.wrong += 1 }
        }
        var timeline: [Query.Kind: Latencies] = [:]
        for query in measured {
            let start = clock.now
            let points = try store.timeline(of: query.text, limit: 20)
            timeline[query.kind, default: Latencies()].add(clock.now - start)
            if points.isEmpty { timeline[query.kind]!.misses += 1 }
        }

        for (title, results) in [("profile(of:)", profile), ("timeline(of:limit: 20)", timeline)] {
            print("")
            print("## \(title), \(measured.count) queries after a warm-up of \(warmup.count), seed \(arguments.seed)")
            print(Latencies.header)
            var all = Latencies()
            for kind in kinds {
                guard let latencies = results[kind] else { continue }
                print(latencies.row(kind.rawValue))
                all.merge(latencies)
            }
            print(all.row("all"))
        }
    }
}

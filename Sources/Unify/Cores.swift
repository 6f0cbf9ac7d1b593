import Foundation

/// Work split over the machine's cores in contiguous parts: for the writer's few jobs that
/// are large enough to hand over (rendering profiles, decoding a recomputation's events), so
/// that the one writer thread does not do them alone.
enum Cores {
    static let count = ProcessInfo.processInfo.activeProcessorCount

    /// How many parts `items` are worth: one per core, none smaller than `minimumShare`
    /// (handing fewer over costs more than it saves), and at least one.
    static func parts(of items: Int, minimumShare: Int) -> Int {
        max(1, min(count, items / minimumShare))
    }

    /// Runs `body` on each of `parts` contiguous ranges that cover `0..<items`, at once on
    /// as many cores; it returns when every part is done.
    static func forEachPart(_ parts: Int, of items: Int, _ body: @Sendable (_ part: Int, _ range: Range<Int>) -> Void) {
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            body(part, (items * part / parts)..<(items * (part + 1) / parts))
        }
    }
}

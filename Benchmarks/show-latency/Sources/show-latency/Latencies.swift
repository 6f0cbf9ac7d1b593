import Foundation

/// Latencies of one kind of query, in milliseconds.
struct Latencies {
    var milliseconds: [Double] = []
    var misses = 0
    var wrong = 0

    mutating func add(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        milliseconds.append(Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }

    mutating func merge(_ other: Latencies) {
        milliseconds += other.milliseconds
        misses += other.misses
        wrong += other.wrong
    }

    /// The nearest-rank percentile `p` (0...1).
    func percentile(_ p: Double, of sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }

    /// One line of the report: count, misses, median, p90, p99, max.
    func row(_ label: String) -> String {
        let sorted = milliseconds.sorted()
        let figures = [0.5, 0.9, 0.99].map { percentile($0, of: sorted) } + [sorted.last ?? .nan]
        return pad(label, 18) + pad("\(sorted.count)", 6, right: true) + pad("\(misses)", 8, right: true)
            + pad("\(wrong)", 7, right: true)
            + figures.map { pad(String(format: "%.3f", $0), 10, right: true) }.joined()
    }

    static let header = pad("kind", 18) + pad("n", 6, right: true) + pad("misses", 8, right: true)
        + pad("wrong", 7, right: true) + ["median", "p90", "p99", "max"].map { pad($0, 10, right: true) }.joined()
        + "   (ms)"
}

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
}

/// The pairs of records worth comparing: those that share a blocking key under some rule.
///
/// Records are addressed by their index in the array given. Pairs are unique, have
/// `first < second`, and come sorted, so the same records give the same pairs in the same
/// order. With ``Sides/across(firstSideCount:)`` only pairs of one record from each side
/// are kept (a new batch against known customers, say).
///
/// A block with more than `maximumBlockSize` records is skipped and reported: a key that
/// many records share (a postcode and initial in a big town, a placeholder phone, `Marie
/// Martin`) says little, and comparing all its pairs would grow with the square of the
/// data. With the cap, each record adds at most a fixed number of pairs per rule, so the
/// work grows about linearly. Sorting the keys costs n log n.
struct CandidatePairs: Sendable, RandomAccessCollection {
    /// Two records, by index, `first < second`.
    struct Pair: Sendable, Hashable, Comparable {
        let first: Int
        let second: Int

        /// By first record, then second.
        static func < (lhs: Pair, rhs: Pair) -> Bool {
            (lhs.first, lhs.second) < (rhs.first, rhs.second)
        }
    }

    /// Which pairs to keep.
    enum Sides: Sendable, Hashable {
        /// Every pair.
        case all
        /// Pairs of one record below `firstSideCount` and one at or above it.
        case across(firstSideCount: Int)
    }

    /// What one rule contributed.
    struct RuleReport: Sendable, Hashable {
        /// The rule.
        var rule: BlockingRule
        /// Blocks of two records or more that were compared.
        var blocks = 0
        /// Pairs the rule produced, before removing those other rules produced too.
        var pairs = 0
        /// Blocks skipped for having more than the maximum block size.
        var oversizedBlocks = 0
        /// Records in skipped blocks, counted once per block.
        var recordsInOversizedBlocks = 0
        /// The size of the largest block, compared or skipped.
        var largestBlock = 0
    }

    /// The pairs, sorted.
    let pairs: [Pair]
    /// One report per rule, in the order the rules were given.
    let reports: [RuleReport]

    /// The candidate pairs of `records` under `rules`.
    init(
        records: [MatchRecord], rules: [BlockingRule] = BlockingRule.allCases, maximumBlockSize: Int = 100,
        sides: Sides = .all
    ) {
        precondition(records.count < Int(UInt32.max), "Record indexes are packed in 32 bits")
        var packed: [UInt64] = []
        var reports: [RuleReport] = []
        for rule in rules {
            var report = RuleReport(rule: rule)
            var entries: [(key: UInt64, record: UInt32)] = []
            entries.reserveCapacity(records.count)
            for (index, record) in records.enumerated() {
                for value in BlockingKeys.keys(for: record, rule: rule) {
                    entries.append((TokenHash.of(value.utf8), UInt32(index)))
                }
            }
            entries.sort { $0.key != $1.key ? $0.key < $1.key : $0.record < $1.record }
            var start = 0
            while start < entries.count {
                var end = start + 1
                while end < entries.count, entries[end].key == entries[start].key { end += 1 }
                let size = end - start
                report.largestBlock = Swift.max(report.largestBlock, size)
                if size > maximumBlockSize {
                    report.oversizedBlocks += 1
                    report.recordsInOversizedBlocks += size
                } else if size > 1 {
                    report.blocks += 1
                    for i in start..<end {
                        for j in (i + 1)..<end {
                            let first = entries[i].record
                            let second = entries[j].record
                            // Two keys of one record can collide in the 64-bit hash.
                            guard first != second else { continue }
                            if case .across(let count) = sides, !(Int(first) < count && Int(second) >= count) { continue }
                            packed.append(UInt64(first) << 32 | UInt64(second))
                            report.pairs += 1
                        }
                    }
                }
                start = end
            }
            reports.append(report)
        }
        packed.sort()
        var pairs: [Pair] = []
        pairs.reserveCapacity(packed.count)
        var previous: UInt64?
        for value in packed where value != previous {
            pairs.append(Pair(first: Int(value >> 32), second: Int(value & 0xFFFF_FFFF)))
            previous = value
        }
        self.pairs = pairs
        self.reports = reports
    }

    /// The position of the first pair.
    var startIndex: Int { pairs.startIndex }
    /// The position past the last pair.
    var endIndex: Int { pairs.endIndex }
    /// The pair at `position`.
    subscript(position: Int) -> Pair { pairs[position] }
}

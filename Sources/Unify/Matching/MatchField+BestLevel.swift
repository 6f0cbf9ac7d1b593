extension MatchField {
    /// The strongest level, by this field's order, of `compare` over all pairs of values;
    /// ``MatchLevel/missing`` when either side has no value.
    ///
    /// Stops at the first exact pair. Records keep only a few values per field, so the pairs
    /// are few.
    func bestLevel<Value>(_ a: [Value], _ b: [Value], _ compare: (Value, Value) -> MatchLevel) -> MatchLevel {
        // Values are read in place through buffer pointers: iterating the arrays would copy
        // each value and retain every array inside it, which cost more than the comparisons.
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in bestLevel(a, b, compare) }
        }
    }

    /// ``bestLevel(_:_:_:)`` over values in memory, such as those
    /// ``MatchRecord/withValues(_:of:_:_:)`` decodes.
    func bestLevel<Value>(
        _ a: UnsafeBufferPointer<Value>, _ b: UnsafeBufferPointer<Value>, _ compare: (Value, Value) -> MatchLevel
    ) -> MatchLevel {
        guard !a.isEmpty, !b.isEmpty else { return .missing }
        var best = MatchLevel.mismatch
        var bestRank = rank(of: best)
        for i in a.indices {
            for j in b.indices {
                let level = compare(a[i], b[j])
                let rank = rank(of: level)
                if rank < bestRank {
                    if rank == 0 { return level }
                    best = level
                    bestRank = rank
                }
            }
        }
        return best
    }
}

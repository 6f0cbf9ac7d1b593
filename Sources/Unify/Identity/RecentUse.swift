/// How the working sets of a run choose what to let go: the least recently used entries,
/// by a clock that ticks once per event resolved.
enum RecentUse {
    /// The keys to let go so that `keeping` of the most recently used remain.
    static func leastRecentlyUsed<Key>(_ stamps: some Sequence<(key: Key, stamp: UInt32)>, keeping: Int) -> [Key] {
        let sorted = stamps.sorted { $0.stamp < $1.stamp }
        guard sorted.count > keeping else { return [] }
        return sorted.prefix(sorted.count - keeping).map(\.key)
    }
}

/// How many identifiers of each kind a customer holds: a handful of kinds at most, kept in a
/// small array (a dictionary per customer costs more memory than the customer), in the order
/// of the kinds' names, which is the order they are written and hashed in.
struct KindCounts: Hashable, Sendable, Sequence {
    private var entries: [(kind: Identifier.Kind, count: Int)] = []

    init() {}

    subscript(kind: Identifier.Kind) -> Int {
        get { entries.first { $0.kind == kind }?.count ?? 0 }
        set {
            if let index = entries.firstIndex(where: { $0.kind == kind }) {
                entries[index].count = newValue
            } else {
                let index = entries.firstIndex { kind.rawValue < $0.kind.rawValue } ?? entries.endIndex
                entries.insert((kind, newValue), at: index)
            }
        }
    }

    func makeIterator() -> some IteratorProtocol<(kind: Identifier.Kind, count: Int)> {
        entries.makeIterator()
    }

    static func == (lhs: KindCounts, rhs: KindCounts) -> Bool {
        lhs.entries.count == rhs.entries.count && lhs.entries.allSatisfy { rhs[$0.kind] == $0.count }
    }

    func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.kind)
            hasher.combine(entry.count)
        }
    }
}

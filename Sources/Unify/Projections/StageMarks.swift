/// For each stage of the journey model, the earliest events that met its rules, as many as
/// the stage needs (two for a stage reached at the second order): one flat list rather than
/// a list per stage, since a profile holds a few and there are hundreds of thousands of them.
struct StageMarks: Sendable, Hashable {
    private struct Entry: Sendable, Hashable {
        var stage: UInt8
        var mark: EventMark
    }

    /// By stage, then mark.
    private var entries: [Entry] = []

    init() {}

    var isEmpty: Bool { entries.isEmpty }

    /// The marks kept for a stage, earliest first.
    func marks(of stage: Int) -> [EventMark] {
        entries.filter { $0.stage == UInt8(stage) }.map(\.mark)
    }

    /// Records that `mark` met the rules of `stage`, keeping the `keep` earliest.
    mutating func insert(_ mark: EventMark, stage: Int, keep: Int) {
        let stage = UInt8(stage)
        let start = entries.firstIndex { $0.stage >= stage } ?? entries.count
        let end = entries[start...].firstIndex { $0.stage > stage } ?? entries.count
        let position = entries[start..<end].firstIndex { mark < $0.mark } ?? end
        guard position - start < keep else { return }
        entries.insert(Entry(stage: stage, mark: mark), at: position)
        if end + 1 - start > keep { entries.remove(at: start + keep) }
    }

    /// Takes in another profile's marks, keeping for each stage the `keep(stage)` earliest.
    mutating func merge(_ other: StageMarks, keep: (Int) -> Int) {
        guard !other.entries.isEmpty else { return }
        for entry in other.entries { insert(entry.mark, stage: Int(entry.stage), keep: keep(Int(entry.stage))) }
    }
}

/// The events of one customer, by sequence number, in time order (ties by sequence number):
/// what a timeline reads and a recomputation starts from, kept with the customer rather than
/// in an index over every event, so that placing an event writes the customer's row and no
/// other page.
///
/// Stored compactly: each entry is the time since the previous one and the sequence number,
/// as variable-length integers (a few bytes an event).
struct EventList: Hashable, Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0
    /// The last entry, which most appends come after.
    private var lastTime: Int64 = .min
    private var lastSeq: Int64 = .min

    init() {}

    /// Reads a list as ``bytes`` wrote it.
    init(bytes: [UInt8]) {
        self.bytes = bytes
        for (time, seq) in entries {
            count += 1
            lastTime = time
            lastSeq = seq
        }
    }

    init(_ entries: [(time: Int64, seq: Int64)]) {
        for entry in entries.sorted(by: EventList.precedes) { append(entry.time, entry.seq) }
    }

    /// Every entry, in order.
    var entries: [(time: Int64, seq: Int64)] {
        var result: [(time: Int64, seq: Int64)] = []
        result.reserveCapacity(count)
        var offset = 0
        var time: Int64 = 0
        while offset < bytes.count {
            time &+= EventList.readVarint(bytes, &offset)
            let seq = EventList.readVarint(bytes, &offset)
            result.append((time, seq))
        }
        return result
    }

    /// The sequence numbers, in order.
    var seqs: [Int64] { entries.map(\.seq) }

    /// Adds an event; at the end (the common case) without reading the list.
    mutating func insert(time: Int64, seq: Int64) {
        if count == 0 || EventList.precedes((lastTime, lastSeq), (time, seq)) {
            append(time, seq)
            return
        }
        var all = entries
        all.append((time, seq))
        self = EventList(all)
    }

    /// The union of two lists.
    mutating func formUnion(_ other: EventList) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        if EventList.precedes((lastTime, lastSeq), other.entries[0]) {
            for (time, seq) in other.entries { append(time, seq) }
            return
        }
        self = EventList(entries + other.entries)
    }

    private mutating func append(_ time: Int64, _ seq: Int64) {
        let delta = count == 0 ? time : time &- lastTime
        EventList.writeVarint(UInt64(bitPattern: delta), to: &bytes)
        EventList.writeVarint(UInt64(bitPattern: seq), to: &bytes)
        count += 1
        lastTime = time
        lastSeq = seq
    }

    private static func precedes(_ lhs: (time: Int64, seq: Int64), _ rhs: (time: Int64, seq: Int64)) -> Bool {
        lhs.time != rhs.time ? lhs.time < rhs.time : lhs.seq < rhs.seq
    }

    private static func writeVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private static func readVarint(_ bytes: [UInt8], _ offset: inout Int) -> Int64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return Int64(bitPattern: value)
    }

    static func == (lhs: EventList, rhs: EventList) -> Bool { lhs.bytes == rhs.bytes }

    func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}

/// Where an event stands in canonical order: by time, then by event id compared as UTF-8
/// bytes (as SQLite and the digests compare them; Swift's own string order treats
/// canonically equivalent spellings as equal, which would let ties fall back to arrival).
///
/// Resolution places the events of a connected set in this order, so that its result is a
/// function of the set of events and never of the order they arrived in.
struct EventPosition: Comparable, Hashable, Sendable {
    var time: Int64
    var eventID: String

    static func < (lhs: EventPosition, rhs: EventPosition) -> Bool {
        if lhs.time != rhs.time { return lhs.time < rhs.time }
        return lhs.eventID.utf8.lexicographicallyPrecedes(rhs.eventID.utf8)
    }

    static func == (lhs: EventPosition, rhs: EventPosition) -> Bool {
        lhs.time == rhs.time && lhs.eventID.utf8.elementsEqual(rhs.eventID.utf8)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(time)
        hasher.combine(eventID.utf8.count)
        for byte in eventID.utf8 { hasher.combine(byte) }
    }
}

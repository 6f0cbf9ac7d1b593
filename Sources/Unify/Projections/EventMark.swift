/// An event as a profile refers to it: when it happened, a tie-break made from its id, and
/// its sequence number in the log (where its id and its line are).
///
/// Profiles keep a winner per trait, consent or stage by this order: time first, then the
/// tie-break, which depends on the event alone (never on when it arrived), so the same
/// events give the same profile in any order. Holding integers and no text keeps a profile
/// small enough to hold hundreds of thousands in memory.
struct EventMark: Comparable, Hashable, Sendable {
    var time: Int64
    /// A 64-bit digest of the event id.
    var tiebreak: Int64
    var seq: Int64

    static func < (lhs: EventMark, rhs: EventMark) -> Bool {
        if lhs.time != rhs.time { return lhs.time < rhs.time }
        if lhs.tiebreak != rhs.tiebreak { return lhs.tiebreak < rhs.tiebreak }
        return lhs.seq < rhs.seq
    }
}

/// A customer's journey: every stage they entered, when, and what moved them, read from
/// their profile summary with the journey model.
///
/// Progress stages (awareness … advocate) are reached by events; a customer is at the highest
/// reached. On top of that, a customer is *churned* from an explicit cancellation until an
/// event brings them back (an order, by default), and *dormant* from the end of the
/// dormancy period after their last activity until their next one, once they have reached a
/// stage (there is nothing to drift away from before). The history includes the
/// dormancy that follows the customer's last activity, dated in the future of the data when
/// it has not begun yet: the stage as of any time is the last entry at or before it.
struct Journey: Sendable, Hashable {
    /// One stage entered.
    struct Entry: Sendable, Hashable {
        var stage: String
        var enteredAt: Int64
        /// The event that moved the customer (its sequence number), when one did.
        var eventSeq: Int64?
        var reason: String
    }

    static let dormant = "dormant"
    static let churned = "churned"

    /// Every stage entered, in time order.
    private(set) var entries: [Entry] = []
    /// The stage after the customer's last event (before any dormancy that follows it).
    private(set) var stage: String?
    private(set) var stageSince: Int64?
    /// When the customer becomes dormant if nothing else happens; `nil` before any stage.
    private(set) var dormantSince: Int64?

    init(_ state: ProfileState, rules: ProjectionRules) {
        let model = rules.policy.journey
        enum Change {
            case active, returned, reach(Int), churn, dormant
            var order: Int {
                switch self {
                case .active: 0
                case .returned: 1
                case .reach: 2
                case .churn: 3
                case .dormant: 4
                }
            }
        }
        var changes: [(time: Int64, change: Change, eventSeq: Int64?, trailing: Bool)] = []
        for (index, stage) in model.stages.enumerated() {
            let marks = state.stageMarks.marks(of: index)
            let needed = max(1, stage.count)
            if marks.count >= needed {
                changes.append((marks[needed - 1].time, .reach(index), marks[needed - 1].seq, false))
            }
        }
        for mark in state.churns { changes.append((mark.time, .churn, mark.seq, false)) }
        if !state.churns.isEmpty {
            for time in state.returns { changes.append((time, .returned, nil, false)) }
        }
        let period = rules.dormantAfter
        for (index, span) in state.activity.enumerated() {
            if index > 0 { changes.append((span.start, .active, nil, false)) }
            changes.append((span.end + period, .dormant, nil, index == state.activity.count - 1))
        }
        changes.sort { ($0.time, $0.change.order) < ($1.time, $1.change.order) }

        var highest = -1
        var churned = false
        var dormant = false
        var shown: String?
        for (time, change, eventSeq, trailing) in changes {
            var reason: String
            switch change {
            case .active:
                dormant = false
                reason = "active again"
            case .returned:
                guard churned else { continue }
                churned = false
                reason = "came back"
            case .reach(let index):
                highest = max(highest, index)
                reason = "reached \(model.stages[index].name)"
            case .churn:
                churned = true
                reason = "cancelled"
            case .dormant:
                // Dormancy is a drift away from a stage: before any, there is none to leave.
                guard highest >= 0 else { continue }
                dormant = true
                if trailing { dormantSince = time }
                reason = "no activity for \(model.dormantAfterDays) days"
            }
            let now = churned ? Journey.churned : dormant ? Journey.dormant : highest >= 0 ? model.stages[highest].name : nil
            guard let now, now != shown else { continue }
            // Several changes at one instant enter one stage: the last.
            if let last = entries.last, last.enteredAt == time {
                entries.removeLast()
                shown = entries.last?.stage
                if now == shown {
                    if !trailing { stage = now; stageSince = entries.last?.enteredAt }
                    continue
                }
            }
            shown = now
            entries.append(Entry(stage: now, enteredAt: time, eventSeq: eventSeq, reason: reason))
            if !trailing {
                stage = now
                stageSince = time
            }
        }
    }

    /// The stage as of `time`, or `nil` before the customer's first stage.
    func stage(asOf time: Int64) -> String? {
        entries.last { $0.enteredAt <= time }?.stage
    }
}

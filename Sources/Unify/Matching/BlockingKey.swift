/// One blocking key of a record: a rule and the value records must share under it.
struct BlockingKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The rule that made the key.
    let rule: BlockingRule
    /// The shared value, built from folded fields: `75011 d`, `dupui 1980`.
    let value: String

    /// `postcodeAndLastNameInitial:75011 d`.
    var description: String { "\(rule):\(value)" }

    /// By rule, then value as UTF-8 bytes.
    static func < (lhs: BlockingKey, rhs: BlockingKey) -> Bool {
        if lhs.rule != rhs.rule {
            return BlockingRule.allCases.firstIndex(of: lhs.rule)! < BlockingRule.allCases.firstIndex(of: rhs.rule)!
        }
        return lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
    }
}

/// Compares the phones of two records.
///
/// Levels, strongest first:
/// - ``MatchLevel/exact``: the same number.
/// - ``MatchLevel/sameLastEightDigits``: different numbers with the same last eight digits
///   (a national form upstream could not convert, another country code typed).
/// - ``MatchLevel/oneEditInLastEight``: the last eight digits differ by one digit, or by two
///   neighbouring digits swapped (`…12 34 56 78` and `…12 34 65 78`).
/// - ``MatchLevel/mismatch``.
///
/// Numbers with fewer than eight digits compare whole only.
enum PhoneComparison {
    /// The best level over all pairs of the records' phones; ``MatchLevel/missing`` when
    /// either has none.
    static func compare(_ a: [MatchPhone], _ b: [MatchPhone]) -> MatchLevel {
        MatchField.phone.bestLevel(a, b, compare)
    }

    /// The same over values in memory, as ``MatchRecord/withValues(_:of:_:_:)`` decodes them.
    static func compare(_ a: UnsafeBufferPointer<MatchPhone>, _ b: UnsafeBufferPointer<MatchPhone>) -> MatchLevel {
        MatchField.phone.bestLevel(a, b, compare)
    }

    /// The level of one pair of phones.
    static func compare(_ a: MatchPhone, _ b: MatchPhone) -> MatchLevel {
        if a.numberText == b.numberText { return .exact }
        guard a.digitCount >= 8, b.digitCount >= 8 else { return .mismatch }
        let difference = a.lastEightDigits ^ b.lastEightDigits
        if difference == 0 { return .sameLastEightDigits }
        // A byte of the difference is non-zero exactly where the digits differ; this sets the
        // top bit of each such byte without a loop.
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let changed = (((difference & low) &+ low) | difference) & ~low
        switch changed.nonzeroBitCount {
        case 1:
            return .oneEditInLastEight
        case 2:
            let first = changed.trailingZeroBitCount - 7
            let second = 63 - changed.leadingZeroBitCount - 7
            guard second - first == 8 else { return .mismatch }
            let digit = { (value: UInt64, shift: Int) in (value >> UInt64(shift)) & 0xFF }
            let swapped = digit(a.lastEightDigits, first) == digit(b.lastEightDigits, second)
                && digit(a.lastEightDigits, second) == digit(b.lastEightDigits, first)
            return swapped ? .oneEditInLastEight : .mismatch
        default:
            return .mismatch
        }
    }
}

/// Compares the birthdays of two records.
///
/// Levels, strongest first, for complete dates:
/// - ``MatchLevel/exact``.
/// - ``MatchLevel/transposedDayMonth``: same year, day and month swapped (`1980-03-12` and
///   `1980-12-03`), the mark of a month-first form read day first.
/// - ``MatchLevel/sameYearAndMonth``: another day (a typo, or the 1st written for unknown).
/// - ``MatchLevel/sameDayAndMonth``: another year (a typo in the year).
/// - ``MatchLevel/withinOneYear``: at most 366 days apart, or the same year.
/// - ``MatchLevel/mismatch``.
///
/// When one side knows only the month or the year, the same year and month is
/// ``MatchLevel/sameYearAndMonth`` and the same year alone is ``MatchLevel/sameYear`` (the
/// "year only" level: agreement, as far as that side knows); anything else is a mismatch.
/// Two complete dates a few months apart are another matter, ``MatchLevel/withinOneYear``:
/// most often two people.
enum BirthdayComparison {
    /// The best level over all pairs of the records' birthdays; ``MatchLevel/missing`` when
    /// either has none.
    static func compare(_ a: [Birthday], _ b: [Birthday]) -> MatchLevel {
        MatchField.birthday.bestLevel(a, b, compare)
    }

    /// The same over values in memory, as ``MatchRecord/withValues(_:of:_:_:)`` decodes them.
    static func compare(_ a: UnsafeBufferPointer<Birthday>, _ b: UnsafeBufferPointer<Birthday>) -> MatchLevel {
        MatchField.birthday.bestLevel(a, b, compare)
    }

    /// The level of one pair of birthdays.
    static func compare(_ a: Birthday, _ b: Birthday) -> MatchLevel {
        guard a.isComplete, b.isComplete else {
            if a.year != b.year { return .mismatch }
            if a.month > 0, a.month == b.month { return .sameYearAndMonth }
            return a.month > 0 && b.month > 0 ? .mismatch : .sameYear
        }
        if a == b { return .exact }
        if a.year == b.year, a.day == b.month, a.month == b.day { return .transposedDayMonth }
        if a.year == b.year, a.month == b.month { return .sameYearAndMonth }
        if a.month == b.month, a.day == b.day { return .sameDayAndMonth }
        if a.year == b.year || abs(a.dayNumber - b.dayNumber) <= 366 { return .withinOneYear }
        return .mismatch
    }
}

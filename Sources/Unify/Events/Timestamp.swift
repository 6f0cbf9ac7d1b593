/// An instant in UTC, to the millisecond: when an event happened.
///
/// Read from ISO-8601 / RFC 3339 text with any number of fractional digits (digits past
/// the millisecond are dropped) and `Z` or any offset, e.g. `2025-03-02T15:04:05.123+01:00`.
/// Also read: a space instead of `T`, a missing seconds field, a missing offset (taken as
/// UTC) and a date alone (midnight UTC).
///
/// ```swift
/// let time = Timestamp(iso8601: "2015-12-10T04:08:31.905Z")
/// time?.iso8601   // "2015-12-10T04:08:31.905Z"
/// ```
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// Reads ISO-8601 text; `nil` when it is not a valid date and time.
    public init?(iso8601 text: String) {
        var text = text
        guard let milliseconds = text.withUTF8({ Timestamp.parse($0) }) else { return nil }
        self.millisecondsSince1970 = milliseconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    /// The instant as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public var iso8601: String {
        let milliseconds = millisecondsSince1970
        let days = milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000
        let inDay = milliseconds - days * 86_400_000
        let (year, month, day) = Timestamp.civil(fromDays: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(inDay / 3_600_000, 2)):"
            + "\(pad(inDay / 60_000 % 60, 2)):\(pad(inDay / 1000 % 60, 2)).\(pad(inDay % 1000, 3))Z"
    }

    public var description: String { iso8601 }
}

extension Timestamp {
    /// Parses ISO-8601 bytes into milliseconds since the epoch, checking every field's range.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        func digits(_ count: Int) -> Int64? {
            guard index + count <= text.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<count {
                let digit = text[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
                index += 1
            }
            return value
        }
        func take(_ byte: UInt8) -> Bool {
            guard index < text.count, text[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), take(UInt8(ascii: "-")), let month = digits(2), take(UInt8(ascii: "-")),
              let day = digits(2),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var milliseconds = daysFromCivil(year: year, month: month, day: day) * 86_400_000
        if index == text.count { return milliseconds }

        guard index < text.count, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(text[index])
        else { return nil }
        index += 1
        guard let hour = digits(2), hour < 24, take(UInt8(ascii: ":")), let minute = digits(2), minute < 60
        else { return nil }
        var second: Int64 = 0
        if take(UInt8(ascii: ":")) {
            // 60 is a leap second; it is read as the first instant of the next minute.
            guard let value = digits(2), value <= 60 else { return nil }
            second = value
        }
        var fraction: Int64 = 0
        if take(UInt8(ascii: ".")) || take(UInt8(ascii: ",")) {
            var count = 0
            while index < text.count, text[index] &- UInt8(ascii: "0") < 10 {
                if count < 3 { fraction = fraction * 10 + Int64(text[index] - UInt8(ascii: "0")) }
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 3) { fraction *= 10 }
        }
        milliseconds += ((hour * 60 + minute) * 60 + second) * 1000 + fraction

        if index == text.count { return milliseconds }
        if take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) { return index == text.count ? milliseconds : nil }
        let sign: Int64
        if take(UInt8(ascii: "+")) { sign = 1 } else if take(UInt8(ascii: "-")) { sign = -1 } else { return nil }
        guard let offsetHours = digits(2), offsetHours < 24 else { return nil }
        var offsetMinutes: Int64 = 0
        if index < text.count {
            _ = take(UInt8(ascii: ":"))
            guard let value = digits(2), value < 60 else { return nil }
            offsetMinutes = value
        }
        guard index == text.count else { return nil }
        return milliseconds - sign * (offsetHours * 60 + offsetMinutes) * 60_000
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

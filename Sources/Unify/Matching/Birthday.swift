/// A date of birth as offline data write it, possibly known only to the month or the year.
///
/// Read forms: ISO `1980-03-12` (also with `/` or `.`), day first `12/03/1980` (also `-` or
/// `.`, as French, Belgian and Swiss forms write it, never month first), `19800312`, an ISO
/// date-time `1980-03-12T00:00:00Z`, `1980-03` and `1980`. A date-time keeps the date as
/// written, except that exactly 22:00 or 23:00 in UTC is read as the next day: that is local
/// midnight in Central Europe stored as UTC, the usual way a birthday turns into an instant.
/// Years before 1901 or after 2100, impossible days, and the placeholder dates forms default
/// to (`1900-01-01`, `1901-01-01`, `1970-01-01`) give no birthday.
struct Birthday: Sendable, Hashable, CustomStringConvertible {
    /// The year.
    let year: Int
    /// The month, 1–12, or 0 when unknown.
    let month: Int
    /// The day of the month, or 0 when unknown.
    let day: Int

    /// A birthday from its parts; `nil` when they are not a plausible date of birth.
    init?(year: Int, month: Int = 0, day: Int = 0) {
        guard (1901...2100).contains(year), (0...12).contains(month) else { return nil }
        guard day == 0 || (month > 0 && day >= 1 && day <= Birthday.daysIn(month: month, year: year)) else { return nil }
        guard !(month == 1 && day == 1 && (year == 1901 || year == 1970)) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads a birthday as written; `nil` when unreadable.
    init?(_ written: String) {
        var fields: [Int] = []
        var widths: [Int] = []
        var current = 0
        var width = 0
        var end = written.utf8.endIndex
        for index in written.utf8.indices {
            let byte = written.utf8[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                guard width < 9 else { return nil }
                current = current * 10 + Int(byte - UInt8(ascii: "0"))
                width += 1
                continue
            }
            if width > 0 {
                fields.append(current)
                widths.append(width)
            }
            current = 0
            width = 0
            if byte == UInt8(ascii: "T") || (byte == UInt8(ascii: " ") && fields.count == 3) {
                end = index
                break
            }
        }
        if width > 0, end == written.utf8.endIndex {
            fields.append(current)
            widths.append(width)
        }
        switch widths {
        case [8]:
            self.init(year: fields[0] / 10000, month: fields[0] / 100 % 100, day: fields[0] % 100)
        case [4]:
            self.init(year: fields[0])
        case [4, 1], [4, 2]:
            self.init(year: fields[0], month: fields[1])
        case [4, 1, 1], [4, 1, 2], [4, 2, 1], [4, 2, 2]:
            guard let date = Birthday(year: fields[0], month: fields[1], day: fields[2]) else { return nil }
            let time = written.utf8[end...]
            self = Birthday.isCentralEuropeanMidnightInUTC(time) ? date.nextDay : date
        case [1, 1, 4], [1, 2, 4], [2, 1, 4], [2, 2, 4]:
            self.init(year: fields[2], month: fields[1], day: fields[0])
        default:
            return nil
        }
    }

    /// Whether month and day are known.
    var isComplete: Bool { day > 0 }

    /// Days since 1970-01-01 of a complete date (Howard Hinnant's days-from-civil).
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `1980-03-12`, `1980-03` or `1980`.
    var description: String {
        func padded(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if day > 0 { return "\(year)-\(padded(month))-\(padded(day))" }
        if month > 0 { return "\(year)-\(padded(month))" }
        return "\(year)"
    }

    /// The day after this complete date.
    private var nextDay: Birthday {
        if day < Birthday.daysIn(month: month, year: year) { return Birthday(trusted: year, month, day + 1) }
        if month < 12 { return Birthday(trusted: year, month + 1, 1) }
        return Birthday(trusted: year + 1, 1, 1)
    }

    /// A date already known to be valid.
    private init(trusted year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The number of days in a month of the Gregorian calendar.
    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `T22:00:00Z`, `T23:00:00.000Z`, `T23:00:00+00:00` and the like.
    private static func isCentralEuropeanMidnightInUTC(_ time: Substring.UTF8View) -> Bool {
        let text = String(decoding: time, as: UTF8.self)
        guard text.hasPrefix("T22:00:00") || text.hasPrefix("T23:00:00") else { return false }
        var rest = text.dropFirst(9)
        if rest.hasPrefix(".") { rest = rest.drop(while: { $0 == "." || $0 == "0" }) }
        return rest == "Z" || rest == "+00:00" || rest == "+0000" || rest == "-00:00"
    }
}

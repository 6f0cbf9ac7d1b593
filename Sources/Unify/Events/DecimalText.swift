/// Integers written as decimal text straight into bytes, and read back from them, without
/// making a `String`: profile documents hold some forty integers of up to nineteen digits,
/// and every identifier a write-back writes lists its witnesses' keys.
enum DecimalText {
    /// The most bytes an `Int64` takes: nineteen digits and a sign.
    static let maximumLength = 20

    /// Writes `value` at `start`, which has room for ``maximumLength`` bytes, and returns
    /// how many bytes it took.
    static func write(_ value: Int64, into start: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = value.magnitude
        var digits = 1
        var power: UInt64 = 10
        // An Int64 has at most nineteen digits, and 10^19 still fits a UInt64.
        while digits < 19 && magnitude >= power {
            digits += 1
            power &*= 10
        }
        let length = digits + (value < 0 ? 1 : 0)
        if value < 0 { start[0] = UInt8(ascii: "-") }
        // Written backwards from the last digits, two digits per division.
        let pairs = digitPairs.utf8Start
        var position = length
        while magnitude >= 100 {
            let pair = Int(truncatingIfNeeded: magnitude % 100) &* 2
            magnitude /= 100
            position -= 2
            start[position] = pairs[pair]
            start[position + 1] = pairs[pair + 1]
        }
        if magnitude >= 10 {
            let pair = Int(truncatingIfNeeded: magnitude) &* 2
            start[position - 2] = pairs[pair]
            start[position - 1] = pairs[pair + 1]
        } else {
            start[position - 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
        }
        return length
    }

    /// Appends `value` to `bytes`.
    static func append(_ value: Int64, to bytes: inout [UInt8]) {
        let end = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: maximumLength))
        let length = bytes.withUnsafeMutableBufferPointer { write(value, into: $0.baseAddress! + end) }
        bytes.removeLast(maximumLength - length)
    }

    /// The integer `bytes` spell as `Int64.init(_:)` reads text: an optional sign, then
    /// decimal digits and nothing else, within range; `nil` otherwise.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var digits = bytes[...]
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in digits {
            let digit = Int64(byte) &- 48
            guard digit >= 0, digit <= 9 else { return nil }
            // Accumulated negatively, so that Int64.min reads too.
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, underflow) = shifted.subtractingReportingOverflow(digit)
            guard !overflow, !underflow else { return nil }
            value = next
        }
        if negative { return value }
        let (positive, overflow) = Int64(0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }

    /// "00" to "99" in a row: the digits of `n` are at `2 * n` and `2 * n + 1`.
    private static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
}

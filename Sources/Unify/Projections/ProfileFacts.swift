/// What one event tells a profile, read from it once, on the thread that decoded it: its
/// traits, whether it is an order and for how much, which stages it reaches, which consents
/// it sets, a survey score.
///
/// A profile is the fold of its events' facts (``ProfileState``), in any order.
struct ProfileFacts: Sendable, Hashable {
    var time: Int64
    /// A digest of the event id, which breaks ties in time (``EventMark``).
    var tiebreak: Int64
    /// The event's sequence number in the log, once it is appended.
    var seq: Int64 = 0
    var channel: String?
    var source: String?
    /// Whether the person did something (not a delivered email): activity ends dormancy.
    var isActivity: Bool
    /// Traits as JSON text, by key; null and empty values left out.
    var traits: [(key: String, value: String)]
    var order: Order?
    /// The stages whose rules the event meets, by index in the journey model.
    var stages: UInt64
    var churns: Bool
    var returns: Bool
    var consents: [(channel: String, granted: Bool)]
    var nps: Double?
    var csat: Double?

    struct Order: Sendable, Hashable {
        var amount: Amount?
        var currency: String
        /// The event had an amount, but not one that can be added: text, or beyond
        /// ``Amount/largestOrder``. The order counts, without revenue.
        var amountUnreadable = false
    }

    static func == (lhs: ProfileFacts, rhs: ProfileFacts) -> Bool {
        lhs.time == rhs.time && lhs.tiebreak == rhs.tiebreak && lhs.seq == rhs.seq && lhs.channel == rhs.channel && lhs.source == rhs.source
            && lhs.isActivity == rhs.isActivity && lhs.traits.elementsEqual(rhs.traits, by: ==) && lhs.order == rhs.order
            && lhs.stages == rhs.stages && lhs.churns == rhs.churns && lhs.returns == rhs.returns
            && lhs.consents.elementsEqual(rhs.consents, by: ==) && lhs.nps == rhs.nps && lhs.csat == rhs.csat
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(time)
        hasher.combine(tiebreak)
    }
}

/// A money amount exactly, in ten-thousandths, so that sums do not depend on the order they
/// are added in (floating point would). 128 bits: a customer's sum of orders, each at most
/// ``largestOrder``, would need 10^22 of them to overflow, where 64 bits wrap around to a
/// negative revenue after 923.
struct Amount: Sendable, Hashable, Comparable, CustomStringConvertible {
    var tenThousandths: Int128

    static let zero = Amount(tenThousandths: 0)

    /// Reads an order's amount from a JSON number literal or numeric text (`59.9`, `1e2`;
    /// `"12,50"` is not read); digits past the fourth decimal are rounded half to even.
    /// Amounts beyond ``largestOrder`` either way are not read.
    init?(_ value: JSONValue) {
        guard let text = value.stringValue, let parsed = Amount.parse(text),
              parsed.magnitude <= Amount.largestOrder.tenThousandths.magnitude else { return nil }
        tenThousandths = parsed
    }

    /// A trillion in any currency: beyond it an order's amount is a data error.
    static let largestOrder = Amount(tenThousandths: 1_000_000_000_000 * 10_000)

    init(tenThousandths: Int128) {
        self.tenThousandths = tenThousandths
    }

    static func + (lhs: Amount, rhs: Amount) -> Amount {
        Amount(tenThousandths: lhs.tenThousandths + rhs.tenThousandths)
    }

    static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.tenThousandths < rhs.tenThousandths }

    /// With two decimals, as money is shown: `59.90`.
    var description: String { formatted(decimals: 2) }

    /// The amount divided by `count`, rounded half away from zero.
    func divided(by count: Int) -> Amount {
        guard count > 0 else { return self }
        let (quotient, remainder) = tenThousandths.quotientAndRemainder(dividingBy: Int128(count))
        let round: Int128 = remainder.magnitude * 2 >= UInt128(count) ? (tenThousandths < 0 ? -1 : 1) : 0
        return Amount(tenThousandths: quotient + round)
    }

    func formatted(decimals: Int) -> String {
        let scale: Int128 = decimals >= 4 ? 1 : [10_000, 1_000, 100, 10][decimals]
        var rounded = tenThousandths / scale
        let remainder = tenThousandths % scale
        if remainder.magnitude * 2 >= scale.magnitude { rounded += tenThousandths < 0 ? -1 : 1 }
        let negative = rounded < 0
        let digits = String(rounded.magnitude)
        guard decimals > 0 else { return (negative ? "-" : "") + digits }
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        let split = padded.index(padded.endIndex, offsetBy: -decimals)
        return (negative ? "-" : "") + padded[..<split] + "." + padded[split...]
    }

    /// A number's text as ten-thousandths; `nil` when it is not a plain decimal number or
    /// does not fit.
    static func parse(_ text: String) -> Int128? {
        var digits: [UInt8] = []
        var negative = false
        var fraction = 0
        var exponent = 0
        var seenPoint = false
        let bytes = Array(text.trimmingWhitespace().utf8)
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits.append(byte - UInt8(ascii: "0"))
                if seenPoint { fraction += 1 }
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard let value = Int(String(decoding: bytes[(index + 1)...], as: UTF8.self)), abs(value) < 40 else {
                    return nil
                }
                exponent = value
                break
            } else {
                return nil
            }
            index += 1
        }
        guard !digits.isEmpty else { return nil }
        // value = digits × 10^(exponent − fraction); wanted in 10^-4: keep 4 + exponent − fraction
        // more digits, or round off that many.
        let shift = 4 + exponent - fraction
        var dropped: [UInt8] = []
        if shift >= 0 {
            digits += Array(repeating: 0, count: shift)
        } else {
            // The digits rounded off, with the zeros a very small number implies before them.
            let cut = min(-shift, digits.count)
            dropped = Array(repeating: 0, count: -shift - cut) + digits.suffix(cut)
            digits.removeLast(cut)
        }
        var whole: Int128 = 0
        for digit in digits {
            let (shifted, overflow) = whole.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int128(digit))
            guard !overflow && !overflow2 else { return nil }
            whole = sum
        }
        // Half to even: above half rounds up; exactly half rounds to the even neighbour.
        if let first = dropped.first {
            let restNonZero = dropped.dropFirst().contains { $0 != 0 }
            if first > 5 || (first == 5 && (restNonZero || whole % 2 == 1)) { whole += 1 }
        }
        return negative ? -whole : whole
    }

}

/// A phone number as given (E.164 from upstream), with its last eight digits packed for
/// comparisons that tolerate a different prefix or one typo.
///
/// Upstream normalisation already turns national forms into E.164 with the shop's country;
/// the last eight digits still agree when it could not (no default country, a number typed
/// with another country's code). Placeholders whose last eight digits are one repeated digit
/// or a run (`0000000000`, `0612345678`) give no phone.
struct MatchPhone: Sendable, Hashable, CustomStringConvertible {
    /// The number as given, digits and an optional leading `+`, as UTF-8 (inline: decoding
    /// a phone makes no `String`).
    let numberText: CompactBytes
    /// The number as given, digits and an optional leading `+`.
    var number: String { numberText.description }
    /// The last eight digits, one per byte (digit value + 1, so that 0 means no digit), the
    /// last digit in the lowest byte.
    let lastEightDigits: UInt64
    /// How many digits the number has.
    let digitCount: Int

    /// Reads a phone; `nil` when it has fewer than six digits or is a placeholder.
    init?(_ written: String) {
        var digits: [UInt8] = []
        for byte in written.utf8 where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
            digits.append(byte - UInt8(ascii: "0"))
        }
        guard digits.count >= 6, digits.count <= 15 else { return nil }
        let tail = digits.suffix(8)
        guard !MatchPhone.isPlaceholder(Array(tail)) else { return nil }
        var packed: UInt64 = 0
        for digit in tail { packed = packed << 8 | UInt64(digit + 1) }
        numberText = CompactBytes((written.hasPrefix("+") ? [UInt8(ascii: "+")] : []) + digits.map { $0 + UInt8(ascii: "0") })
        lastEightDigits = packed
        digitCount = digits.count
    }

    /// The number.
    var description: String { number }

    /// One digit repeated, or digits counting up or down by one.
    private static func isPlaceholder(_ digits: [UInt8]) -> Bool {
        let steps = zip(digits, digits.dropFirst()).map { Int($1) - Int($0) }
        return steps.allSatisfy { $0 == 0 } || steps.allSatisfy { $0 == 1 } || steps.allSatisfy { $0 == -1 }
    }
}

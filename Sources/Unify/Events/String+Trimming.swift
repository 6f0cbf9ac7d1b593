extension String {
    /// The text without leading and trailing whitespace (ASCII whitespace and no-break
    /// spaces), itself when there is none, which is the common case and costs no copy.
    func trimmingWhitespace() -> String {
        var copy = self
        return copy.withUTF8 { utf8 in
            let trimmed = utf8.trimmingWhitespace()
            return trimmed.count == utf8.count ? self : String(decoding: trimmed, as: UTF8.self)
        }
    }

    /// `lowercased()`, without a copy when the text is ASCII with no capital letter: the
    /// common case for normalised identifiers, asked of every one.
    func lowercasedWithoutCopying() -> String {
        utf8.isLowercaseASCII ? self : lowercased()
    }

    /// The text trimmed and with ASCII letters lower-cased (other letters by Unicode rules).
    func trimmedAndLowercased() -> String {
        var copy = self
        return copy.withUTF8 { utf8 in
            let trimmed = utf8.trimmingWhitespace()
            if trimmed.isLowercaseASCII {
                return trimmed.count == utf8.count ? self : String(decoding: trimmed, as: UTF8.self)
            }
            return String(decoding: trimmed, as: UTF8.self).lowercased()
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The bytes without leading and trailing ASCII whitespace or U+00A0 no-break spaces.
    func trimmingWhitespace() -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = count
        while start < end {
            if self[start].isASCIIWhitespace { start += 1 }
            else if self[start] == 0xC2, start + 1 < end, self[start + 1] == 0xA0 { start += 2 }
            else { break }
        }
        while end > start {
            if self[end - 1].isASCIIWhitespace { end -= 1 }
            else if end - 2 >= start, self[end - 2] == 0xC2, self[end - 1] == 0xA0 { end -= 2 }
            else { break }
        }
        return UnsafeBufferPointer(rebasing: self[start..<end])
    }
}

extension Sequence<UInt8> {
    /// Whether the bytes are ASCII with no capital letter: text that lower-casing leaves as it is.
    var isLowercaseASCII: Bool { allSatisfy { $0 < 0x80 && !$0.isASCIIUppercase } }
}

extension UInt8 {
    var isASCIIWhitespace: Bool { self == 0x20 || (self >= 0x09 && self <= 0x0D) }
    var isASCIIUppercase: Bool { self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") }
}

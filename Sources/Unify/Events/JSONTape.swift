import Foundation

/// A JSON document parsed into a flat tape of tokens that point back into the line's bytes.
///
/// Building a tree of Swift values for every line of a million-line export costs more than
/// storing it in SQLite, so the decoder parses each line once into this tape (a reused
/// buffer, no allocation per value) and materialises only what an ``Event`` keeps.
/// Containers record the index just past their last descendant in `next`, so a value is
/// skipped in one step.
struct JSONTape: ~Copyable {
    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    struct Token {
        var kind: Kind
        /// For strings: the contents hold at least one backslash escape.
        var escaped: Bool
        /// For strings, the bytes between the quotes; for other kinds, the whole value.
        var start: Int32
        var end: Int32
        /// Index of the token after this value and all it contains.
        var next: Int32
    }

    /// Why a line is not valid JSON, and the byte offset where that was found.
    struct SyntaxError: Error {
        var reason: String
        var offset: Int
        /// The document nests deeper than the parser's limit.
        var isTooDeep = false
    }

    let maximumDepth: Int
    private var storage: UnsafeMutablePointer<Token>
    private var capacity: Int
    private(set) var count = 0
    private var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

    init(maximumDepth: Int) {
        self.maximumDepth = maximumDepth
        capacity = 256
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// The tokens of the last parse; valid until the next one.
    var tokens: UnsafeBufferPointer<Token> { UnsafeBufferPointer(start: storage, count: count) }

    /// Parses one complete JSON value, replacing the previous contents of the tape.
    ///
    /// The bytes must already be valid UTF-8; the parser checks JSON grammar only.
    mutating func parse(_ input: UnsafeBufferPointer<UInt8>) throws(SyntaxError) {
        count = 0
        bytes = input
        var index = skipWhitespace(0)
        guard index < bytes.count else { throw SyntaxError(reason: "the line holds only whitespace", offset: 0) }
        index = try value(at: index, depth: 0)
        index = skipWhitespace(index)
        if index != bytes.count {
            throw SyntaxError(reason: "unexpected text after the end of the JSON value", offset: index)
        }
    }

    @inline(__always)
    private mutating func append(_ token: Token) {
        if count == capacity {
            let grown = UnsafeMutablePointer<Token>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: storage, count: count)
            storage.deallocate()
            storage = grown
            capacity *= 2
        }
        (storage + count).initialize(to: token)
        count &+= 1
    }

    @inline(__always)
    private func skipWhitespace(_ start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index &+= 1
            default: return index
            }
        }
        return index
    }

    private func describe(_ offset: Int) -> String {
        guard offset < bytes.count else { return "end of line" }
        let byte = bytes[offset]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private mutating func value(at offset: Int, depth: Int) throws(SyntaxError) -> Int {
        guard offset < bytes.count else {
            throw SyntaxError(reason: "the JSON ends where a value was expected", offset: offset)
        }
        switch bytes[offset] {
        case UInt8(ascii: "\""): return try string(at: offset)
        case UInt8(ascii: "{"): return try container(at: offset, depth: depth, isObject: true)
        case UInt8(ascii: "["): return try container(at: offset, depth: depth, isObject: false)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number(at: offset)
        case UInt8(ascii: "t"): return try literal("true", kind: .true, at: offset)
        case UInt8(ascii: "f"): return try literal("false", kind: .false, at: offset)
        case UInt8(ascii: "n"): return try literal("null", kind: .null, at: offset)
        default:
            throw SyntaxError(reason: "expected a JSON value but found \(describe(offset))", offset: offset)
        }
    }

    private mutating func container(at offset: Int, depth: Int, isObject: Bool) throws(SyntaxError) -> Int {
        guard depth < maximumDepth else {
            throw SyntaxError(reason: "JSON nested deeper than \(maximumDepth) levels", offset: offset, isTooDeep: true)
        }
        let tokenIndex = count
        append(Token(kind: isObject ? .object : .array, escaped: false, start: Int32(truncatingIfNeeded: offset),
                     end: 0, next: 0))
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        var index = skipWhitespace(offset &+ 1)
        if index < bytes.count && bytes[index] == close {
            index &+= 1
        } else {
            while true {
                if isObject {
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                        throw SyntaxError(reason: "expected a quoted key but found \(describe(index))", offset: index)
                    }
                    index = skipWhitespace(try string(at: index))
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                        throw SyntaxError(reason: "expected ':' after a key but found \(describe(index))", offset: index)
                    }
                    index = skipWhitespace(index &+ 1)
                }
                index = skipWhitespace(try value(at: index, depth: depth &+ 1))
                guard index < bytes.count else {
                    throw SyntaxError(reason: "the JSON ends inside an \(isObject ? "object" : "array")", offset: index)
                }
                if bytes[index] == UInt8(ascii: ",") {
                    index = skipWhitespace(index &+ 1)
                } else if bytes[index] == close {
                    index &+= 1
                    break
                } else {
                    throw SyntaxError(
                        reason: "expected ',' or '\(Character(Unicode.Scalar(close)))' but found \(describe(index))",
                        offset: index)
                }
            }
        }
        storage[tokenIndex].end = Int32(truncatingIfNeeded: index)
        storage[tokenIndex].next = Int32(truncatingIfNeeded: count)
        return index
    }

    private mutating func string(at offset: Int) throws(SyntaxError) -> Int {
        var index = offset &+ 1
        var escaped = false
        let end = bytes.count
        let base = bytes.baseAddress!
        while true {
            // Eight bytes at a time to the first quote, backslash or control character.
            while index &+ 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                let special = JSONTape.specialBytes(word)
                if special != 0 {
                    index &+= special.trailingZeroBitCount &>> 3
                    break
                }
                index &+= 8
            }
            guard index < end else { break }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                append(Token(kind: .string, escaped: escaped, start: Int32(truncatingIfNeeded: offset &+ 1),
                             end: Int32(truncatingIfNeeded: index), next: Int32(truncatingIfNeeded: count &+ 1)))
                return index &+ 1
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                guard index &+ 1 < end else { break }
                switch base[index &+ 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index &+= 2
                case UInt8(ascii: "u"):
                    guard index &+ 5 < end,
                          hexValue(base[index &+ 2]) != nil, hexValue(base[index &+ 3]) != nil,
                          hexValue(base[index &+ 4]) != nil, hexValue(base[index &+ 5]) != nil
                    else {
                        throw SyntaxError(reason: "a \\u escape needs four hex digits", offset: index)
                    }
                    index &+= 6
                default:
                    throw SyntaxError(reason: "invalid escape \\\(describe(index &+ 1)) in a string", offset: index)
                }
                continue
            }
            if byte < 0x20 {
                throw SyntaxError(reason: "unescaped control character in a string", offset: index)
            }
            index &+= 1
        }
        throw SyntaxError(reason: "a string is not closed before the end of the line", offset: offset)
    }

    /// A mask whose lowest set bit is the high bit of the first byte of `word` (in memory
    /// order) that is `"`, `\` or below 0x20; zero when there is none. Bits above the first
    /// may be false alarms, which is why only the lowest is used.
    @inline(__always)
    private static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroInQuote = (quote &- ones) & ~quote
        let zeroInBackslash = (backslash &- ones) & ~backslash
        let belowSpace = (word &- ones &* 0x20) & ~word
        return (zeroInQuote | zeroInBackslash | belowSpace) & highs
    }

    private mutating func number(at offset: Int) throws(SyntaxError) -> Int {
        var index = offset
        @inline(__always) func skipDigits(_ index: inout Int) -> Int {
            let first = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index &+= 1 }
            return index &- first
        }
        if bytes[index] == UInt8(ascii: "-") { index &+= 1 }
        guard index < bytes.count else { throw SyntaxError(reason: "a number has no digits", offset: offset) }
        if bytes[index] == UInt8(ascii: "0") {
            index &+= 1
        } else if skipDigits(&index) == 0 {
            throw SyntaxError(reason: "a number has no digits", offset: offset)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index &+= 1
            if skipDigits(&index) == 0 { throw SyntaxError(reason: "a number has no digits after '.'", offset: index) }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index &+= 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index &+= 1
            }
            if skipDigits(&index) == 0 {
                throw SyntaxError(reason: "a number has no digits in its exponent", offset: index)
            }
        }
        append(Token(kind: .number, escaped: false, start: Int32(truncatingIfNeeded: offset),
                     end: Int32(truncatingIfNeeded: index), next: Int32(truncatingIfNeeded: count &+ 1)))
        return index
    }

    private mutating func literal(_ word: StaticString, kind: Kind, at offset: Int) throws(SyntaxError) -> Int {
        let length = word.utf8CodeUnitCount
        guard offset &+ length <= bytes.count,
              memcmp(bytes.baseAddress! + offset, word.utf8Start, length) == 0
        else {
            throw SyntaxError(reason: "expected a JSON value but found \(describe(offset))", offset: offset)
        }
        append(Token(kind: kind, escaped: false, start: Int32(truncatingIfNeeded: offset),
                     end: Int32(truncatingIfNeeded: offset &+ length), next: Int32(truncatingIfNeeded: count &+ 1)))
        return offset &+ length
    }
}

@inline(__always)
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

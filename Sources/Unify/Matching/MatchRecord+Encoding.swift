/// Bytes a ``MatchRecord``'s normalised values are written to: what the store keeps beside
/// a record's values as written, so that reading a record back copies values instead of
/// normalising them again (about 60k instructions for a record with an address).
///
/// Integers are LEB128 varints, byte strings a length and their bytes, lists a count and
/// their elements, optionals a 0/1 flag before the value. ``MatchRecord/encoded`` ends with
/// a checksum, and reading checks what each normaliser guarantees: a value that breaks it
/// would trap a comparison, so damaged bytes read as no record rather than a wrong one.
struct MatchRecordWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func write(_ value: Int) {
        // Zigzag, so that the rare negative number stays short too.
        write(UInt64(bitPattern: Int64(value) << 1 ^ Int64(value) >> 63))
    }

    mutating func write(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    mutating func write(_ value: [UInt8]) {
        write(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func write(_ value: CompactBytes) {
        write(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func write(_ value: String) {
        write(Array(value.utf8))
    }

    /// A count, then each value as `element` writes it.
    mutating func write<Element>(_ values: [Element], each element: (inout MatchRecordWriter, Element) -> Void) {
        write(UInt64(values.count))
        for value in values { element(&self, value) }
    }

    /// A 0/1 flag, then the value as `element` writes it.
    mutating func write<Value>(_ value: Value?, each element: (inout MatchRecordWriter, Value) -> Void) {
        write(value != nil)
        if let value { element(&self, value) }
    }

    mutating func write(_ values: [UInt64]) { write(values) { $0.write($1) } }
    mutating func write(_ values: CompactWords) {
        write(UInt64(values.count))
        for value in values { write(value) }
    }

    mutating func write(_ values: [Int]) { write(values) { $0.write($1) } }
    mutating func write(_ values: [[UInt8]]) { write(values) { $0.write($1) } }
    mutating func write(_ value: String?) { write(value) { $0.write($1) } }
    mutating func write(_ value: Int?) { write(value) { $0.write($1) } }
}

/// Reads what ``MatchRecordWriter`` wrote; every read fails on bytes that end too soon or
/// hold a length past their end, and each value's reader on a value its normaliser never makes.
struct MatchRecordReader {
    /// Bytes that end too soon, a length or count past their end, or a value no normaliser makes.
    struct Damaged: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var isAtEnd: Bool { offset == bytes.count }

    /// How many bytes are read.
    var position: Int { offset }

    mutating func uint64() throws(Damaged) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        throw Damaged()
    }

    mutating func int() throws(Damaged) -> Int {
        let zigzag = try uint64()
        return Int(Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
    }

    mutating func bool() throws(Damaged) -> Bool {
        guard offset < bytes.count else { throw Damaged() }
        offset += 1
        return bytes[offset - 1] != 0
    }

    /// A count of things at least one byte long each, which the bytes left can hold.
    mutating func count() throws(Damaged) -> Int {
        let count = try uint64()
        guard count <= UInt64(bytes.count - offset) else { throw Damaged() }
        return Int(count)
    }

    mutating func byteString() throws(Damaged) -> [UInt8] {
        let count = try count()
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A byte string, inline when short: reading one allocates nothing.
    mutating func compactBytes() throws(Damaged) -> CompactBytes {
        CompactBytes(try byteStringBuffer())
    }

    /// A list of unsigned integers, inline when short.
    mutating func compactWords() throws(Damaged) -> CompactWords {
        let count = try count()
        guard count > CompactWords.inlineCapacity else {
            let first = count > 0 ? try uint64() : 0
            let second = count > 1 ? try uint64() : 0
            let third = count > 2 ? try uint64() : 0
            return CompactWords(first, second, third, count: count)
        }
        var values: [UInt64] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try uint64()) }
        return CompactWords(values)
    }

    /// A list of integers written as `Int`s (zigzag), none of them negative, inline when short.
    mutating func compactNaturals() throws(Damaged) -> CompactWords {
        let zigzags = try compactWords()
        guard !zigzags.contains(where: { $0 & 1 != 0 }) else { throw Damaged() }
        guard zigzags.count > CompactWords.inlineCapacity else {
            let count = zigzags.count
            return CompactWords(count > 0 ? zigzags[0] >> 1 : 0, count > 1 ? zigzags[1] >> 1 : 0,
                                count > 2 ? zigzags[2] >> 1 : 0, count: count)
        }
        return CompactWords(zigzags.map { $0 >> 1 })
    }

    /// A list of non-empty byte strings, as one string of them all and where each starts:
    /// a street's name words, read without an array for each.
    mutating func joinedByteStrings() throws(Damaged) -> (text: CompactBytes, starts: CompactWords) {
        let count = try count()
        var starts = (UInt64(0), UInt64(0), UInt64(0))
        var moreStarts: [UInt64] = []
        var damaged = false
        // The words together are no longer than the bytes left.
        let text = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, bytes.count - offset)) { buffer in
            var filled = 0
            do throws(Damaged) {
                for index in 0..<count {
                    let word = try byteStringBuffer()
                    guard !word.isEmpty else { throw Damaged() }
                    let start = UInt64(filled)
                    switch index {
                    case 0: starts.0 = start
                    case 1: starts.1 = start
                    case 2: starts.2 = start
                    default: break
                    }
                    if count > CompactWords.inlineCapacity { moreStarts.append(start) }
                    _ = UnsafeMutableBufferPointer(rebasing: buffer[filled...]).initialize(from: word)
                    filled += word.count
                }
            } catch {
                damaged = true
            }
            return CompactBytes(UnsafeBufferPointer(rebasing: buffer[..<filled]))
        }
        guard !damaged else { throw Damaged() }
        let startWords = count > CompactWords.inlineCapacity
            ? CompactWords(moreStarts) : CompactWords(starts.0, starts.1, starts.2, count: count)
        return (text, startWords)
    }

    /// A byte string in place, valid as long as the bytes read.
    private mutating func byteStringBuffer() throws(Damaged) -> UnsafeBufferPointer<UInt8> {
        let count = try count()
        defer { offset += count }
        return UnsafeBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    mutating func string() throws(Damaged) -> String {
        String(decoding: try byteString(), as: UTF8.self)
    }

    /// A value after a 0/1 flag, read by `element`, or `nil`.
    mutating func optional<Value>(_ element: (inout MatchRecordReader) throws(Damaged) -> Value) throws(Damaged) -> Value? {
        try bool() ? try element(&self) : nil
    }

    mutating func optionalString() throws(Damaged) -> String? { try optional { reader throws(Damaged) in try reader.string() } }
    mutating func optionalInt() throws(Damaged) -> Int? { try optional { reader throws(Damaged) in try reader.int() } }
}

extension MatchName {
    func write(to writer: inout MatchRecordWriter) {
        writer.write(text)
        writer.write(squashed)
        writer.write(tokenHashes)
        writer.write(initials)
        writer.write(isInitialsOnly)
        writer.write(nicknameGroups.low)
        writer.write(nicknameGroups.high)
        writer.write(phonetic)
    }

    init(from reader: inout MatchRecordReader) throws(MatchRecordReader.Damaged) {
        text = try reader.compactBytes()
        squashed = try reader.compactBytes()
        tokenHashes = try reader.compactWords()
        initials = try reader.compactBytes()
        isInitialsOnly = try reader.bool()
        nicknameGroups = NicknameGroups(low: try reader.uint64(), high: try reader.uint64())
        phonetic = try reader.compactBytes()
        // Comparisons and blocking read the first initial and squashed letter.
        guard !squashed.isEmpty, !initials.isEmpty, initials.count == tokenHashes.count else { throw MatchRecordReader.Damaged() }
    }
}

extension Birthday {
    func write(to writer: inout MatchRecordWriter) {
        writer.write(year)
        writer.write(month)
        writer.write(day)
    }

    init(from reader: inout MatchRecordReader) throws(MatchRecordReader.Damaged) {
        guard let birthday = Birthday(year: try reader.int(), month: try reader.int(), day: try reader.int()) else {
            throw MatchRecordReader.Damaged()
        }
        self = birthday
    }
}

extension Postcode {
    func write(to writer: inout MatchRecordWriter) {
        writer.write(code)
        writer.write(country)
    }

    init(from reader: inout MatchRecordReader) throws(MatchRecordReader.Damaged) {
        code = try reader.compactBytes()
        let country = try reader.optional { reader throws(MatchRecordReader.Damaged) in try reader.compactBytes() }
        // An empty code is written as no country, which it reads as.
        guard country.map({ !$0.isEmpty }) ?? true else { throw MatchRecordReader.Damaged() }
        countryCode = country ?? CompactBytes()
        guard (3...10).contains(code.count) else { throw MatchRecordReader.Damaged() }
    }
}

extension CityName {
    func write(to writer: inout MatchRecordWriter) {
        writer.write(squashed)
        writer.write(tokenHashes)
        writer.write(tokenStarts.map { Int($0) })
    }

    init(from reader: inout MatchRecordReader) throws(MatchRecordReader.Damaged) {
        squashed = try reader.compactBytes()
        tokenHashes = try reader.compactWords()
        tokenStarts = try reader.compactNaturals()
        guard !tokenStarts.isEmpty, tokenStarts.count == tokenHashes.count, tokenStarts[0] == 0,
              zip(tokenStarts, tokenStarts.dropFirst()).allSatisfy({ $0 < $1 }), tokenStarts.last! < squashed.count
        else { throw MatchRecordReader.Damaged() }
    }
}

extension StreetAddress {
    func write(to writer: inout MatchRecordWriter) {
        writer.write(number)
        writer.write(suffix)
        writer.write(type)
        writer.write(nameTokens)
        writer.write(nameHashes)
    }

    init(from reader: inout MatchRecordReader) throws(MatchRecordReader.Damaged) {
        number = try reader.optionalInt()
        suffix = try reader.compactBytes()
        type = try reader.compactBytes()
        (nameText, nameStarts) = try reader.joinedByteStrings()
        nameHashes = try reader.compactWords()
        guard !nameStarts.isEmpty, nameStarts.count == nameHashes.count, number.map({ $0 >= 0 }) ?? true else {
            throw MatchRecordReader.Damaged()
        }
    }
}

extension MatchPhone {
    func write(to writer: inout MatchRecordWriter) {
        writer.write(numberText)
        writer.write(lastEightDigits)
        writer.write(digitCount)
    }

    init(from reader: inout MatchRecordReader) throws(MatchRecordReader.Damaged) {
        numberText = try reader.compactBytes()
        lastEightDigits = try reader.uint64()
        digitCount = try reader.int()
        guard (6...15).contains(digitCount) else { throw MatchRecordReader.Damaged() }
    }
}

extension EmailLocalPart {
    func write(to writer: inout MatchRecordWriter) {
        writer.write(text)
    }

    init(from reader: inout MatchRecordReader) throws(MatchRecordReader.Damaged) {
        text = try reader.compactBytes()
        guard !text.isEmpty else { throw MatchRecordReader.Damaged() }
    }
}

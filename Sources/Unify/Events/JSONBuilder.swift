/// Writes a JSON document token by token into bytes, placing the commas itself, with no
/// allocation beyond its buffer: documents written for every changed customer of every
/// transaction must cost little.
///
/// ```swift
/// var json = JSONBuilder()
/// json.beginObject(); json.key("events"); json.integer(3); json.endObject()
/// json.text   // {"events":3}
/// ```
struct JSONBuilder: ~Copyable {
    /// The document so far: `count` bytes written into `capacity` allocated. A buffer of its
    /// own rather than an array: appending a byte to an array checks that it is unique first,
    /// and profile documents are appended a byte at a time.
    private var start: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// One bit per open container: whether a value was written in it (a comma comes next).
    private var filled: UInt64 = 0
    private var depth = 0
    private var afterKey = false

    init(capacity: Int = 2048) {
        self.capacity = max(capacity, 32)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    var text: String { String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self) }

    /// The document's bytes, which are UTF-8: strings are written from Swift strings.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: start, count: count)) }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toHold: count + extra) }
    }

    private mutating func grow(toHold needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: start, count: count)
        start.deallocate()
        (start, capacity) = (moved, larger)
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        start[count] = byte
        count += 1
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        reserve(bytes.count)
        (start + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    private mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard depth > 0 else { return }
        let bit: UInt64 = 1 << UInt64(depth - 1)
        if filled & bit != 0 { append(UInt8(ascii: ",")) }
        filled |= bit
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }

    mutating func endObject() { close(UInt8(ascii: "}")) }

    mutating func beginArray() { open(UInt8(ascii: "[")) }

    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Opens a container one level deeper, with nothing in it yet.
    private mutating func open(_ bracket: UInt8) {
        beforeValue()
        append(bracket)
        depth += 1
        filled &= ~(1 << UInt64(depth - 1))
    }

    private mutating func close(_ bracket: UInt8) {
        append(bracket)
        depth -= 1
    }

    mutating func key(_ name: StaticString) {
        beforeValue()
        append(UInt8(ascii: "\""))
        append(name)
        append(UInt8(ascii: "\""))
        append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func key(_ name: String) {
        beforeValue()
        appendString(name)
        append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func string(_ value: String) {
        beforeValue()
        appendString(value)
    }

    mutating func integer(_ value: Int64) {
        beforeValue()
        reserve(DecimalText.maximumLength)
        count += DecimalText.write(value, into: start + count)
    }

    mutating func integer(_ value: Int) { integer(Int64(value)) }

    mutating func bool(_ value: Bool) {
        beforeValue()
        append(value ? "true" : "false")
    }

    /// A value already written as JSON.
    mutating func raw(_ json: String) {
        beforeValue()
        var json = json
        json.withUTF8 { append($0) }
    }

    /// A key and an integer, skipped when the integer is absent.
    mutating func field(_ name: StaticString, _ value: Int64?) {
        guard let value else { return }
        key(name)
        integer(value)
    }

    /// A key and a string, skipped when the string is absent.
    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    private mutating func appendString(_ text: String) {
        var text = text
        text.withUTF8 { appendString($0) }
    }

    private mutating func appendString(_ utf8: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        // Most text needs no escape: copied whole.
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            append(utf8)
        } else {
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): append(0x5C); append(0x22)
                case UInt8(ascii: "\\"): append(0x5C); append(0x5C)
                case 0x0A: append(0x5C); append(0x6E)
                case 0x0D: append(0x5C); append(0x72)
                case 0x09: append(0x5C); append(0x74)
                case 0..<0x20:
                    append("\\u00")
                    append(JSONWriter.hexDigits[Int(byte >> 4)])
                    append(JSONWriter.hexDigits[Int(byte & 0xF)])
                default: append(byte)
                }
            }
        }
        append(UInt8(ascii: "\""))
    }
}

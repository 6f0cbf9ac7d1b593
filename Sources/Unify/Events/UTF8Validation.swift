/// The offset of the first byte that makes `bytes` invalid UTF-8, or `nil` when all is valid.
///
/// Checks eight ASCII bytes at a time, then every multi-byte sequence fully: no overlong
/// forms, no UTF-16 surrogates, nothing past U+10FFFF.
func firstInvalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    let count = bytes.count
    var index = 0
    let raw = UnsafeRawBufferPointer(bytes)
    while index < count {
        if index + 8 <= count,
           raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
        {
            index += 8
            continue
        }
        let lead = bytes[index]
        if lead < 0x80 {
            index += 1
            continue
        }
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return index
        }
        guard index + length <= count else { return index }
        let second = bytes[index + 1]
        guard second >= lower && second <= upper else { return index }
        for continuation in 2..<length where bytes[index + continuation] & 0xC0 != 0x80 {
            return index
        }
        index += length
    }
    return nil
}

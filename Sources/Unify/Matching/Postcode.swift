/// A postcode, normalised for comparison, with the country it belongs to when known.
///
/// Letters are upper-cased and spaces and hyphens dropped (`sw1a 1aa` is `SW1A1AA`); a
/// country prefix before digits is dropped (`F-75011`, `CH-1201`, `L-1234`). A French or
/// Monegasque code that lost its leading zero in a spreadsheet (`6000` for Nice) gets it back,
/// which needs the country: without one, four digits may be Belgian or Swiss. Codes of fewer
/// than three or more than ten characters, and runs of one digit (`00000`, `99999`), give no
/// postcode.
struct Postcode: Sendable, Hashable, CustomStringConvertible {
    /// The normalised code, ASCII.
    let code: CompactBytes
    /// The ISO 3166 code of its country, when the record said, as UTF-8; empty when it did
    /// not (inline: decoding a postcode makes no `String`).
    let countryCode: CompactBytes
    /// The ISO 3166 code of its country, when the record said.
    var country: String? { countryCode.isEmpty ? nil : countryCode.description }

    /// Normalises a postcode as written.
    init?(_ written: String, country: String? = nil) {
        var code: [UInt8] = []
        for byte in written.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"): code.append(byte)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): code.append(byte & ~0x20)
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."): continue
            default: return nil
            }
        }
        let letters = code.prefix { $0 >= UInt8(ascii: "A") }
        let rest = code.dropFirst(letters.count)
        if !rest.isEmpty, rest.allSatisfy({ $0 <= UInt8(ascii: "9") }),
           Postcode.countryPrefixes.contains(String(decoding: letters, as: UTF8.self))
        {
            code = Array(rest)
        }
        if code.count == 4, country == "FR" || country == "MC", code.allSatisfy({ $0 <= UInt8(ascii: "9") }) {
            code.insert(UInt8(ascii: "0"), at: 0)
        }
        guard (3...10).contains(code.count), code.contains(where: { $0 != code[0] }) else { return nil }
        self.code = CompactBytes(code)
        countryCode = CompactBytes(Array((country ?? "").utf8))
    }

    /// The code.
    var description: String { code.description }

    /// Letters written before a postcode to name its country.
    private static let countryPrefixes: Set<String> = ["F", "FR", "B", "BE", "CH", "L", "LU", "D", "DE", "MC", "A", "NL"]
}

import Foundation

/// Text reduced to the form the matcher compares: accents removed, case folded,
/// punctuation turned into single spaces.
///
/// `"KÉVIN"` folds to `kevin`, `"Müller"` to `muller`, `"Œuvre"` to `oeuvre`,
/// `"Jean-Pierre  O'Brien"` to `jean pierre o brien`. Folding is Unicode compatibility
/// decomposition (NFKD) with combining marks dropped, then lower-casing; the few Latin letters
/// that do not decompose (`œ æ ß ø ł đ ð þ ı`) are spelled out. Letters of other scripts are
/// kept, lower-cased, as UTF-8. Digits are kept. Anything else (hyphens, apostrophes, dots,
/// commas, symbols) separates tokens.
///
/// ```swift
/// FoldedText.folded("  Lefèvre-DUPUIS ")   // "lefevre dupuis"
/// FoldedText.tokens("l'Église St-Jean")      // ["l", "eglise", "st", "jean"]
/// ```
enum FoldedText {
    /// The folded form as UTF-8 bytes: tokens separated by one ASCII space, no leading or
    /// trailing space; empty when the text holds no letter or digit.
    static func fold(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        // Separators only become a space once the next letter arrives, which collapses runs
        // and trims both ends in one pass.
        func emit(_ byte: UInt8) {
            if pendingSpace, !output.isEmpty { output.append(UInt8(ascii: " ")) }
            pendingSpace = false
            output.append(byte)
        }
        func emitASCII(_ byte: UInt8) {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): emit(byte | 0x20)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): emit(byte)
            default: pendingSpace = true
            }
        }
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in text.utf8 { emitASCII(byte) }
            return output
        }
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.isASCII {
                emitASCII(UInt8(scalar.value))
                continue
            }
            let properties = scalar.properties
            switch properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                continue  // the accent of a decomposed letter
            default:
                break
            }
            if let spelled = spelledOut[scalar.value] {
                for byte in spelled.utf8 { emit(byte) }
            } else if properties.isAlphabetic || properties.numericType != nil {
                for byte in properties.lowercaseMapping.utf8 { emit(byte) }
            } else {
                pendingSpace = true
            }
        }
        return output
    }

    /// The folded form as a string.
    static func folded(_ text: String) -> String {
        String(decoding: fold(text), as: UTF8.self)
    }

    /// The folded tokens, in order.
    static func tokens(_ text: String) -> [String] {
        tokens(of: fold(text)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Splits folded bytes on their single spaces.
    static func tokens(of folded: [UInt8]) -> [[UInt8]] {
        folded.split(separator: UInt8(ascii: " ")).map(Array.init)
    }

    /// Latin letters that Unicode does not decompose into a base letter and an accent, as
    /// people write them without the special letter.
    private static let spelledOut: [UInt32: String] = [
        0x00C6: "ae", 0x00E6: "ae", 0x0152: "oe", 0x0153: "oe", 0x00DF: "ss", 0x1E9E: "ss",
        0x00D8: "o", 0x00F8: "o", 0x0141: "l", 0x0142: "l", 0x0110: "d", 0x0111: "d",
        0x00D0: "d", 0x00F0: "d", 0x00DE: "th", 0x00FE: "th", 0x0131: "i", 0x0126: "h", 0x0127: "h",
    ]
}

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
        var writer = Writer(capacity: text.utf8.count)
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in text.utf8 { writer.emitASCII(byte) }
            return writer.output
        }
        // Latin text (names and streets with accents) folds scalar by scalar from a table:
        // decomposition maps each scalar on its own, and the marks that reordering moves are
        // dropped anyway, so the result is the general path's, without Foundation's
        // decomposition (which cost more than the rest of building a record).
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                writer.emitASCII(UInt8(scalar.value))
                continue
            }
            guard scalar.value < FoldedText.latinFolds.count else { return foldDecomposing(text) }
            for byte in FoldedText.latinFolds[Int(scalar.value)] {
                if byte == FoldedText.separator { writer.separate() } else { writer.emit(byte) }
            }
        }
        return writer.output
    }

    /// Folded output being written. Separators only become a space once the next letter
    /// arrives, which collapses runs and trims both ends in one pass.
    private struct Writer {
        var output: [UInt8] = []
        private var pendingSpace = false

        init(capacity: Int) {
            output.reserveCapacity(capacity)
        }

        mutating func emit(_ byte: UInt8) {
            if pendingSpace, !output.isEmpty { output.append(UInt8(ascii: " ")) }
            pendingSpace = false
            output.append(byte)
        }

        mutating func emitASCII(_ byte: UInt8) {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): emit(byte | 0x20)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): emit(byte)
            default: separate()
            }
        }

        mutating func separate() {
            pendingSpace = true
        }
    }

    /// A byte that stands for a separator in ``latinFolds``: 0xFF is never in UTF-8.
    private static let separator: UInt8 = 0xFF

    /// What each scalar below U+0370 (Latin letters, their accents, Latin-1 symbols) folds
    /// to on its own: the bytes it emits, ``separator`` for a separator. Made by the general
    /// path itself, between two letters so that a separator shows as the space it becomes,
    /// so that the two paths cannot disagree.
    private static let latinFolds: [[UInt8]] = (0 ..< 0x370).map { value -> [UInt8] in
        guard let scalar = Unicode.Scalar(value), !scalar.isASCII else { return [] }
        let folded = foldDecomposing("a" + String(Character(scalar)) + "a")
        return folded.dropFirst().dropLast().map { $0 == UInt8(ascii: " ") ? separator : $0 }
    }

    /// The general path: compatibility decomposition, then scalar by scalar; what ``fold(_:)``
    /// does, more slowly, for any text.
    static func foldDecomposing(_ text: String) -> [UInt8] {
        var writer = Writer(capacity: text.utf8.count)
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.isASCII {
                writer.emitASCII(UInt8(scalar.value))
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
                for byte in spelled.utf8 { writer.emit(byte) }
            } else if properties.isAlphabetic || properties.numericType != nil {
                for byte in properties.lowercaseMapping.utf8 { writer.emit(byte) }
            } else {
                writer.separate()
            }
        }
        return writer.output
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

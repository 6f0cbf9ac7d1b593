extension String {
    /// The text with control characters (C0, DEL, C1) and bidirectional formatting marks
    /// written as escapes (`\n`, `\u{1B}`, `\u{202E}`), for printing values from the data to a
    /// terminal: an event name holding a newline would break a page's layout, one holding an
    /// escape sequence would drive the terminal, and a right-to-left override would reorder
    /// what follows it on screen.
    var terminalSafe: String {
        guard unicodeScalars.contains(where: \.isControl) else { return self }
        var safe = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": safe += "\\n"
            case "\r": safe += "\\r"
            case "\t": safe += "\\t"
            case _ where scalar.isControl: safe += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: safe.unicodeScalars.append(scalar)
            }
        }
        return safe
    }

    /// The text made ``terminalSafe``, then padded with spaces to `width` characters: a
    /// column of a page lines up with the escapes counted. A longer text is kept whole and
    /// followed by one space, so that it never runs into the next column.
    func terminalCell(_ width: Int) -> String {
        let safe = terminalSafe
        let count = safe.count
        return safe + String(repeating: " ", count: count < width ? width - count : 1)
    }

    /// The text made ``terminalSafe`` in at most `width` characters: cut between escapes,
    /// never inside one, and ended with `…` when cut.
    func terminalSafe(cutTo width: Int) -> String {
        let safe = terminalSafe
        guard safe.count > width else { return safe }
        var shown = ""
        for character in self {
            let piece = String(character).terminalSafe
            guard shown.count + piece.count <= width - 1 else { break }
            shown += piece
        }
        return shown + "…"
    }

    /// Each line of the text made ``terminalSafe``, the line breaks kept.
    var terminalSafeLines: String {
        split(separator: "\n", omittingEmptySubsequences: false).map { String($0).terminalSafe }.joined(separator: "\n")
    }
}

private extension Unicode.Scalar {
    var isControl: Bool {
        value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x200E || value == 0x200F
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }
}

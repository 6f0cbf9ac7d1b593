/// Splits a full name written in one field (`name`) into first and last name.
///
/// The rules, in order:
/// 1. A comma separates last from first: `Dupont, Jean`.
/// 2. Titles are dropped: `M.`, `Mme`, `Mr`, `Mrs`, `Dr`, `Monsieur`, `Madame`…
/// 3. Words written all in capitals (two letters or more) are the last name when the others
///    are not, as French forms write it: `DUPONT Jean`, `Jean-Pierre DE LA FONTAINE`.
/// 4. Otherwise the last word is the last name, with the particles before it:
///    `Jean de la Fontaine`, `Ludwig van Beethoven`.
/// 5. A single word is taken as a last name, which forms and receipts insist on.
///
/// An order that the rules get wrong (`Dupont Jean`) still matches the other order through
/// the ``MatchLevel/swapped`` level.
enum FullName {
    /// The first and last name of `written`; either may be `nil`.
    static func split(_ written: String) -> (first: String?, last: String?) {
        if let comma = written.firstIndex(of: ",") {
            let last = written[..<comma].split(separator: " ").filter { !isTitle($0) }.joined(separator: " ")
            let first = written[written.index(after: comma)...].split(separator: " ").filter { !isTitle($0) }
                .joined(separator: " ")
            return (first.isEmpty ? nil : first, last.isEmpty ? nil : last)
        }
        let words = written.split(whereSeparator: { $0 == " " || $0 == "\t" }).filter { !isTitle($0) }
        guard !words.isEmpty else { return (nil, nil) }
        if words.count == 1 { return (nil, String(words[0])) }
        let capitalised = words.map(isCapitalised)
        if capitalised.contains(true), capitalised.contains(false) {
            let first = zip(words, capitalised).filter { !$0.1 }.map { String($0.0) }.joined(separator: " ")
            let last = zip(words, capitalised).filter { $0.1 }.map { String($0.0) }.joined(separator: " ")
            return (first, last)
        }
        var lastStart = words.count - 1
        while lastStart > 1, particles.contains(words[lastStart - 1].lowercased()) { lastStart -= 1 }
        return (words[..<lastStart].joined(separator: " "), words[lastStart...].joined(separator: " "))
    }

    /// Words that start a family name: `de la Fontaine`, `van Beethoven`.
    static let particles: Set<String> = [
        "de", "du", "des", "la", "le", "d'", "l'", "van", "von", "der", "den", "di", "da", "del", "della", "dos", "das",
        "ter", "ten", "zu", "st", "saint", "sainte",
    ]

    /// Folded titles that are not part of a name.
    static let titles: Set<String> = [
        "m", "mr", "mme", "mlle", "mrs", "ms", "miss", "dr", "pr", "me", "monsieur", "madame", "mademoiselle",
        "sir", "herr", "frau",
    ]

    /// Whether a word is a title such as `M.` or `Madame`.
    private static func isTitle(_ word: Substring) -> Bool {
        titles.contains(FoldedText.folded(String(word)))
    }

    /// Whether a word of two letters or more is written in capitals only.
    private static func isCapitalised(_ word: Substring) -> Bool {
        let letters = word.filter(\.isLetter)
        return letters.count >= 2 && letters.allSatisfy { $0.isUppercase }
    }
}

/// A street line, split into house number, street type and the words that name the street.
///
/// `145 bis, Av. du Général-Leclerc` reads as number 145, suffix `bis`, type `avenue`, name
/// `leclerc`. The rules:
/// - The house number is the first word that starts with a digit, wherever it is, so the
///   Belgian and Swiss order (`Rue de la Loi 16`, `Bahnhofstrasse 12`) reads too. Letters
///   glued to it or the word after it are its suffix: `bis`, `ter`, `quater`, `quinquies`, or
///   one letter a–d; `b`, `t` and `q` alone mean `bis`, `ter` and `quater`, as French
///   addresses abbreviate them. Other numbers (a flat, a postcode in a one-line address) are
///   dropped.
/// - Abbreviated street types are spelled out: `av ave aven` avenue, `bd bld blvd boul bvd`
///   boulevard, `r` rue, `ch chem` chemin, `chee chaus` chaussée, `pl` place, `imp` impasse,
///   `all` allée, `rte` route, `fg fbg` faubourg, `sq` square, `crs` cours, `pass` passage,
///   `qu` quai, `res` résidence, `lot` lotissement, `sent` sentier, `prom` promenade,
///   `str` strasse. `ch` alone is ambiguous, chemin in France and Switzerland, chaussée in
///   Belgium; it is read as chemin. It matters less than it seems: the type only decides
///   whether two streets are *exactly* equal, and similarity reads the name words alone.
///   German `…strasse`/`…str.` glued to the name (`Bahnhofstr.`) is split into the type
///   `strasse` and the name `bahnhof`.
/// - The first street-type word is the type; the rest is the name, without stop words
///   (`de la du des le les l d au aux et sur en`), unit words (`apt bat etage esc porte bp cs`),
///   single letters, and, when other words remain, honorifics and `saint` (`Boulevard
///   Saint-Michel` is named `michel`, `Place du Général de Gaulle` is named `gaulle`), which
///   otherwise make unrelated streets look alike.
///
/// A line without any name word (`12`, `rue`) gives no street.
struct StreetAddress: Sendable, Hashable, CustomStringConvertible {
    /// The house number, if any.
    let number: Int?
    /// The suffix of the house number (`bis`, `ter`, `a`), empty when none.
    let suffix: CompactBytes
    /// The spelled-out street type (`rue`, `avenue`), empty when none.
    let type: CompactBytes
    /// The words that name the street, one after the other (``nameStarts`` tells them apart).
    let nameText: CompactBytes
    /// Where each name word starts in ``nameText``.
    let nameStarts: CompactWords
    /// A ``TokenHash`` of each name word.
    let nameHashes: CompactWords

    /// How many words name the street.
    var nameCount: Int { nameStarts.count }

    /// Where name word `index` is in ``nameText``.
    func nameRange(_ index: Int) -> Range<Int> {
        Int(nameStarts[index])..<(index + 1 < nameStarts.count ? Int(nameStarts[index + 1]) : nameText.count)
    }

    /// The words that name the street, in order.
    var nameTokens: [[UInt8]] { (0..<nameCount).map { Array(nameText[nameRange($0)]) } }

    /// Reads a street line as written; `nil` when it names no street.
    init?(_ written: String) {
        var number: Int?
        var suffix: [UInt8] = []
        var type: [UInt8] = []
        var words: [[UInt8]] = []
        var expectsSuffix = false
        for token in FoldedText.tokens(of: FoldedText.fold(written)) {
            let digits = token.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            if !digits.isEmpty {
                // Five digits and more are a postcode or a customer number, not a house number.
                guard number == nil, digits.count <= 4 else { continue }
                number = Int(String(decoding: digits, as: UTF8.self))
                let glued = Array(token.dropFirst(digits.count))
                if let normalised = StreetAddress.suffix(glued) { suffix = normalised }
                expectsSuffix = glued.isEmpty
                continue
            }
            if expectsSuffix, let normalised = StreetAddress.suffix(token) {
                suffix = normalised
                expectsSuffix = false
                continue
            }
            expectsSuffix = false
            var word = String(decoding: token, as: UTF8.self)
            if let spelled = StreetAddress.abbreviations[word] { word = spelled }
            if type.isEmpty, word != "strasse", word.hasSuffix("strasse") || word.hasSuffix("str") {
                type = Array("strasse".utf8)
                word = String(word.dropLast(word.hasSuffix("strasse") ? 7 : 3))
            } else if type.isEmpty, StreetAddress.types.contains(word) {
                type = Array(word.utf8)
                continue
            }
            guard word.utf8.count > 1, !StreetAddress.stopWords.contains(word), !StreetAddress.unitWords.contains(word) else {
                continue
            }
            words.append(Array(word.utf8))
        }
        let named = words.filter { !StreetAddress.weakWords.contains(String(decoding: $0, as: UTF8.self)) }
        let nameTokens = named.isEmpty ? words : named
        guard !nameTokens.isEmpty else { return nil }
        self.init(number: number, suffix: suffix, type: type, nameTokens: nameTokens)
    }

    /// A street from its parts, as ``init(_:)`` found them.
    init(number: Int?, suffix: [UInt8], type: [UInt8], nameTokens: [[UInt8]]) {
        self.number = number
        self.suffix = CompactBytes(suffix)
        self.type = CompactBytes(type)
        nameText = CompactBytes(nameTokens.joined())
        var starts: [UInt64] = []
        var start = 0
        for token in nameTokens {
            starts.append(UInt64(start))
            start += token.count
        }
        nameStarts = CompactWords(starts)
        nameHashes = CompactWords(nameTokens.map { TokenHash.of($0) })
    }

    /// `145 bis avenue leclerc`.
    var description: String {
        var parts: [String] = []
        if let number { parts.append(String(number)) }
        if !suffix.isEmpty { parts.append(suffix.description) }
        if !type.isEmpty { parts.append(type.description) }
        parts.append(contentsOf: nameTokens.map { String(decoding: $0, as: UTF8.self) })
        return parts.joined(separator: " ")
    }

    /// The normalised suffix for a word after or glued to a house number, if it is one.
    private static func suffix(_ word: [UInt8]) -> [UInt8]? {
        switch String(decoding: word, as: UTF8.self) {
        case "b", "bis": Array("bis".utf8)
        case "t", "ter": Array("ter".utf8)
        case "q", "quater": Array("quater".utf8)
        case "quinquies": Array("quinquies".utf8)
        case "a", "c", "d": word
        default: nil
        }
    }

    static let types: Set<String> = [
        "rue", "avenue", "boulevard", "chemin", "chaussee", "place", "impasse", "allee", "route", "faubourg", "square",
        "cours", "passage", "quai", "residence", "lotissement", "sentier", "promenade", "esplanade", "voie", "ruelle",
        "parvis", "cite", "hameau", "lieu", "lieudit", "rond", "strasse", "weg", "gasse", "straat", "laan", "dreef",
    ]

    private static let abbreviations: [String: String] = [
        "av": "avenue", "ave": "avenue", "aven": "avenue", "bd": "boulevard", "bld": "boulevard", "blvd": "boulevard",
        "boul": "boulevard", "bvd": "boulevard", "r": "rue", "ch": "chemin", "chem": "chemin", "chee": "chaussee",
        "chs": "chaussee", "chaus": "chaussee", "pl": "place", "imp": "impasse", "all": "allee", "rte": "route",
        "fg": "faubourg", "fbg": "faubourg", "sq": "square", "crs": "cours", "pass": "passage", "qu": "quai",
        "res": "residence", "resid": "residence", "lot": "lotissement", "sent": "sentier", "prom": "promenade",
        "str": "strasse", "st": "saint", "ste": "sainte", "gen": "general", "gal": "general", "mal": "marechal",
        "dr": "docteur", "pdt": "president", "pres": "president", "prof": "professeur", "gd": "grand", "gde": "grande",
        "cdt": "commandant", "lt": "lieutenant", "cpt": "capitaine", "col": "colonel", "ld": "lieudit",
    ]

    private static let stopWords: Set<String> = ["de", "la", "le", "les", "du", "des", "au", "aux", "et", "sur", "en", "dit", "point"]

    private static let unitWords: Set<String> = [
        "apt", "appt", "app", "appartement", "bat", "batiment", "bt", "etage", "etg", "esc", "escalier", "porte",
        "bp", "cs", "tsa", "cedex", "boite", "bte", "bus",
    ]

    private static let weakWords: Set<String> = [
        "saint", "sainte", "general", "marechal", "docteur", "president", "professeur", "commandant", "lieutenant",
        "capitaine", "colonel", "abbe", "grand", "grande", "petit", "petite",
    ]
}

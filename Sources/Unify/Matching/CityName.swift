/// A city or town name, normalised for comparison.
///
/// Folded (``FoldedText``), with `st`/`ste` read as `saint`/`sainte` and `s/` as `sur`; the
/// delivery and district parts that vary between records of one town are dropped: `cedex`,
/// arrondissements (`Paris 11e`, `Lyon 3ème`, `Marseille 8`), any number. A few Belgian and
/// Swiss towns known by several languages' names are read as one (`Brussel`, `Brussels` and
/// `Bruxelles`; `Genf`, `Geneva` and `Genève`; `Antwerpen` and `Anvers`…).
struct CityName: Sendable, Hashable, CustomStringConvertible {
    /// The normalised name without spaces: `saintgermainenlaye`.
    let squashed: CompactBytes
    /// A ``TokenHash`` of each token.
    let tokenHashes: CompactWords
    /// Where each token starts in ``squashed``, so a comparison can skip common leading words.
    let tokenStarts: CompactWords

    /// Normalises a city as written; `nil` when nothing usable is left.
    init?(_ written: String) {
        var tokens: [[UInt8]] = []
        for token in FoldedText.tokens(of: FoldedText.fold(written)) {
            let text = String(decoding: token, as: UTF8.self)
            if CityName.droppedWords.contains(text) || CityName.isDistrictNumber(token) { continue }
            if let expanded = CityName.abbreviations[text] {
                tokens.append(Array(expanded.utf8))
            } else {
                tokens.append(token)
            }
        }
        guard !tokens.isEmpty else { return nil }
        let joined = tokens.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
        if let canonical = CityName.otherLanguageNames[joined] {
            tokens = [Array(canonical.utf8)]
        }
        var squashed: [UInt8] = []
        var starts: [Int] = []
        for token in tokens {
            starts.append(squashed.count)
            squashed.append(contentsOf: token)
        }
        self.squashed = CompactBytes(squashed)
        tokenHashes = CompactWords(tokens.map { TokenHash.of($0) })
        tokenStarts = CompactWords(starts.map { UInt64($0) })
    }

    /// The normalised name.
    var description: String { squashed.description }

    private static let droppedWords: Set<String> = ["cedex", "arrondissement", "arr", "arrdt", "er", "e", "eme", "cx"]

    private static let abbreviations: [String: String] = ["st": "saint", "ste": "sainte", "s": "sur", "sr": "sur"]

    private static let otherLanguageNames: [String: String] = [
        "brussel": "bruxelles", "brussels": "bruxelles", "antwerpen": "anvers", "antwerp": "anvers", "gent": "gand",
        "ghent": "gand", "luik": "liege", "leuven": "louvain", "bergen": "mons", "brugge": "bruges", "mechelen": "malines",
        "genf": "geneve", "geneva": "geneve", "ginevra": "geneve", "basel": "bale", "basle": "bale", "bern": "berne",
        "luzern": "lucerne", "zurich": "zurich", "zuerich": "zurich", "biel": "bienne", "biel bienne": "bienne",
        "freiburg": "fribourg", "neuenburg": "neuchatel", "sitten": "sion",
    ]

    /// `11`, `11e`, `3eme`, `1er`: a number, possibly with an ordinal ending.
    private static func isDistrictNumber(_ token: [UInt8]) -> Bool {
        guard let first = token.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return false }
        let ending = String(decoding: token.drop { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }, as: UTF8.self)
        return ["", "e", "er", "eme", "ème", "ieme", "re"].contains(ending)
    }
}

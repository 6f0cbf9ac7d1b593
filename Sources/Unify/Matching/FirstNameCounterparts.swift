/// Masculine and feminine forms of one first name (`Denis`/`Denise`, `Julien`/`Julie`,
/// `Daniel`/`Danielle`, `Stéphane`/`Stéphanie`, `Frédéric`/`Frédérique`): two people, not a
/// typo.
///
/// They differ by a letter or two at the end, so Jaro–Winkler finds them similar (`denis`/
/// `denise` 0.97), and they are what relatives at one address are most often called: on the
/// matching benchmark, of the pairs of records agreeing on last name and postcode whose first
/// names were similar but not equal, one in seven was two people, nearly all such
/// counterparts. ``NameComparison`` reads them as a first-name mismatch, which also lets the
/// rule on relatives (``RecordLinker``) hold the pair back. A typo that happens to add or drop
/// a feminine ending (`Denise` typed `Denis`) is lost with them.
///
/// Two folded, squashed names are counterparts when, after their longest common beginning (at
/// least three letters), what is left of each is one of ``endings``, in either order.
enum FirstNameCounterparts {
    /// What is left of the masculine form and of the feminine form after their common
    /// beginning, for the usual ways French (and a few Italian and Spanish) names form one
    /// from the other.
    static let endings: [(masculine: String, feminine: String)] = [
        ("", "e"),      // Denis/Denise, Louis/Louise, Pascal/Pascale, Martin/Martine, François/Françoise
        ("", "ne"),     // Jean/Jeanne, Julien/Julienne, Fabien/Fabienne
        ("", "le"),     // Daniel/Danielle, Michel/Michelle, Emmanuel/Emmanuelle, Gabriel/Gabrielle
        ("", "ette"),   // Henri/Henriette, Paul/Paulette
        ("", "tte"),    // Antoine/Antoinette
        ("es", "ette"), // Georges/Georgette
        ("", "ine"),    // Paul/Pauline
        ("", "a"),      // Paul/Paula, Éric/Érica
        ("e", "a"),     // Alexandre/Alexandra
        ("o", "a"),     // Mario/Maria, Antonio/Antonia
        ("e", "ie"),    // Stéphane/Stéphanie
        ("n", ""),      // Julien/Julie, Aurélien/Aurélie, Lucien/Lucie
        ("nt", ""),     // Laurent/Laure
        ("t", "ce"),    // Laurent/Laurence, Florent/Florence, Clément/Clémence
        ("c", "que"),   // Frédéric/Frédérique, Dominic/Dominique
        ("an", "ne"),   // Christian/Christine
    ]

    /// The endings as bytes, both orders, for a lookup without allocating.
    private static let pairs: [([UInt8], [UInt8])] = endings.flatMap { ending in
        [(Array(ending.masculine.utf8), Array(ending.feminine.utf8)), (Array(ending.feminine.utf8), Array(ending.masculine.utf8))]
    }

    /// Whether two folded, squashed first names are the masculine and feminine forms of one name.
    static func areCounterparts(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        var common = 0
        var i = a.startIndex
        var j = b.startIndex
        while i != a.endIndex, j != b.endIndex, a[i] == b[j] {
            common += 1
            a.formIndex(after: &i)
            b.formIndex(after: &j)
        }
        guard common >= 3 else { return false }
        let restA = a[i...]
        let restB = b[j...]
        guard restA.count <= 4, restB.count <= 4, restA.count != restB.count || !restA.elementsEqual(restB) else { return false }
        for (x, y) in pairs where x.count == restA.count && y.count == restB.count {
            if restA.elementsEqual(x), restB.elementsEqual(y) { return true }
        }
        return false
    }
}

/// Reads a country as offline data write it into an ISO 3166 alpha-2 code.
///
/// Codes (`FR`, `fr`, `FRA`) and the usual names in French, English, German, Dutch and
/// Italian for the countries a French, Belgian or Swiss shop sees (`France`, `Belgique`,
/// `België`, `Suisse`, `Schweiz`, `Svizzera`…) are recognised; anything else is kept folded
/// and upper-cased, so two records that spell an unknown country alike still agree.
enum CountryCode {
    /// The code of `written`; `nil` when it holds no letter.
    static func normalise(_ written: String) -> String? {
        let folded = FoldedText.folded(written)
        guard !folded.isEmpty else { return nil }
        if let code = names[folded] { return code }
        return folded.uppercased()
    }

    private static let names: [String: String] = [
        "fr": "FR", "fra": "FR", "france": "FR", "frankreich": "FR", "frankrijk": "FR", "francia": "FR",
        "be": "BE", "bel": "BE", "belgique": "BE", "belgium": "BE", "belgie": "BE", "belgien": "BE", "belgio": "BE",
        "ch": "CH", "che": "CH", "suisse": "CH", "switzerland": "CH", "schweiz": "CH", "svizzera": "CH",
        "zwitserland": "CH",
        "lu": "LU", "lux": "LU", "luxembourg": "LU", "luxemburg": "LU", "lussemburgo": "LU",
        "mc": "MC", "mco": "MC", "monaco": "MC",
        "de": "DE", "deu": "DE", "allemagne": "DE", "germany": "DE", "deutschland": "DE", "duitsland": "DE",
        "nl": "NL", "nld": "NL", "pays bas": "NL", "netherlands": "NL", "nederland": "NL", "holland": "NL",
        "it": "IT", "ita": "IT", "italie": "IT", "italy": "IT", "italia": "IT", "italien": "IT",
        "es": "ES", "esp": "ES", "espagne": "ES", "spain": "ES", "espana": "ES", "spanien": "ES",
        "gb": "GB", "gbr": "GB", "uk": "GB", "royaume uni": "GB", "united kingdom": "GB", "england": "GB",
        "angleterre": "GB", "great britain": "GB",
        "pt": "PT", "prt": "PT", "portugal": "PT",
        "at": "AT", "aut": "AT", "autriche": "AT", "austria": "AT", "osterreich": "AT",
        "us": "US", "usa": "US", "etats unis": "US", "united states": "US",
        "ca": "CA", "can": "CA", "canada": "CA",
        "ma": "MA", "mar": "MA", "maroc": "MA", "morocco": "MA",
    ]
}

/// Turns phone numbers into E.164 (`+33612345678`) using the shop's default country for
/// numbers written in national form.
///
/// Identifiers arrive with their digits and a leading `+` kept (`0612345678`,
/// `+33612345678`); a national number is read with the default country's calling code and
/// trunk prefix. `06 12 34 56 78` and `+33 6 12 34 56 78` are then one phone.
struct PhoneNumbers: Sendable {
    /// A country's calling code and whether national numbers start with a trunk `0` that
    /// E.164 drops.
    struct Country: Sendable {
        var callingCode: String
        var dropsTrunkZero: Bool
    }

    /// Countries by ISO 3166 code. Numbers of other countries are kept only when written
    /// in international form.
    static let countries: [String: Country] = [
        "FR": Country(callingCode: "33", dropsTrunkZero: true), "BE": Country(callingCode: "32", dropsTrunkZero: true),
        "CH": Country(callingCode: "41", dropsTrunkZero: true), "LU": Country(callingCode: "352", dropsTrunkZero: false),
        "DE": Country(callingCode: "49", dropsTrunkZero: true), "AT": Country(callingCode: "43", dropsTrunkZero: true),
        "NL": Country(callingCode: "31", dropsTrunkZero: true), "GB": Country(callingCode: "44", dropsTrunkZero: true),
        "IE": Country(callingCode: "353", dropsTrunkZero: true), "ES": Country(callingCode: "34", dropsTrunkZero: false),
        "PT": Country(callingCode: "351", dropsTrunkZero: false), "IT": Country(callingCode: "39", dropsTrunkZero: false),
        "SE": Country(callingCode: "46", dropsTrunkZero: true), "DK": Country(callingCode: "45", dropsTrunkZero: false),
        "NO": Country(callingCode: "47", dropsTrunkZero: false), "PL": Country(callingCode: "48", dropsTrunkZero: false),
        "US": Country(callingCode: "1", dropsTrunkZero: false), "CA": Country(callingCode: "1", dropsTrunkZero: false),
        "AU": Country(callingCode: "61", dropsTrunkZero: true), "JP": Country(callingCode: "81", dropsTrunkZero: true),
        "IN": Country(callingCode: "91", dropsTrunkZero: true), "BR": Country(callingCode: "55", dropsTrunkZero: true),
        "MA": Country(callingCode: "212", dropsTrunkZero: true),
    ]

    let defaultCountry: Country?

    init(defaultCountry code: String?) {
        defaultCountry = code.flatMap { PhoneNumbers.countries[$0.uppercased()] }
    }

    /// The E.164 form of a phone identifier's value (digits with an optional leading `+`);
    /// unchanged when it is national and no default country is known.
    func e164(_ value: String) -> String {
        if value.hasPrefix("+") { return value }
        guard let country = defaultCountry else { return value }
        var national = Substring(value)
        if country.callingCode == "1" {
            // North American numbers are ten digits; a leading 1 is the country code itself.
            if national.count == 11 && national.hasPrefix("1") { national = national.dropFirst() }
            return "+1" + national
        }
        if country.dropsTrunkZero && national.hasPrefix("0") {
            national = national.dropFirst()
        } else if national.hasPrefix(country.callingCode) && national.count > 9 {
            // The country code written without its `+`: 33612345678.
            return "+" + national
        }
        return "+" + country.callingCode + national
    }
}

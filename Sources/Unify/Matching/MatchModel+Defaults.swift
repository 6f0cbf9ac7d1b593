extension MatchModel {
    /// Parameters for when there is too little data to estimate any (see
    /// ``ExpectationMaximisation``), and the prior that estimation starts from.
    ///
    /// They are reasoned estimates, not fitted to data. Where they come from:
    /// - **u** (two different people agree) from frequency arguments for a French, Belgian or
    ///   Swiss retail customer base: the chance that two random people share a first name is
    ///   about the sum of squared name frequencies, under 1 % for French first names (0.8 %
    ///   here) and about 0.1 % for surnames (0.2 % here, as customers cluster regionally);
    ///   birthdays spread over about 70 years give 1/25,000 for an exact date (1/10,000
    ///   here, as ages cluster), 1/800 for the same year and month, 1/365 for the same day and
    ///   month, and 1/2,000 for the same year where one side gives only a year (1/60 for the
    ///   year, times the few percent of records that give no more); a shop's customers
    ///   concentrate in a few postcodes (1 % share a postcode, 10 % a département) and towns (3 %); eight trailing phone digits are as good as unique,
    ///   raised to 1/10,000 for an exact number because households share landlines; street
    ///   agreement is set five times above its chance value because it goes with shared last
    ///   names and postcodes (households), which the independence assumption ignores; swapped
    ///   names, one fact about both names, get the chance of both names agreeing
    ///   (0.008 × 0.002), so a swap weighs less than two exact names; a similar first name
    ///   (a typo) 1/1,000, as most first names of different people that Jaro–Winkler finds
    ///   similar are one name's masculine and feminine forms (`Denis`/`Denise`), which are
    ///   a mismatch instead (``FirstNameCounterparts``).
    /// - **m** (one person agrees with themself) from error rates commonly reported in
    ///   record linkage (Winkler's census work, Splink's examples): 85–92 % exact agreement on
    ///   names and birthdays, a few percent of typos, nicknames and swapped fields, a birth
    ///   year alone on one of two forms (1.5 %), a last name that changes with marriage (5.5 % mismatch), people moving house (8 % postcode
    ///   mismatch, 14 % street), and several phones and email addresses per person.
    /// - **λ** = 1/10,000, Splink's default: about right for ten thousand records with one
    ///   duplicate for every two people; smaller data deserve a larger λ, larger data a smaller
    ///   one, which estimation finds.
    ///
    /// Resulting weights, for a sense of scale: last name exact +8.7, first name exact +6.7,
    /// first name similar +4.9 (so a typo in the first name, with last name and postcode
    /// exact, reaches the default threshold),
    /// swapped names +9.3,
    /// birthday exact +13.2, postcode exact +6.4 and mismatch −3.4, first name mismatch −5.0;
    /// the prior −13.3.
    static let `default` = MatchModel(
        priorMatchProbability: 0.000_1,
        fields: [
            Field(field: .firstName, levels: [
                Level(level: .exact, m: 0.85, u: 0.008),
                Level(level: .swapped, m: 0.01, u: 0.000_016),
                Level(level: .compound, m: 0.03, u: 0.002),
                Level(level: .nickname, m: 0.02, u: 0.001),
                Level(level: .similar, m: 0.03, u: 0.001),
                Level(level: .initial, m: 0.01, u: 0.000_7),
                Level(level: .close, m: 0.02, u: 0.01),
                Level(level: .mismatch, m: 0.03, u: 0.977_284),
            ]),
            Field(field: .lastName, levels: [
                Level(level: .exact, m: 0.86, u: 0.002),
                Level(level: .compound, m: 0.03, u: 0.000_5),
                Level(level: .similar, m: 0.03, u: 0.001),
                Level(level: .phonetic, m: 0.01, u: 0.002),
                Level(level: .close, m: 0.01, u: 0.005),
                Level(level: .initial, m: 0.005, u: 0.000_5),
                Level(level: .mismatch, m: 0.055, u: 0.989),
            ]),
            Field(field: .birthday, levels: [
                Level(level: .exact, m: 0.91, u: 0.000_1),
                Level(level: .transposedDayMonth, m: 0.01, u: 0.000_02),
                Level(level: .sameYearAndMonth, m: 0.02, u: 0.001_3),
                Level(level: .sameDayAndMonth, m: 0.02, u: 0.002_7),
                Level(level: .sameYear, m: 0.015, u: 0.000_5),
                Level(level: .withinOneYear, m: 0.005, u: 0.029_5),
                Level(level: .mismatch, m: 0.02, u: 0.965_88),
            ]),
            Field(field: .postcode, levels: [
                Level(level: .exact, m: 0.85, u: 0.01),
                Level(level: .sameDistrict, m: 0.04, u: 0.03),
                Level(level: .sameRegion, m: 0.03, u: 0.10),
                Level(level: .mismatch, m: 0.08, u: 0.86),
            ]),
            Field(field: .city, levels: [
                Level(level: .exact, m: 0.86, u: 0.03),
                Level(level: .similar, m: 0.04, u: 0.005),
                Level(level: .mismatch, m: 0.10, u: 0.965),
            ]),
            Field(field: .street, levels: [
                Level(level: .exact, m: 0.75, u: 0.000_5),
                Level(level: .sameNumberSimilarStreet, m: 0.08, u: 0.000_5),
                Level(level: .sameStreetOtherNumber, m: 0.03, u: 0.002),
                Level(level: .mismatch, m: 0.14, u: 0.997),
            ]),
            Field(field: .phone, levels: [
                Level(level: .exact, m: 0.60, u: 0.000_1),
                Level(level: .sameLastEightDigits, m: 0.05, u: 0.000_01),
                Level(level: .oneEditInLastEight, m: 0.02, u: 0.000_05),
                Level(level: .mismatch, m: 0.33, u: 0.999_84),
            ]),
            Field(field: .emailLocalPart, levels: [
                Level(level: .exact, m: 0.50, u: 0.000_1),
                Level(level: .similar, m: 0.10, u: 0.002),
                Level(level: .mismatch, m: 0.40, u: 0.997_9),
            ]),
        ]
    )
}

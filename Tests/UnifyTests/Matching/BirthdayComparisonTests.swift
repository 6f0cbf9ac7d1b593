import Testing
@testable import Unify

extension Matching {
    @Suite("Reading and comparing birthdays")
    struct BirthdayComparisonTests {
        private func level(_ a: String, _ b: String) -> MatchLevel {
            BirthdayComparison.compare(MatchRecord(birthdays: [a]).birthdays, MatchRecord(birthdays: [b]).birthdays)
        }

        @Test(arguments: [
            "1980-03-12", "12/03/1980", "12-03-1980", "12.03.1980", "1980/03/12", "19800312", "1980-03-12T00:00:00Z",
            "1980-03-12T00:00:00.000+01:00", "1980-03-12 00:00:00", "1980-03-11T23:00:00.000Z", "1980-03-11T22:00:00Z",
        ])
        func everyUsualSpellingReadsAsOneDate(written: String) {
            #expect(Birthday(written)?.description == "1980-03-12")
        }

        @Test func midnightShiftAcrossTheEndOfAMonthAndYearLandsOnTheNextDay() {
            #expect(Birthday("1980-02-29T23:00:00Z")?.description == "1980-03-01")
            #expect(Birthday("1979-12-31T23:00:00Z")?.description == "1980-01-01")
        }

        @Test(arguments: ["1980-02-30", "31/04/1980", "1899-05-01", "1900-01-01", "1970-01-01", "not a date", "", "12/03/80", "1980-13-01"])
        func impossibleOrPlaceholderDatesAreNoBirthday(written: String) {
            #expect(Birthday(written) == nil)
        }

        @Test func partialDatesKeepWhatIsKnown() {
            #expect(Birthday("1980")?.description == "1980")
            #expect(Birthday("1980-03")?.description == "1980-03")
            #expect(Birthday("1980")?.isComplete == false)
        }

        @Test func equalDatesAreExact() {
            #expect(level("1980-03-12", "12/03/1980") == .exact)
        }

        @Test func swappedDayAndMonthAreTransposed() {
            #expect(level("1980-03-12", "1980-12-03") == .transposedDayMonth)
        }

        @Test func anotherDayOfTheSameMonthIsSameYearAndMonth() {
            #expect(level("1980-03-12", "1980-03-21") == .sameYearAndMonth)
        }

        @Test func anotherYearOnTheSameDayIsSameDayAndMonth() {
            #expect(level("1980-03-12", "1908-03-12") == .sameDayAndMonth)
        }

        @Test func datesWithinAYearAreWithinOneYear() {
            #expect(level("1980-12-20", "1981-01-05") == .withinOneYear)
            #expect(level("1980-01-20", "1980-11-05") == .withinOneYear)
        }

        @Test func aKnownYearAloneAgreesAsTheSameYear() {
            #expect(level("1980", "1980-03-12") == .sameYear)
            #expect(level("1980", "1980") == .sameYear)
            #expect(level("1980-03", "1980-03-12") == .sameYearAndMonth)
            #expect(level("1980", "1981-03-12") == .mismatch)
            // As far as the side that gives only a year knows, it agrees: evidence for, where
            // two complete dates months apart are evidence against.
            let model = MatchModel.default
            #expect(model.weight(of: .sameYear, for: .birthday) > 4)
            #expect(model.weight(of: .withinOneYear, for: .birthday) < 0)
        }

        @Test func distantDatesMismatch() {
            #expect(level("1980-03-12", "1975-07-01") == .mismatch)
        }

        @Test func aMissingBirthdayIsMissing() {
            #expect(BirthdayComparison.compare([], MatchRecord(birthdays: ["1980-03-12"]).birthdays) == .missing)
        }
    }
}

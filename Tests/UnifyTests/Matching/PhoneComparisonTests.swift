import Testing
@testable import Unify

extension Matching {
    @Suite("Comparing phones")
    struct PhoneComparisonTests {
        private func level(_ a: String, _ b: String) -> MatchLevel {
            PhoneComparison.compare(MatchRecord(phones: [a]).phones, MatchRecord(phones: [b]).phones)
        }

        @Test func sameNumberIsExact() {
            #expect(level("+33612457890", "+33612457890") == .exact)
        }

        @Test func sameLastEightDigitsInAnotherFormAgree() {
            #expect(level("+33612457890", "0612457890") == .sameLastEightDigits)
            #expect(level("+33612457890", "+32612457890") == .sameLastEightDigits)
        }

        @Test(arguments: ["+33612457891", "+33612457980", "+33621457890", "+33612407890"])
        func oneTypoInTheLastEightDigitsIsOneEdit(typed: String) {
            #expect(level("+33612457890", typed) == .oneEditInLastEight)
        }

        @Test(arguments: ["+33612457099", "+33698761432", "+33612450000"])
        func twoChangesOrAnotherNumberMismatch(typed: String) {
            #expect(level("+33612457890", typed) == .mismatch)
        }

        @Test func shortNumbersCompareWholeOnly() {
            #expect(level("+3312345", "+3312346") == .mismatch)
        }

        @Test func placeholderPhonesAreNoPhone() {
            #expect(MatchPhone("0000000000") == nil)
            #expect(MatchPhone("+33612345678") == nil)
            #expect(level("0000000000", "+33612457890") == .missing)
        }
    }
}

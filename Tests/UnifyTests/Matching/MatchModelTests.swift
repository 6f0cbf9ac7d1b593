import Foundation
import Testing
@testable import Unify

extension Matching {
    @Suite("Fellegi–Sunter model")
    struct MatchModelTests {
        let jean = MatchRecord(
            firstNames: ["Jean"], lastNames: ["Dupont"], birthdays: ["1980-03-12"], postcodes: ["75011"], streets: ["12 rue Oberkampf"]
        )

        @Test func evidenceIsTheSumOfTheFieldWeights() {
            // Given two records of Jean Dupont, one with a transposed birthday and another postcode
            let other = MatchRecord(firstNames: ["Jean"], lastNames: ["DUPONT"], birthdays: ["1980-12-03"], postcodes: ["69003"])
            // When the default model scores them
            let model = MatchModel.default
            let score = model.score(jean, other)
            // Then each field weighs log2(m/u) of its level and missing fields weigh nothing
            let expected = [
                (MatchField.firstName, MatchLevel.exact), (.lastName, .exact), (.birthday, .transposedDayMonth), (.postcode, .mismatch),
            ].map { model.weight(of: $0.1, for: $0.0) }.reduce(0, +)
            #expect(abs(score.evidenceWeight - expected) < 1e-12)
            #expect(score.contributions.map(\.field) == [.firstName, .lastName, .birthday, .postcode])
            #expect(abs(model.weight(of: .exact, for: .lastName) - Foundation.log2(0.86 / 0.002)) < 1e-12)
        }

        @Test func explanationNamesEachFieldItsLevelAndWeight() {
            let other = MatchRecord(firstNames: ["Jean"], lastNames: ["Dupont"], birthdays: ["1980-12-03"], postcodes: ["69003"])
            let description = MatchModel.default.score(jean, other).description
            #expect(description.contains("last name exact +8.7"))
            #expect(description.contains("birthday transposed day/month +9.0"))
            #expect(description.contains("postcode mismatch −3.4"))
            #expect(description.contains("prior −13.3"))
        }

        @Test func weightIsEvidencePlusPriorAndProbabilityFollows() {
            let score = MatchModel.default.score(jean, jean)
            #expect(abs(score.weight - (score.evidenceWeight + MatchWeight.weight(fromProbability: 0.000_1))) < 1e-9)
            #expect(abs(score.matchProbability - MatchWeight.probability(fromWeight: score.weight)) < 1e-12)
            #expect(score.matchProbability > 0.999)
        }

        @Test(arguments: [-20.0, -3.5, 0.0, 0.7, 12.0])
        func weightAndProbabilityConvertBothWays(weight: Double) {
            let probability = MatchWeight.probability(fromWeight: weight)
            #expect(abs(MatchWeight.weight(fromProbability: probability) - weight) < 1e-6)
        }

        @Test func evenOddsAreWeightZero() {
            #expect(MatchWeight.probability(fromWeight: 0) == 0.5)
            #expect(MatchWeight.weight(fromProbability: 0.5) == 0)
        }

        @Test func duplicatesOutscoreNeighbours() {
            // Given a near-duplicate of Jean and a neighbour in the same street
            let duplicate = MatchRecord(firstNames: ["J."], lastNames: ["Dupond"], birthdays: ["12/03/1980"], postcodes: ["75011"])
            let neighbour = MatchRecord(firstNames: ["Marie"], lastNames: ["Leroy"], birthdays: ["1975-06-01"], postcodes: ["75011"])
            // Then the duplicate is likely one person and the neighbour is not
            #expect(MatchModel.default.score(jean, duplicate).matchProbability > 0.99)
            #expect(MatchModel.default.score(jean, neighbour).matchProbability < 0.001)
        }

        @Test func scoresDoNotDependOnRecordOrder() {
            let data = SyntheticPeople.dataset(people: 60, copies: 1...3, seed: 11).records
            for i in 0..<data.count {
                for j in (i + 1)..<data.count {
                    #expect(MatchModel.default.score(data[i], data[j]) == MatchModel.default.score(data[j], data[i]))
                }
            }
        }

        @Test func recordsWithNothingInCommonToCompareScoreOnlyThePrior() {
            let score = MatchModel.default.score(MatchRecord(lastNames: ["Dupont"]), MatchRecord(birthdays: ["1980-03-12"]))
            #expect(score.evidenceWeight == 0)
            #expect(score.contributions.isEmpty)
        }

        @Test func aFieldLeftOutOfTheModelWeighsNothing() {
            // Given a model without birthdays, and a pair that agrees on its birthday
            let model = MatchModel(priorMatchProbability: 0.1, fields: MatchModel.default.fields.filter { $0.field != .birthday })
            let other = MatchRecord(firstNames: ["Jean"], lastNames: ["Dupont"], birthdays: ["1980-03-12"])
            // Then the birthday adds nothing to its evidence
            let withBirthday = MatchModel.default.score(jean, other).evidenceWeight
            let birthdayWeight = MatchModel.default.weight(of: .exact, for: .birthday)
            #expect(model.weight(of: .exact, for: .birthday) == 0)
            #expect(abs(model.score(jean, other).evidenceWeight - (withBirthday - birthdayWeight)) < 1e-9)
        }

        @Test func zeroProbabilitiesAreClampedToFiniteWeights() {
            let model = MatchModel(priorMatchProbability: 0, fields: [
                MatchModel.Field(field: .lastName, levels: [MatchModel.Level(level: .exact, m: 1, u: 0), MatchModel.Level(level: .mismatch, m: 0, u: 1)]),
            ])
            #expect(model.weight(of: .exact, for: .lastName).isFinite)
            #expect(model.weight(of: .mismatch, for: .lastName).isFinite)
            #expect(model.priorWeight.isFinite)
        }

        @Test func modelsSurviveAJSONRoundTripUnderReadableNames() throws {
            let data = try JSONEncoder().encode(MatchModel.default)
            let decoded = try JSONDecoder().decode(MatchModel.self, from: data)
            #expect(decoded == MatchModel.default)
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.contains(#""field":"lastName""#))
            #expect(text.contains(#""level":"transposedDayMonth""#))
            #expect(!text.contains("weights"))
        }

        @Test func aModelSavedBeforeALevelExistedTakesItsDefaults() throws {
            // A model trained before `sameYear` was a birthday level, and one without phones.
            let old = MatchModel(priorMatchProbability: 0.001, fields: MatchModel.default.fields.compactMap { field in
                guard field.field != .phone else { return nil }
                var field = field
                field.levels.removeAll { $0.level == .sameYear }
                field.levels = field.levels.map { MatchModel.Level(level: $0.level, m: $0.m, u: $0.u * 2) }
                return field
            })
            #expect(old.weight(of: .sameYear, for: .birthday) == 0)
            let read = try JSONDecoder().decode(MatchModel.self, from: try JSONEncoder().encode(old))
            #expect(read.weight(of: .sameYear, for: .birthday) == MatchModel.default.weight(of: .sameYear, for: .birthday))
            #expect(read.weight(of: .exact, for: .phone) == MatchModel.default.weight(of: .exact, for: .phone))
            // What was saved stays as saved.
            #expect(read.weight(of: .exact, for: .birthday) == old.weight(of: .exact, for: .birthday))
            #expect(read.priorMatchProbability == 0.001)
        }

        @Test func anUnknownLevelInAModelIsRefused() {
            let json = #"{"priorMatchProbability":0.1,"fields":[{"field":"lastName","levels":[{"level":"roughly","m":0.5,"u":0.5}]}]}"#
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(MatchModel.self, from: Data(json.utf8)) }
        }

        @Test func defaultProbabilitiesOfEachFieldSumToOne() {
            for field in MatchModel.default.fields {
                #expect(Set(field.levels.map(\.level)) == Set(field.field.levels))
                #expect(abs(field.levels.map(\.m).reduce(0, +) - 1) < 1e-9)
                #expect(abs(field.levels.map(\.u).reduce(0, +) - 1) < 1e-9)
            }
        }
    }
}
